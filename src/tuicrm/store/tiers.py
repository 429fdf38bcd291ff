"""Tier assessments: each grading decision is kept; the latest sets Customer.tier."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tuicrm.clock import today as clock_today
from tuicrm.config import Config
from tuicrm.domain.tiers import ScoreError, assess
from tuicrm.models import Customer, TierAssessment
from tuicrm.store.customers import clean, current_user, id_of
from tuicrm.store.errors import StoreError


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
