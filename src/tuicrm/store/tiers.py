"""Tier assessments: each grading decision is kept; the latest sets Customer.tier.

The write is ``tuicrm.store.lean.writes.assess``, run here in a ``Store.write`` session.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tuicrm.config import Config
from tuicrm.models import Customer, TierAssessment
from tuicrm.store import oplog
from tuicrm.store.customers import id_of
from tuicrm.store.lean import writes


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
    customer_id = id_of(customer)
    done = oplog.lean(
        session,
        lambda conn, log: writes.assess(
            conn,
            log,
            config,
            customer_id,
            potential,
            willingness,
            basis=basis,
            strategy=strategy,
            assessor=assessor,
            assessed_on=assessed_on,
        ),
    )
    record = session.get(TierAssessment, done.id)
    assert record is not None
    return record
