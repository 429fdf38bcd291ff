"""The five hot writes, one function each: the change and its undo record, in plain SQL.

Each takes a DB-API connection already inside a write transaction and the ``UndoLog`` of that
transaction: the store passes its session's (``oplog.undo_log``), the command line a plain
``sqlite3`` connection in ``BEGIN IMMEDIATE`` (``tuicrm.store.lean.connect``). The rules are the
ones the ORM forms keep: the cadence, the denormalised next follow-up, the tier from the scores,
stage changes with their default probability, a reason for lost, won's revenue. The search index
follows the customer's ``search_text`` through the schema's triggers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from tuicrm.config import CHANNELS, Config
from tuicrm.domain.cadence import next_follow_up
from tuicrm.domain.dates import AUTO
from tuicrm.domain.tiers import ScoreError
from tuicrm.domain.tiers import assess as grade
from tuicrm.store.errors import NotFound, StoreError
from tuicrm.store.lean import rows
from tuicrm.store.lean.checks import (
    check_choice,
    clean,
    current_user,
    normalise_customer_fields,
    search_text_of,
)
from tuicrm.store.lean.clock import local_day, today, utcnow
from tuicrm.store.lean.followups import check_links, newest_follow_up, outcome_of
from tuicrm.store.lean.undolog import UndoLog

# The deal rules (``tuicrm.domain.pipeline``), ``decimal`` and the opportunity reader load only in
# the deal writes: a follow-up, a snooze or a grade does not pay for them (issue #20).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

    from tuicrm.domain.pipeline import DealFigures

ATTITUDES = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Logged:
    id: int
    customer_id: int
    next_on: date | None
    next_action: str | None


@dataclass(frozen=True)
class Snoozed:
    id: int
    customer_id: int
    from_on: date | None
    to_on: date


@dataclass(frozen=True)
class Assessed:
    id: int
    customer_id: int
    potential: int
    willingness: int
    total: int
    tier: str


@dataclass(frozen=True)
class Added:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Moved:
    id: int  # the StageChange
    opportunity_id: int
    name: str
    from_stage: str
    to_stage: str


def customer_ref(conn: sqlite3.Connection, ref: str) -> tuple[int, str, str]:
    """(id, code, name) of the live customer a rep means (``tuicrm.query.customers.resolve``:
    ``NotFound``/``Ambiguous`` otherwise)."""
    from tuicrm.query.customers import resolve

    customer_id = resolve(conn, ref)
    code, name = conn.execute("SELECT code, name FROM customer WHERE id = ?", (customer_id,)).fetchone()
    return customer_id, str(code), str(name)


def _customer(conn: sqlite3.Connection, customer_id: int) -> dict[str, Any]:
    row = rows.read(conn, "customer", customer_id)
    if row is None:
        raise NotFound(f"No customer with id {customer_id}.")
    return row


def log_follow_up(
    conn: sqlite3.Connection,
    log: UndoLog,
    config: Config,
    customer_id: int,
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
) -> Logged:
    """Record what was said and set the customer's pending follow-up (``next_on``: a date, or
    ``AUTO``/None for the cadence rule of SPEC §4, counted from the day it happened); the first
    contact date when there was none. A back-dated follow-up older than the
    newest one is history: the newer one's next step stays the customer's."""
    summary = clean(summary)
    if not summary:
        raise StoreError("Say what was discussed: the summary cannot be empty.")
    channel = check_choice(channel or "phone", CHANNELS, "channel")
    if attitude:
        attitude = check_choice(attitude, ATTITUDES, "attitude")
    outcome = outcome_of(outcome)
    customer = _customer(conn, customer_id)
    check_links(conn, customer_id, contact_id, opportunity_id)
    now = utcnow()
    at = at or now
    if at > now:
        raise StoreError("A follow-up cannot be logged in the future.")
    logged_on = local_day(at)
    if next_on is None or next_on == AUTO:
        next_on = next_follow_up(customer["status"], customer["tier"], logged_on, config)
    elif not isinstance(next_on, date):
        raise StoreError("The next follow-up must be a date or auto.")
    action = clean(next_action)
    follow_up_id = rows.insert(
        conn,
        log,
        "followup",
        {
            "customer_id": customer_id,
            "contact_id": contact_id,
            "opportunity_id": opportunity_id,
            "at": at,
            "channel": channel,
            "summary": summary,
            "feedback": clean(feedback),
            "attitude": attitude,
            "next_action": action,
            "next_on": next_on,
            "goal": clean(goal),
            "objection": clean(objection),
            "place": clean(place),
            "attendees": clean(attendees),
            "outcome": outcome or None,
            "owner": clean(owner) or current_user(),
        },
    )
    changes: dict[str, Any] = {}
    newest = newest_follow_up(conn, customer_id)
    if newest is not None and newest[0] == follow_up_id:
        changes = {"next_follow_up_on": next_on, "next_action": action}
    if customer["first_contact_on"] is None:
        changes["first_contact_on"] = logged_on
    if changes:
        rows.update(conn, log, "customer", customer, changes)
    return Logged(follow_up_id, customer_id, next_on, action)


def snooze(
    conn: sqlite3.Connection, log: UndoLog, customer_id: int, to_on: date, reason: str | None = None
) -> Snoozed:
    """Move the pending follow-up; the move is recorded (a Snooze row), the history kept."""
    if not isinstance(to_on, date):
        raise StoreError("Snooze needs a date.")
    customer = _customer(conn, customer_id)
    from_on = customer["next_follow_up_on"]
    snooze_id = rows.insert(
        conn,
        log,
        "snooze",
        {
            "customer_id": customer_id,
            "from_on": from_on,
            "to_on": to_on,
            "at": utcnow(),
            "reason": clean(reason),
        },
    )
    rows.update(conn, log, "customer", customer, {"next_follow_up_on": to_on})
    return Snoozed(snooze_id, customer_id, from_on, to_on)


def assess(
    conn: sqlite3.Connection,
    log: UndoLog,
    config: Config,
    customer_id: int,
    potential: int,
    willingness: int,
    *,
    basis: str | None = None,
    strategy: str | None = None,
    assessor: str | None = None,
    assessed_on: date | None = None,
) -> Assessed:
    """Keep one grading decision (a TierAssessment); its tier becomes the customer's."""
    try:
        total, tier, suggested = grade(potential, willingness, config)
    except ScoreError as exc:
        raise StoreError(str(exc)) from None
    customer = _customer(conn, customer_id)
    assessment_id = rows.insert(
        conn,
        log,
        "tierassessment",
        {
            "customer_id": customer_id,
            "potential": potential,
            "willingness": willingness,
            "total": total,
            "tier": tier,
            "basis": clean(basis),
            "strategy": clean(strategy) or suggested,
            "assessed_on": assessed_on or today(),
            "assessor": clean(assessor) or current_user(),
        },
    )
    rows.update(conn, log, "customer", customer, {"tier": tier})
    return Assessed(assessment_id, customer_id, potential, willingness, total, tier)


