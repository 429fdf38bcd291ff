"""Complaints (issue #18, template 001 客户投诉管理卡): open, log a handling step, resolve, close.

Every function runs inside a ``Store.write`` session: one transaction the undo log records
(``tuicrm undo`` takes it back). The deadline (处理时限) follows the severity
(``tuicrm.domain.complaints.deadline``), counted in the rep's local time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from tuicrm.clock import utcnow
from tuicrm.config import Config
from tuicrm.domain.complaints import (
    ComplaintError,
    check_satisfaction,
    check_severity,
    is_open,
)
from tuicrm.domain.complaints import deadline as deadline_for
from tuicrm.i18n import _
from tuicrm.models import Complaint, ComplaintStep, Contact, Customer, Opportunity
from tuicrm.store.activities import as_utc
from tuicrm.store.customers import clean, current_user, id_of
from tuicrm.store.errors import NotFound, StoreError
from tuicrm.store.session import dbapi


def next_code(session: Session) -> str:
    """The next free complaint code (K000001, K000002, …)."""
    (last,) = dbapi(session).execute("SELECT max(code) FROM complaint WHERE code LIKE 'K%'").fetchone()
    n = int(str(last)[1:]) + 1 if last and str(last)[1:].isdigit() else 1
    return f"K{n:06d}"


def local_deadline(opened_at: datetime, severity: str, config: Config) -> datetime:
    """The deadline in UTC, working days counted on the rep's local calendar."""
    import pendulum
    from pendulum.tz import local_timezone

    local = pendulum.instance(as_utc(opened_at)).in_timezone(local_timezone())
    naive = datetime(local.year, local.month, local.day, local.hour, local.minute, local.second)
    return as_utc(deadline_for(naive, severity, config.care))


def _link(session: Session, customer_id: int, model: Any, value: Any, what: str) -> int | None:
    if value is None:
        return None
    row = session.get(model, int(value))
    if row is None or row.customer_id != customer_id:
        raise StoreError(_("That {what} (#{id}) is not one of this customer's.").format(what=what, id=value))
    return int(value)


def add_complaint(
    session: Session,
    config: Config,
    customer: Customer,
    content: str,
    *,
    severity: str | None = None,
    channel: str | None = None,
    cause: str | None = None,
    contact_id: int | None = None,
    opportunity_id: int | None = None,
    opened_at: datetime | None = None,
    owner: str | None = None,
) -> Complaint:
    """A new open complaint with the next code and its deadline by severity."""
    customer_id = id_of(customer)
    text = clean(content)
    if not text:
        raise StoreError(_("Say what the complaint is about: it needs its content."))
    try:
        level = check_severity(severity)
    except ComplaintError as exc:
        raise StoreError(str(exc)) from None
    opened = as_utc(opened_at) if opened_at else utcnow().replace(microsecond=0)
    row = Complaint(
        code=next_code(session),
        customer_id=customer_id,
        contact_id=_link(session, customer_id, Contact, contact_id, _("contact")),
        opportunity_id=_link(session, customer_id, Opportunity, opportunity_id, _("opportunity")),
        opened_at=opened,
        channel=clean(channel),
        content=text,
        cause=clean(cause),
        severity=level,
        deadline_at=local_deadline(opened, level, config),
        status="open",
        owner=clean(owner) or current_user(),
    )
    session.add(row)
    session.flush()
    return row


def get_complaint(session: Session, row_id: int) -> Complaint:
    row = session.get(Complaint, row_id)
    if row is None or row.archived_at is not None:
        raise NotFound(_("No complaint #{id}.").format(id=row_id))
    return row


def _require_open(row: Complaint, verb: str) -> None:
    if not is_open(row.status):
        raise StoreError(
            _("{code} is {status}: it cannot be {verb}.").format(code=row.code, status=row.status, verb=verb)
        )


def add_step(session: Session, row: Complaint, text: str, *, at: datetime | None = None) -> ComplaintStep:
    """One handling step (处理过程); an open complaint is in progress from its first step."""
    _require_open(row, _("handled"))
    words = clean(text)
    if not words:
        raise StoreError(_("Say what was done: a step needs its text."))
    step = ComplaintStep(
        complaint_id=id_of(row),
        at=as_utc(at) if at else utcnow().replace(microsecond=0),
        text=words,
        by_user=current_user(),
    )
    session.add(step)
    if row.status == "open":
        row.status = "in-progress"
        session.add(row)
    session.flush()
    return step


def resolve_complaint(
    session: Session,
    row: Complaint,
    result: str,
    *,
    satisfaction: object = None,
    at: datetime | None = None,
) -> Complaint:
    """Resolved with its result (处理结果) and, when known, the customer's satisfaction (1–5)."""
    _require_open(row, _("resolved"))
    words = clean(result)
    if not words:
        raise StoreError(_("Say how it was resolved: a resolved complaint needs its result."))
    try:
        score = check_satisfaction(satisfaction)
    except ComplaintError as exc:
        raise StoreError(str(exc)) from None
    row.status = "resolved"
    row.result = words
    row.satisfaction = score
    row.resolved_at = as_utc(at) if at else utcnow().replace(microsecond=0)
    session.add(row)
    session.flush()
    return row


def close_complaint(session: Session, row: Complaint) -> Complaint:
    """Closed: resolved and confirmed, or dropped (an open one closed has no resolution time)."""
    if row.status == "closed":
        raise StoreError(_("{code} is already closed.").format(code=row.code))
    row.status = "closed"
    session.add(row)
    session.flush()
    return row


def as_aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


__all__ = [
    "add_complaint",
    "add_step",
    "close_complaint",
    "get_complaint",
    "local_deadline",
    "next_code",
    "resolve_complaint",
]
