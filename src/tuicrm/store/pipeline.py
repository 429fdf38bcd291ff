"""Opportunities and their stage history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tuicrm.clock import today as clock_today
from tuicrm.clock import utcnow
from tuicrm.config import Config
from tuicrm.domain.pipeline import (
    StageError,
    check_move,
    check_stage,
    default_probability,
)
from tuicrm.models import Customer, Opportunity, StageChange
from tuicrm.query.customers import is_row_id
from tuicrm.store.customers import check_amount, check_name, clean, current_user, id_of
from tuicrm.store.errors import Ambiguous, NotFound, StoreError

OPPORTUNITY_FIELDS = (
    "name",
    "amount",
    "expected_close_on",
    "probability",
    "decision_maker_id",
    "competitors",
    "risks",
    "plan",
    "owner",
)


def _check_probability(value: Any) -> int:
    try:
        p = int(value)
    except (TypeError, ValueError):
        raise StoreError(f"Probability '{value}' is not a whole number from 0 to 100.") from None
    if not 0 <= p <= 100:
        raise StoreError(f"Probability must be from 0 to 100, not {p}.")
    return p


def add_opportunity(
    session: Session,
    config: Config,
    customer: Customer,
    name: str,
    amount: object,
    *,
    stage: str = "lead",
    probability: int | None = None,
    expected_close_on: date | None = None,
    note: str | None = None,
    **fields: Any,
) -> Opportunity:
    try:
        stage = check_stage(stage)
    except StageError as exc:
        raise StoreError(str(exc)) from None
    amount = check_amount(amount)
    if amount is None:
        raise StoreError("An opportunity needs an amount (0 is allowed).")
    extra = {k: clean(v) if isinstance(v, str) else v for k, v in fields.items() if k in OPPORTUNITY_FIELDS}
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise StoreError(f"Opportunities have no field called {sorted(unknown)[0]}.")
    extra.setdefault("owner", current_user())
    opp = Opportunity(
        name=check_name(name, "opportunity"),
        customer_id=id_of(customer),
        amount=amount,
        stage=stage,
        probability=_check_probability(probability)
        if probability is not None
        else default_probability(stage, config),
        expected_close_on=expected_close_on,
        closed_on=clock_today() if stage in ("won", "lost") else None,
        **extra,
    )
    session.add(opp)
    session.flush()
    session.add(
        StageChange(opportunity_id=id_of(opp), from_stage=None, to_stage=stage, at=utcnow(), note=clean(note))
    )
    session.flush()
    return opp


def update_opportunity(session: Session, opp: Opportunity, **fields: Any) -> Opportunity:
    for key, value in fields.items():
        if key not in OPPORTUNITY_FIELDS:
            raise StoreError(f"Opportunities have no field called {key}.")
        if key == "amount":
            value = check_amount(value)
            if value is None:
                raise StoreError("An opportunity needs an amount (0 is allowed).")
        elif key == "probability":
            value = _check_probability(value)
        elif key == "name":
            value = check_name(value, "opportunity")
        elif isinstance(value, str):
            value = clean(value)
        setattr(opp, key, value)
    session.add(opp)
    session.flush()
    return opp


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
    session.add(opp)
    session.add(change)
    session.flush()
    return change


def archive_opportunity(session: Session, opp: Opportunity, restore: bool = False) -> Opportunity:
    opp.archived_at = None if restore else utcnow()
    session.add(opp)
    session.flush()
    return opp


def resolve_opportunity(session: Session, ref: str) -> Opportunity:
    ref = (ref or "").strip()
    if is_row_id(ref):
        opp = session.get(Opportunity, int(ref))
        if opp:
            return opp
    matches = list(
        session.exec(
            select(Opportunity)
            .where(col(Opportunity.archived_at).is_(None), col(Opportunity.name).contains(ref))
            .limit(21)
        )
    )
    if not matches:
        raise NotFound(f"No opportunity matches '{ref}'.")
    if len(matches) > 1:
        raise Ambiguous(
            f"'{ref}' matches {len(matches)} opportunities.", [(str(o.id), o.name) for o in matches[:20]]
        )
    return matches[0]
