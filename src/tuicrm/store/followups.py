"""Follow-ups: log one (and set the next step), snooze — inside a ``Store.write`` session.

The writes themselves are ``tuicrm.store.lean.writes`` (plain SQL, the undo record with them),
run here on the session's DB-API connection; the command line runs the same functions on a
plain ``sqlite3`` connection. The due list and the timeline are ``tuicrm.query.followups``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from tuicrm.config import Config
from tuicrm.domain.dates import AUTO
from tuicrm.models import Customer, FollowUp, Snooze
from tuicrm.store import oplog
from tuicrm.store.customers import id_of
from tuicrm.store.lean import followups as corrections
from tuicrm.store.lean import writes


def log_follow_up(
    session: Session,
    config: Config,
    customer: Customer,
    summary: str,
    *,
    channel: str = "phone",
    feedback: str | None = None,
    attitude: str | None = None,
    next_on: date | str | None = AUTO,
    next_action: str | None = None,
    goal: str | None = None,
    contact_id: int | None = None,
    opportunity_id: int | None = None,
    at: datetime | None = None,
    owner: str | None = None,
    objection: str | None = None,
    place: str | None = None,
    attendees: str | None = None,
    outcome: str | None = None,
) -> FollowUp:
    """Record what was said and set the customer's pending follow-up (``writes.log_follow_up``).

    ``next_on`` may be a date, ``AUTO``/None (the cadence rule of SPEC §4).
    """
    customer_id = id_of(customer)
    done = oplog.lean(
        session,
        lambda conn, log: writes.log_follow_up(
            conn,
            log,
            config,
            customer_id,
            summary,
            channel=channel,
            feedback=feedback,
            attitude=attitude,
            next_on=next_on,
            next_action=next_action,
            goal=goal,
            contact_id=contact_id,
            opportunity_id=opportunity_id,
            at=at,
            owner=owner,
            objection=objection,
            place=place,
            attendees=attendees,
            outcome=outcome,
        ),
    )
    follow_up = session.get(FollowUp, done.id)
    assert follow_up is not None
    return follow_up


def snooze(session: Session, customer: Customer, to_on: date, reason: str | None = None) -> Snooze:
    """Move the pending follow-up; the move is recorded, the history kept (``writes.snooze``)."""
    customer_id = id_of(customer)
    done = oplog.lean(session, lambda conn, log: writes.snooze(conn, log, customer_id, to_on, reason))
    record = session.get(Snooze, done.id)
    assert record is not None
    return record


def update_follow_up(session: Session, follow_up_id: int, **changes: Any) -> FollowUp:
    """Correct a logged follow-up: only ``changes`` are written; the customer's pending
    follow-up follows when this is (or stops being) the newest (``lean.followups.update_follow_up``)."""
    oplog.lean(
        session, lambda conn, log: corrections.update_follow_up(conn, log, follow_up_id, dict(changes))
    )
    follow_up = session.get(FollowUp, follow_up_id)
    assert follow_up is not None
    return follow_up


def apply_follow_up_changes(session: Session, row: FollowUp, changes: dict[str, Any]) -> object:
    """``save_changes``'s ``apply`` for a follow-up: ``update_follow_up`` keeps the customer's
    pending follow-up consistent with the newest follow-up."""
    assert row.id is not None
    return update_follow_up(session, row.id, **changes)


def delete_follow_up(session: Session, follow_up_id: int) -> None:
    """Remove a logged follow-up (``tuicrm undo`` brings it back; ``lean.followups.delete_follow_up``)."""
    oplog.lean(session, lambda conn, log: corrections.delete_follow_up(conn, log, follow_up_id))


__all__ = ["apply_follow_up_changes", "delete_follow_up", "log_follow_up", "snooze", "update_follow_up"]
