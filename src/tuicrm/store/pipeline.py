"""Opportunities and their stage history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from tuicrm.clock import today as clock_today
from tuicrm.clock import utcnow
from tuicrm.config import Config
from tuicrm.domain.pipeline import (
    StageError,
    check_stage,
    probability_after_move,
)
from tuicrm.models import Contact, Customer, Opportunity, StageChange
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
    "product",
    "competitors",
    "strengths",
    "weaknesses",
    "key_success_factors",
    "risks",
    "plan",
    "next_step",
    "next_step_owner",
    "next_step_due_on",
    "next_step_done_on",
    "owner",
    "renewal_on",
    "lost_reason",  # a lost deal's only (a move to lost sets them; moving out clears them)
    "lost_detail",
)
DATE_FIELDS = ("expected_close_on", "next_step_due_on", "next_step_done_on", "renewal_on")


WonDeals = list[tuple[Decimal, date | None]]


def _won(session: Session, customer_id: int) -> WonDeals:
    """The customer's live won deals before a change (pending changes flushed first)."""
    session.flush()
    return writes.won_deals(dbapi(session), customer_id)


def _recompute(session: Session, customer_id: int, won_before: WonDeals) -> None:
    """The customer's status, revenue and last deal date from its deals, in this transaction
    (``tuicrm.store.lean.writes.recompute_customer_figures``, the one rule both write paths use)."""
    oplog.lean(
        session, lambda conn, log: writes.recompute_customer_figures(conn, log, customer_id, won_before)
    )


def _check_decision_maker(session: Session, customer_id: int, contact_id: Any) -> int | None:
    if contact_id is None:
        return None
    contact = session.get(Contact, int(contact_id))
    if contact is None or contact.customer_id != customer_id:
        raise StoreError(f"Contact {contact_id} is not one of this customer's contacts.")
    return int(contact_id)


def _check_field(session: Session, customer_id: int, key: str, value: Any) -> Any:
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
    elif key == "decision_maker_id":
        value = _check_decision_maker(session, customer_id, value)
    elif key in DATE_FIELDS:
        if value is not None and not isinstance(value, date):
            raise StoreError(f"{key} must be a date.")
    elif isinstance(value, str):
        value = clean(value)
    return value


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
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise StoreError(f"Opportunities have no field called {sorted(unknown)[0]}.")
    customer_id = id_of(customer)
    won_before = _won(session, customer_id)
    extra = {k: _check_field(session, customer_id, k, v) for k, v in fields.items()}
    extra.setdefault("owner", current_user())
    if stage in ("won", "lost"):
        probability = None  # won and lost are always 100% and 0%
    opp = Opportunity(
        name=check_name(name, "opportunity"),
        customer_id=customer_id,
        amount=amount,
        stage=stage,
        probability=_check_probability(probability)
        if probability is not None
        else probability_after_move("lead", stage, 0, False, config, stage_default=True)[0],
        probability_set=probability is not None,
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
    opp_id = id_of(opp)
    _recompute(session, customer_id, won_before)
    found = session.get(Opportunity, opp_id)
    assert found is not None
    return found


def update_opportunity(session: Session, opp: Opportunity, **fields: Any) -> Opportunity:
    """Write the given fields (checked) and nothing else; a probability given is the rep's
    (``probability_set``), kept by moves between open stages. The customer's figures follow."""
    customer_id = opp.customer_id
    won_before = _won(session, customer_id)
    checked = {key: _check_field(session, customer_id, key, value) for key, value in fields.items()}
    if {"lost_reason", "lost_detail"} & set(checked):
        if opp.stage != "lost":
            raise StoreError("Only a lost opportunity has a lost reason.")
        if "lost_reason" in checked and not checked["lost_reason"]:
            raise StoreError("A lost opportunity needs a reason.")
    for key, value in checked.items():
        setattr(opp, key, value)
    if "probability" in checked:
        opp.probability_set = True
    session.add(opp)
    session.flush()
    opp_id = id_of(opp)
    _recompute(session, customer_id, won_before)
    found = session.get(Opportunity, opp_id)
    assert found is not None
    return found


def move_opportunity(
    session: Session,
    config: Config,
    opp: Opportunity,
    to_stage: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    stage_default: bool = False,
    detail: str | None = None,
) -> StageChange:
    """Move to a stage, recording a StageChange (``tuicrm.store.lean.writes.move_opportunity``).
    Lost needs a reason; a probability the rep set survives a move between open stages unless
    ``stage_default``; the customer's figures follow."""
    opp_id = id_of(opp)
    done = oplog.lean(
        session,
        lambda conn, log: writes.move_opportunity(
            conn,
            log,
            config,
            opp_id,
            to_stage,
            reason=reason,
            note=note,
            stage_default=stage_default,
            detail=detail,
        ),
    )
    change = session.get(StageChange, done.id)
    assert change is not None
    return change


def archive_opportunity(session: Session, opp: Opportunity, restore: bool = False) -> Opportunity:
    """Archive (or restore) a deal: an archived won deal no longer counts in its customer's figures."""
    won_before = _won(session, opp.customer_id)
    opp.archived_at = None if restore else utcnow()
    session.add(opp)
    session.flush()
    opp_id, customer_id = id_of(opp), opp.customer_id
    _recompute(session, customer_id, won_before)
    found = session.get(Opportunity, opp_id)
    assert found is not None
    return found


def resolve_opportunity(session: Session, ref: str) -> Opportunity:
    """The opportunity a rep means (``tuicrm.store.lean.writes.opportunity_id``), as a model row."""
    opp = session.get(Opportunity, writes.opportunity_id(dbapi(session), ref))
    assert opp is not None
    return opp
