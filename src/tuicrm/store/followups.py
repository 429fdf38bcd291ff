"""Follow-ups: log one (and set the next step), snooze. The due list and the timeline are
``tuicrm.query.followups``."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from tuicrm.clock import to_local, utcnow
from tuicrm.config import CHANNELS, Config
from tuicrm.domain.cadence import next_follow_up
from tuicrm.domain.dates import AUTO
from tuicrm.models import Customer, FollowUp, Snooze
from tuicrm.store.customers import check_choice, clean, current_user, id_of
from tuicrm.store.errors import StoreError


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
) -> FollowUp:
    """Record what was said and set the customer's pending follow-up.

    ``next_on`` may be a date, ``AUTO``/None (the cadence rule of SPEC §4).
    """
    summary = clean(summary)
    if not summary:
        raise StoreError("Say what was discussed: the summary cannot be empty.")
    channel = check_choice(channel or "phone", CHANNELS, "channel")
    if attitude:
        attitude = check_choice(attitude, ("positive", "neutral", "negative"), "attitude")
    at = at or utcnow()
    logged_on = to_local(at).date()
    if next_on is None or next_on == AUTO:
        next_on = next_follow_up(customer.status, customer.tier, logged_on, config)
    elif not isinstance(next_on, date):
        raise StoreError("The next follow-up must be a date or auto.")
    follow_up = FollowUp(
        customer_id=id_of(customer),
        contact_id=contact_id,
        opportunity_id=opportunity_id,
        at=at,
        channel=channel,
        summary=summary,
        feedback=clean(feedback),
        attitude=attitude,
        next_action=clean(next_action),
        next_on=next_on,
        goal=clean(goal),
        owner=clean(owner) or current_user(),
    )
    session.add(follow_up)
    customer.next_follow_up_on = next_on
    customer.next_action = follow_up.next_action
    if customer.first_contact_on is None:
        customer.first_contact_on = logged_on
    session.add(customer)
    session.flush()
    return follow_up


def snooze(session: Session, customer: Customer, to_on: date, reason: str | None = None) -> Snooze:
    """Move the pending follow-up; the move is recorded, the history kept."""
    if not isinstance(to_on, date):
        raise StoreError("Snooze needs a date.")
    record = Snooze(
        customer_id=id_of(customer), from_on=customer.next_follow_up_on, to_on=to_on, reason=clean(reason)
    )
    session.add(record)
    customer.next_follow_up_on = to_on
    session.add(customer)
    session.flush()
    return record


__all__ = ["log_follow_up", "snooze"]
