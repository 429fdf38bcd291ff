"""Activities (the activity plan, issue #17): add, edit, start, done, cancel, move.

Every function runs inside a ``Store.write`` session, so each is one transaction the ORM
session's undo log records (``tuicrm undo`` takes it back). Times given as naive datetimes are
local; they are stored as UTC like every timestamp.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pendulum
from pendulum.tz import local_timezone as _local_timezone
from sqlmodel import Session

from tuicrm.clock import utcnow
from tuicrm.config import Config
from tuicrm.domain.agenda import ActivityError, check_kind
from tuicrm.domain.dates import AUTO
from tuicrm.i18n import _
from tuicrm.models import Activity, Contact, Customer, Opportunity
from tuicrm.store.customers import check_amount, check_name, clean, current_user, id_of
from tuicrm.store.errors import NotFound, StoreError
from tuicrm.store.session import dbapi

TEXT_FIELDS = ("goal", "content", "place", "attendees", "resources", "result", "next_action", "owner")
TIME_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")
EDITABLE = (
    "name",
    "kind",
    "contact_id",
    "opportunity_id",
    "budget",
    "status",
    *TEXT_FIELDS,
    *TIME_FIELDS,
)


def as_utc(value: datetime) -> datetime:
    """A naive datetime is local time; an aware one any zone: as aware UTC, to the second."""
    if value.tzinfo is None:
        local = pendulum.instance(value, tz=_local_timezone())
        value = datetime.fromtimestamp(local.timestamp(), UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def next_code(session: Session) -> str:
    """The next free activity code (A000001, A000002, …)."""
    (last,) = dbapi(session).execute("SELECT max(code) FROM activity WHERE code LIKE 'A%'").fetchone()
    n = int(str(last)[1:]) + 1 if last and str(last)[1:].isdigit() else 1
    return f"A{n:06d}"


def _check_link(session: Session, customer_id: int, key: str, value: Any) -> int | None:
    if value is None:
        return None
    model: Any = Contact if key == "contact_id" else Opportunity
    row = session.get(model, int(value))
    if row is None or row.customer_id != customer_id:
        what = _("contact") if key == "contact_id" else _("opportunity")
        raise StoreError(
            _("That {what} (#{id}) is not one of this customer's.").format(what=what, id=int(value))
        )
    return int(value)


def _check(session: Session, customer_id: int, key: str, value: Any) -> Any:
    if key not in EDITABLE:
        raise StoreError(_("Activities have no field called {key}.").format(key=key))
    try:
        if key == "kind":
            return check_kind(value)
        if key == "status":
            from tuicrm.domain.agenda import check_status

            return check_status(value)
    except ActivityError as exc:
        raise StoreError(str(exc)) from None
    if key == "name":
        return check_name(value, "activity")
    if key == "budget":
        return None if value is None or value == "" else check_amount(value)
    if key in ("contact_id", "opportunity_id"):
        return _check_link(session, customer_id, key, value)
    if key in TIME_FIELDS:
        if value is None:
            if key == "planned_start":
                raise StoreError(_("An activity needs a planned start."))
            return None
        if not isinstance(value, datetime):
            raise StoreError(_("{key} must be a date and time.").format(key=key))
        return as_utc(value)
    return clean(value) if isinstance(value, str) else value


def _check_span(row: Activity) -> None:
    if row.planned_end is not None and as_utc(row.planned_end) <= as_utc(row.planned_start):
        raise StoreError(_("An activity ends after it starts."))


def add_activity(
    session: Session,
    customer: Customer,
    name: str,
    *,
    kind: str = "visit",
    planned_start: datetime,
    **fields: Any,
) -> Activity:
    """A new planned activity with the next code (its creator: the current user)."""
    customer_id = id_of(customer)
    checked = {k: _check(session, customer_id, k, v) for k, v in fields.items()}
    checked.setdefault("owner", current_user())
    row = Activity(
        code=next_code(session),
        name=_check(session, customer_id, "name", name),
        kind=_check(session, customer_id, "kind", kind),
        customer_id=customer_id,
        planned_start=_check(session, customer_id, "planned_start", planned_start),
        status="planned",
        creator=current_user(),
        **checked,
    )
    _check_span(row)
    session.add(row)
    session.flush()
    return row


def update_activity(session: Session, row: Activity, **changes: Any) -> Activity:
    """Write the given fields (checked) and nothing else."""
    for key, value in changes.items():
        setattr(row, key, _check(session, row.customer_id, key, value))
    _check_span(row)
    session.add(row)
    session.flush()
    return row


def apply_activity_changes(session: Session, row: Activity, changes: dict[str, Any]) -> object:
    """``save_changes``'s ``apply`` for an activity."""
    return update_activity(session, row, **changes)


