"""Opportunities and their stage history."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from tuicrm.clock import today as clock_today
from tuicrm.clock import utcnow
from tuicrm.config import Config
from tuicrm.domain.pipeline import (
    StageError,
    check_stage,
    default_probability,
)
from tuicrm.models import Customer, Opportunity, StageChange
from tuicrm.store import oplog
from tuicrm.store.customers import check_amount, check_name, clean, current_user, id_of
from tuicrm.store.errors import StoreError
from tuicrm.store.lean import writes
from tuicrm.store.session import dbapi

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
    """Move to a stage, recording a StageChange (``tuicrm.store.lean.writes.move_opportunity``).
    Lost needs a reason; won updates the customer."""
    opp_id = id_of(opp)
    done = oplog.lean(
        session,
        lambda conn, log: writes.move_opportunity(
            conn, log, config, opp_id, to_stage, reason=reason, note=note
        ),
    )
    change = session.get(StageChange, done.id)
    assert change is not None
    return change


def archive_opportunity(session: Session, opp: Opportunity, restore: bool = False) -> Opportunity:
    opp.archived_at = None if restore else utcnow()
    session.add(opp)
    session.flush()
    return opp


def resolve_opportunity(session: Session, ref: str) -> Opportunity:
    """The opportunity a rep means (``tuicrm.store.lean.writes.opportunity_id``), as a model row."""
    opp = session.get(Opportunity, writes.opportunity_id(dbapi(session), ref))
    assert opp is not None
    return opp