def next_code(conn: sqlite3.Connection) -> str:
    """The next free customer code (C000001, C000002, …)."""
    (last,) = conn.execute("SELECT max(code) FROM customer WHERE code LIKE 'C%'").fetchone()
    number = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"C{number:06d}"


def create_customer(conn: sqlite3.Connection, log: UndoLog, name: str, **fields: Any) -> Added:
    """A new customer with the next code; its search text built for the search index."""
    data = normalise_customer_fields({"name": name, **fields})
    data.setdefault("owner", current_user())
    data.setdefault("status", "potential")
    data.setdefault("tier", "D")
    code = next_code(conn)
    search_text = search_text_of(data["name"], data.get("alias"), code, data.get("email"), data.get("phone"))
    customer_id = rows.insert(conn, log, "customer", {"code": code, **data, "search_text": search_text})
    return Added(customer_id, code, data["name"])


def opportunity_id(conn: sqlite3.Connection, ref: str) -> int:
    """The opportunity a rep means (``tuicrm.query.pipeline.opportunity_ref``): its id, or a fragment
    of the name of exactly one live one (``Ambiguous`` lists the candidates with their customers)."""
    from tuicrm.query.pipeline import opportunity_ref

    return opportunity_ref(conn, ref)


def won_deals(conn: sqlite3.Connection, customer_id: int) -> list[tuple[Decimal, date | None]]:
    """(amount, closed_on) of the customer's live won deals in the configured currency (a deal's
    ``currency`` is NULL then): what its figures are derived from. Revenue is never converted, so
    a deal won in another currency is not in ``revenue_total``; the card and the value report
    show it on a line of its own (issue #15)."""
    from decimal import Decimal

    found = conn.execute(
        "SELECT amount, closed_on FROM opportunity WHERE customer_id = ? AND stage = 'won' "
        "AND archived_at IS NULL AND currency IS NULL ORDER BY id",
        (customer_id,),
    ).fetchall()
    return [
        ((Decimal(int(cents)) / 100).quantize(Decimal("0.01")), date.fromisoformat(d) if d else None)
        for cents, d in found
    ]