def edit_activity(session: Session, row_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change only the fields given, checked against the row as it is (``save_changes``)."""
    from tuicrm.store.versions import save_changes, snapshot

    current = snapshot(session, "activity", row_id)
    mine = dict(changes)
    for key in TIME_FIELDS:
        if isinstance(mine.get(key), datetime):
            mine[key] = as_utc(mine[key])
    base = {k: _comparable(v) for k, v in current.values.items()}
    return save_changes(
        session, "activity", row_id, base, current.version, mine, apply=apply_activity_changes
    )


def _comparable(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value if value.tzinfo else value.replace(tzinfo=UTC))
    return value


def get_activity(session: Session, row_id: int) -> Activity:
    row = session.get(Activity, row_id)
    if row is None or row.archived_at is not None:
        raise NotFound(_("No activity #{id}.").format(id=row_id))
    return row


def _require(row: Activity, allowed: tuple[str, ...], verb: str) -> None:
    if row.status not in allowed:
        raise StoreError(
            _("{code} is {status}: it cannot be {verb}.").format(code=row.code, status=row.status, verb=verb)
        )


def start_activity(session: Session, row: Activity, at: datetime | None = None) -> Activity:
    """In progress from now (its actual start)."""
    _require(row, ("planned",), _("started"))
    row.status = "in-progress"
    row.actual_start = as_utc(at) if at else utcnow().replace(microsecond=0)
    session.add(row)
    session.flush()
    return row


def finish_activity(
    session: Session,
    config: Config,
    row: Activity,
    result: str,
    *,
    log: bool = False,
    summary: str | None = None,
    next_on: date | str | None = AUTO,
    next_action: str | None = None,
    at: datetime | None = None,
) -> Activity:
    """Done with its result; with ``log``, a follow-up (``store.followups.log_follow_up``) that
    sets the customer's next step, linked from the activity, all in the caller's one transaction."""
    from tuicrm.store.followups import log_follow_up

    _require(row, ("planned", "in-progress"), _("marked done"))
    text = clean(result)
    if not text:
        raise StoreError(_("Say how it went: a done activity needs a result."))
    ended = as_utc(at) if at else utcnow().replace(microsecond=0)
    row_id = id_of(row)
    row.status = "done"
    row.result = text
    row.actual_end = ended
    if row.actual_start is None:
        row.actual_start = min(as_utc(row.planned_start), ended)
    if next_action is not None:
        row.next_action = clean(next_action)
    session.add(row)
    session.flush()
    if log:
        customer = session.get(Customer, row.customer_id)
        assert customer is not None
        channel = config.agenda.follow_up_channel.get(row.kind, "other")
        follow_up = log_follow_up(
            session,
            config,
            customer,
            clean(summary) or text,
            channel=channel,
            next_on=next_on,
            next_action=clean(next_action) if next_action else None,
            goal=row.goal,
            contact_id=row.contact_id,
            opportunity_id=row.opportunity_id,
            at=ended,
            place=row.place,
            attendees=row.attendees,
        )
        row = get_activity(session, row_id)
        row.follow_up_id = follow_up.id
        session.add(row)
        session.flush()
    return row


def cancel_activity(session: Session, row: Activity) -> Activity:
    _require(row, ("planned", "in-progress"), _("cancelled"))
    row.status = "cancelled"
    session.add(row)
    session.flush()
    return row


def move_activity(session: Session, row: Activity, start: datetime, end: datetime | None = None) -> Activity:
    """To another time; a planned end moves with it (same length) unless ``end`` is given."""
    _require(row, ("planned",), _("moved"))
    new_start = as_utc(start)
    new_end = as_utc(end) if end is not None else None
    if new_end is None and row.planned_end is not None:
        new_end = new_start + (as_utc(row.planned_end) - as_utc(row.planned_start))
    return update_activity(session, row, planned_start=new_start, planned_end=new_end)


def budget_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


__all__ = [
    "add_activity",
    "apply_activity_changes",
    "as_utc",
    "cancel_activity",
    "edit_activity",
    "finish_activity",
    "get_activity",
    "move_activity",
    "next_code",
    "start_activity",
    "update_activity",
]
