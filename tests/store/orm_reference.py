"""The ORM versions of the five hot writes as they were before ``tuicrm.store.lean`` replaced
them (commit 3799977), kept only as the oracle the lean writes are compared with: same rows,
same undo records. Not used by ``src``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, func, select

from tuicrm.clock import to_local, utcnow
from tuicrm.clock import today as clock_today
from tuicrm.config import CHANNELS, Config
from tuicrm.domain.cadence import next_follow_up
from tuicrm.domain.dates import AUTO
from tuicrm.domain.pipeline import StageError, check_move, check_stage, default_probability
from tuicrm.domain.tiers import ScoreError, assess
from tuicrm.models import Customer, FollowUp, Opportunity, Snooze, StageChange, TierAssessment
from tuicrm.store.customers import (
    check_choice,
    clean,
    current_user,
    id_of,
    search_text_for,
)
from tuicrm.store.errors import StoreError
from tuicrm.store.lean.checks import normalise_customer_fields


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


def assess_customer(
    session: Session,
    config: Config,
    customer: Customer,
    potential: int,
    willingness: int,
    *,
    basis: str | None = None,
    strategy: str | None = None,
    assessor: str | None = None,
    assessed_on: date | None = None,
) -> TierAssessment:
    try:
        total, tier, suggested = assess(potential, willingness, config)
    except ScoreError as exc:
        raise StoreError(str(exc)) from None
    record = TierAssessment(
        customer_id=id_of(customer),
        potential=potential,
        willingness=willingness,
        total=total,
        tier=tier,
        basis=clean(basis),
        strategy=clean(strategy) or suggested,
        assessed_on=assessed_on or clock_today(),
        assessor=clean(assessor) or current_user(),
    )
    session.add(record)
    customer.tier = tier
    session.add(customer)
    session.flush()
    return record


def move_opportunity(
    session: Session,
    config: Config,
    opp: Opportunity,
    to_stage: str,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> StageChange:
    """Move to a stage, recording a StageChange. Lost needs a reason; won updates the customer."""
    try:
        check_move(opp.stage, to_stage, reason)
        to_stage = check_stage(to_stage)
    except StageError as exc:
        raise StoreError(str(exc)) from None
    change = StageChange(
        opportunity_id=id_of(opp),
        from_stage=opp.stage,
        to_stage=to_stage,
        at=utcnow(),
        note=clean(note) or (clean(reason) if to_stage == "lost" else None),
    )
    was_won = opp.stage == "won"
    opp.stage = to_stage
    opp.probability = default_probability(to_stage, config)
    if to_stage == "lost":
        opp.lost_reason = clean(reason)
    if to_stage in ("won", "lost"):
        opp.closed_on = clock_today()
    else:
        opp.closed_on = None
        opp.lost_reason = None
    customer = session.get(Customer, opp.customer_id)
    if to_stage == "won" and customer is not None and not was_won:
        customer.revenue_total = (customer.revenue_total or Decimal(0)) + opp.amount
        customer.last_deal_on = opp.closed_on
        customer.status = "won"
        session.add(customer)
        session.flush()
        session.refresh(customer)  # the version trigger moved it
        # Issue #18: the first revisit within N working days of the win, unless an earlier is set
        # (a second write of the customer, as on the lean path).
        from tuicrm.i18n import _
        from tuicrm.store.lean.revisit import first_revisit_on

        due = first_revisit_on(clock_today(), config)
        if customer.next_follow_up_on is None or customer.next_follow_up_on > due:
            customer.next_follow_up_on = due
            customer.next_action = _("First revisit after the win: {deal}").format(deal=opp.name)
        session.add(customer)
    session.add(opp)
    session.add(change)
    session.flush()
    return change


def next_code(session: Session) -> str:
    last = session.exec(select(func.max(Customer.code)).where(col(Customer.code).like("C%"))).one()
    number = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"C{number:06d}"


def create_customer(session: Session, name: str, **fields: Any) -> Customer:
    data = normalise_customer_fields({"name": name, **fields})
    data.setdefault("owner", current_user())
    customer = Customer(code=next_code(session), **data)
    customer.search_text = search_text_for(customer, [])
    session.add(customer)
    session.flush()
    return customer