def recompute_customer_figures(
    conn: sqlite3.Connection, log: UndoLog, customer_id: int, won_before: list[tuple[Decimal, date | None]]
) -> DealFigures:
    """Set the customer's status, revenue_total and last_deal_on from its deals
    (``tuicrm.domain.pipeline.deal_figures``), given its won deals (``won_deals``) as they were
    before the change: every write that changes a deal ends with this, so a deal won twice counts
    once and a deal reopened, lost or archived takes its amount back out."""
    from tuicrm.domain.pipeline import deal_figures

    customer = _customer(conn, customer_id)
    figures = deal_figures(
        str(customer["status"]),
        customer["revenue_total"],
        customer["last_deal_on"],
        won_before,
        won_deals(conn, customer_id),
    )
    rows.update(
        conn,
        log,
        "customer",
        customer,
        {
            "status": figures.status,
            "revenue_total": figures.revenue_total,
            "last_deal_on": figures.last_deal_on,
        },
    )
    return figures


def move_opportunity(
    conn: sqlite3.Connection,
    log: UndoLog,
    config: Config,
    opportunity: int,
    to_stage: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    stage_default: bool = False,
    detail: str | None = None,
) -> Moved:
    """Move to a stage, recording a StageChange. Won and lost set 100% and 0%; a probability the
    rep set survives a move between open stages unless ``stage_default`` asks for the stage's
    (``tuicrm.domain.pipeline.probability_after_move``). Lost needs a reason: its category and
    details are stored apart (``tuicrm.domain.lost.split_lost_reason``: "price: chose Huawei" is
    the category price with details). The customer's figures follow (``recompute_customer_figures``)."""
    from tuicrm.domain.lost import split_lost_reason
    from tuicrm.domain.pipeline import StageError, check_move, check_stage, probability_after_move

    opp = rows.read(conn, "opportunity", opportunity)
    if opp is None:
        raise NotFound(f"No opportunity with id {opportunity}.")
    try:
        check_move(opp["stage"], to_stage, reason)
        to_stage = check_stage(to_stage)
    except StageError as exc:
        raise StoreError(str(exc)) from None
    from_stage = str(opp["stage"])
    category, details = split_lost_reason(clean(reason), clean(detail), config.lost_reasons)
    won_before = won_deals(conn, int(opp["customer_id"]))
    change_id = rows.insert(
        conn,
        log,
        "stagechange",
        {
            "opportunity_id": opportunity,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "at": utcnow(),
            "note": clean(note) or (_reason_note(category, details) if to_stage == "lost" else None),
        },
    )
    probability, probability_set = probability_after_move(
        from_stage,
        to_stage,
        int(opp["probability"]),
        bool(opp["probability_set"]),
        config,
        stage_default=stage_default,
    )
    changes: dict[str, Any] = {
        "stage": to_stage,
        "probability": probability,
        "probability_set": probability_set,
    }
    if to_stage == "lost":
        changes["lost_reason"], changes["lost_detail"] = category, details
    if to_stage in ("won", "lost"):
        changes["closed_on"] = today()
    else:
        changes["closed_on"] = None
        changes["lost_reason"] = changes["lost_detail"] = None
    rows.update(conn, log, "opportunity", opp, changes)
    recompute_customer_figures(conn, log, int(opp["customer_id"]), won_before)
    if to_stage == "won" and from_stage != "won":
        from tuicrm.store.lean.revisit import schedule_first_revisit

        schedule_first_revisit(conn, log, config, int(opp["customer_id"]), str(opp["name"]))
    return Moved(change_id, opportunity, str(opp["name"]), from_stage, to_stage)


def _reason_note(category: str | None, details: str | None) -> str | None:
    """The stage change's note for a move to lost: the reason as typed ("price: chose Huawei")."""
    return f"{category}: {details}" if category and details else category
