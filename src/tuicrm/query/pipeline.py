"""Opportunities on the pipeline: the board's columns and cards, stage totals, staleness, forecast inputs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tuicrm.config import OPEN_STAGES, STAGES
from tuicrm.query.dialect import greatest, timestamp_param
from tuicrm.query.followups import last_activity_by_customer
from tuicrm.query.values import as_date, as_money, as_utc

if TYPE_CHECKING:
    from tuicrm.config import Config

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class Card:
    opportunity_id: int
    name: str
    customer_id: int
    customer_name: str
    amount: Decimal
    probability: int
    weighted: Decimal
    stage: str
    expected_close_on: date | None
    stale: bool
    last_activity: date | None
    competitors: str | None = None
    risks: str | None = None
    next_step: str | None = None
    next_step_due_on: date | None = None
    overdue: bool = False  # open, and its expected close date has passed
    probability_set: bool = False  # the rep's probability: moves between open stages keep it
    lost_reason: str | None = None  # a lost deal's reason (its category), shown on its card
    lost_detail: str | None = None  # and its details, apart


@dataclass
class PipelineColumn:
    stage: str
    count: int  # every live opportunity in the stage
    total: Decimal  # sum of amounts over all of them
    weighted: Decimal  # sum of amount × probability over all of them
    cards: list[Card] = field(default_factory=list)
    # currency -> (sum, weighted sum): one line per currency, never converted. ``total`` and
    # ``weighted`` above add them up only while there is a single currency.
    by_currency: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


_CARD_SQL = (
    "SELECT o.id, o.name, o.customer_id, c.name, o.amount, o.probability, o.stage, o.expected_close_on, "
    "o.updated_at, o.competitors, o.risks, o.next_step, o.next_step_due_on, o.probability_set, o.lost_reason, "
    "o.lost_detail "
    "FROM opportunity o JOIN customer c ON c.id = o.customer_id WHERE o.archived_at IS NULL "
)


def _cards(
    conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]], today: date, config: Config
) -> list[Card]:
    """Cards with staleness: the later of the customer's last follow-up and the opportunity's
    last change, older than the stage's stale days."""
    from tuicrm.clock import local_date
    from tuicrm.domain.pipeline import is_overdue, is_stale, weighted_value

    rows = list(rows)
    activity = last_activity_by_customer(conn, sorted({int(r[2]) for r in rows}))
    out = []
    for oid, name, cid, customer_name, cents, probability, stage, close, updated, *more in rows:
        competitors, risks, next_step, next_due, probability_set, lost_reason, lost_detail = more
        amount = as_money(cents) or Decimal("0.00")
        changed = as_utc(updated)
        last = max(filter(None, [activity.get(cid), local_date(changed) if changed else None]), default=None)
        out.append(
            Card(
                oid,
                name,
                cid,
                customer_name,
                amount,
                probability,
                weighted_value(amount, probability),
                stage,
                as_date(close),
                is_stale(stage, last, today, config),
                last,
                competitors,
                risks,
                next_step,
                as_date(next_due),
                is_overdue(stage, as_date(close), today),
                bool(probability_set),
                lost_reason if stage == "lost" else None,
                lost_detail if stage == "lost" else None,
            )
        )
    return out


def _closed_since(closed_since: date | None, alias: str = "") -> tuple[str, tuple[Any, ...]]:
    """The SQL condition (and its parameters) keeping won and lost deals closed on or after
    ``closed_since`` (every open deal, and every closed one when None)."""
    if closed_since is None:
        return "", ()
    return (
        f" AND ({alias}stage NOT IN ('won', 'lost') OR {alias}closed_on >= ?)",
        (closed_since.isoformat(),),
    )


def stage_totals(
    conn: sqlite3.Connection, stages: Sequence[str] = STAGES, closed_since: date | None = None
) -> dict[str, tuple[int, Decimal, Decimal]]:
    """stage -> (count, sum of amounts, weighted sum), exact, over all live opportunities
    (won and lost: those closed since ``closed_since`` when given)."""
    since, since_params = _closed_since(closed_since)
    rows = conn.execute(
        "SELECT stage, count(*), coalesce(sum(amount), 0), coalesce(sum(amount * probability), 0) "
        f"FROM opportunity WHERE archived_at IS NULL AND stage IN ({_placeholders(stages)}){since} "
        "GROUP BY stage",
        (*stages, *since_params),
    ).fetchall()
    out = {s: (0, Decimal(0), Decimal(0)) for s in stages}
    for stage, count, cents, weighted_cents in rows:
        out[stage] = (
            int(count),
            (Decimal(int(cents)) / 100).quantize(Decimal("0.01")),
            (Decimal(int(weighted_cents)) / 10_000).quantize(Decimal("0.01")),
        )
    return out


def stage_totals_by_currency(
    conn: sqlite3.Connection,
    default_currency: str,
    stages: Sequence[str] = STAGES,
    closed_since: date | None = None,
) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
    """stage -> currency -> (sum of amounts, weighted sum), over all live opportunities (won and
    lost: closed since ``closed_since`` when given); an opportunity without a currency is in
    ``default_currency`` (the configured one)."""
    since, since_params = _closed_since(closed_since)
    rows = conn.execute(
        "SELECT stage, coalesce(currency, ?), coalesce(sum(amount), 0), coalesce(sum(amount * probability), 0) "
        f"FROM opportunity WHERE archived_at IS NULL AND stage IN ({_placeholders(stages)}){since} "
        "GROUP BY stage, coalesce(currency, ?) ORDER BY 1, 2",
        (default_currency, *stages, *since_params, default_currency),
    ).fetchall()
    out: dict[str, dict[str, tuple[Decimal, Decimal]]] = {s: {} for s in stages}
    for stage, currency, cents, weighted_cents in rows:
        out[stage][str(currency)] = (
            (Decimal(int(cents)) / 100).quantize(Decimal("0.01")),
            (Decimal(int(weighted_cents)) / 10_000).quantize(Decimal("0.01")),
        )
    return out


def pipeline_board(
    conn: sqlite3.Connection,
    config: Config,
    today: date,
    stages: Sequence[str] = STAGES,
    limit_per_stage: int = DEFAULT_LIMIT,
    closed_since: date | None = None,
) -> list[PipelineColumn]:
    """Pipeline columns: totals over everything, cards for the first ``limit_per_stage`` per stage;
    the won and lost columns hold only deals closed since ``closed_since`` when given (the board's
    "this quarter", issue #21).

    Cards are ordered by expected close (undated last), then id; a card is stale when the later of the customer's last follow-up and the
    opportunity's last change is older than the stage's stale days.
    """
    totals = stage_totals(conn, stages, closed_since)
    currencies = stage_totals_by_currency(conn, config.currency, stages, closed_since)
    loaded: dict[str, list[tuple[Any, ...]]] = {}
    for stage in stages:
        since: str = ""
        since_params: tuple[str, ...] = ()
        if stage in ("won", "lost") and closed_since is not None:
            since, since_params = " AND o.closed_on >= ?", (closed_since.isoformat(),)
        loaded[stage] = conn.execute(
            f"{_CARD_SQL}AND o.stage = ?{since} "
            "ORDER BY o.expected_close_on IS NULL, o.expected_close_on, o.id LIMIT ?",
            (stage, *since_params, limit_per_stage),
        ).fetchall()
    cards = iter(_cards(conn, [r for s in stages for r in loaded[s]], today, config))
    columns = []
    for stage in stages:
        count, total, weighted = totals[stage]
        columns.append(
            PipelineColumn(
                stage, count, total, weighted, [next(cards) for _ in loaded[stage]], currencies[stage]
            )
        )
    return columns


def stale_count(
    conn: sqlite3.Connection, config: Config, today: date, stages: Sequence[str] = OPEN_STAGES
) -> int:
    """How many live open opportunities are stale, over the whole table (not only the loaded cards).

    The rule of ``pipeline_board``'s cards in SQL: the later of the customer's last follow-up and the opportunity's
    last change falls before local midnight of ``today - stale days``. Uses the (customer_id, at)
    index of follow-ups, one correlated lookup per opportunity; timestamps compare as text.
    """
    from tuicrm.clock import local_midnight_utc

    last = "(SELECT max(f.at) FROM followup f WHERE f.customer_id = o.customer_id)"
    activity = greatest(f"coalesce({last}, o.updated_at)", "o.updated_at")
    total = 0
    for stage in stages:
        cutoff = local_midnight_utc(today - timedelta(days=config.stale_after(stage)))
        row = conn.execute(
            f"SELECT count(*) FROM opportunity o WHERE o.archived_at IS NULL AND o.stage = ? AND {activity} < ?",
            (stage, timestamp_param(cutoff)),
        ).fetchone()
        total += int(row[0])
    return total


def open_forecast_inputs(conn: sqlite3.Connection) -> list[tuple[str, Decimal, int, date | None]]:
    """(stage, amount, probability, expected close) of every live open opportunity,
    the input of ``tuicrm.domain.pipeline.forecast``."""
    rows = conn.execute(
        "SELECT stage, amount, probability, expected_close_on FROM opportunity "
        f"WHERE archived_at IS NULL AND stage IN ({_placeholders(OPEN_STAGES)})",
        tuple(OPEN_STAGES),
    ).fetchall()
    return [(stage, as_money(cents) or Decimal("0.00"), p, as_date(close)) for stage, cents, p, close in rows]


def opportunity_brief(conn: sqlite3.Connection, opportunity_id: int) -> tuple[str, str, str] | None:
    """(opportunity name, customer name, stage) for a modal's title, or None if gone."""
    row = conn.execute(
        "SELECT o.name, c.name, o.stage FROM opportunity o JOIN customer c ON c.id = o.customer_id "
        "WHERE o.id = ?",
        (opportunity_id,),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


# --- one opportunity: which one a rep means, its fields, the list -----------------------------

# Every field of an opportunity a rep reads or edits, in the order ``opp show`` lists them.
OPPORTUNITY_COLUMNS = (
    "id",
    "version",
    "name",
    "customer_id",
    "amount",
    "stage",
    "probability",
    "probability_set",
    "expected_close_on",
    "closed_on",
    "lost_reason",
    "lost_detail",
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
    "renewal_on",
    "owner",
    "archived_at",
    "created_at",
    "updated_at",
)
_DATES = ("expected_close_on", "closed_on", "next_step_due_on", "next_step_done_on", "renewal_on")
_TIMES = ("archived_at", "created_at", "updated_at")


def opportunity_ref(conn: sqlite3.Connection, ref: str, *, archived: bool = False) -> int:
    """The opportunity a rep means: its id, or a fragment of the name of exactly one live one
    (``archived``: of one archived one). ``NotFound``; ``Ambiguous`` lists up to 20 candidates
    as (id, "name · customer (code)")."""
    from tuicrm.query.customers import is_row_id
    from tuicrm.query.errors import Ambiguous, NotFound

    ref = (ref or "").strip()
    if is_row_id(ref):
        row = conn.execute("SELECT id FROM opportunity WHERE id = ?", (int(ref),)).fetchone()
        if row:
            return int(row[0])
    live = "o.archived_at IS NOT NULL" if archived else "o.archived_at IS NULL"
    matches = conn.execute(
        "SELECT o.id, o.name, c.name, c.code FROM opportunity o JOIN customer c ON c.id = o.customer_id "
        f"WHERE {live} AND o.name LIKE '%' || ? || '%' ORDER BY o.id LIMIT 21",
        (ref,),
    ).fetchall()
    if not matches:
        raise NotFound(f"No opportunity matches '{ref}'.")
    if len(matches) > 1:
        shown = "20+" if len(matches) > 20 else str(len(matches))
        raise Ambiguous(
            f"'{ref}' matches {shown} opportunities.",
            [(str(i), f"{name} · {customer} ({code})") for i, name, customer, code in matches[:20]],
        )
    return int(matches[0][0])


@dataclass(frozen=True)
class OpportunityDetail:
    """One opportunity's every field (``OPPORTUNITY_COLUMNS``), its customer and decision maker."""

    fields: dict[str, Any]
    customer_code: str
    customer_name: str
    decision_maker: str | None
    overdue: bool


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "amount":
        return as_money(value)
    if name in _DATES:
        return as_date(value)
    if name in _TIMES:
        return as_utc(value)
    if name == "probability_set":
        return bool(value)
    return value


def opportunity_detail(
    conn: sqlite3.Connection, opportunity_id: int, today: date
) -> OpportunityDetail | None:
    """Every field of one opportunity (archived ones too), or None when there is no such row."""
    from tuicrm.domain.pipeline import is_overdue

    cols = ", ".join(f"o.{c}" for c in OPPORTUNITY_COLUMNS)
    row = conn.execute(
        f"SELECT {cols}, c.code, c.name, k.name FROM opportunity o JOIN customer c ON c.id = o.customer_id "
        "LEFT JOIN contact k ON k.id = o.decision_maker_id WHERE o.id = ?",
        (opportunity_id,),
    ).fetchone()
    if row is None:
        return None
    n = len(OPPORTUNITY_COLUMNS)
    fields = {c: _typed(c, v) for c, v in zip(OPPORTUNITY_COLUMNS, row[:n], strict=True)}
    code, customer, maker = row[n:]
    overdue = fields["archived_at"] is None and is_overdue(
        fields["stage"], fields["expected_close_on"], today
    )
    return OpportunityDetail(fields, str(code), str(customer), maker, overdue)


@dataclass(frozen=True)
class OpportunityRow:
    id: int
    name: str
    customer_id: int
    customer_code: str
    customer_name: str
    stage: str
    amount: Decimal
    probability: int
    expected_close_on: date | None
    next_step: str | None
    overdue: bool
    currency: str | None = None  # None: the configured currency


def opportunity_list(
    conn: sqlite3.Connection,
    today: date,
    *,
    stage: str | None = None,
    customer_id: int | None = None,
    limit: int = 1000,
) -> list[OpportunityRow]:
    """Live opportunities, optionally of one stage and/or one customer: by stage order, then
    expected close (undated last), then id."""
    from tuicrm.domain.pipeline import is_overdue

    where = ["o.archived_at IS NULL"]
    params: list[Any] = []
    if stage is not None:
        where.append("o.stage = ?")
        params.append(stage)
    if customer_id is not None:
        where.append("o.customer_id = ?")
        params.append(customer_id)
    order = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES))
    found = conn.execute(
        "SELECT o.id, o.name, o.customer_id, c.code, c.name, o.stage, o.amount, o.probability, "
        "o.expected_close_on, o.next_step, o.currency FROM opportunity o JOIN customer c ON c.id = o.customer_id "
        f"WHERE {' AND '.join(where)} ORDER BY CASE o.stage {order} END, "
        "o.expected_close_on IS NULL, o.expected_close_on, o.id LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [
        OpportunityRow(
            int(oid),
            name,
            int(cid),
            code,
            customer,
            stage_,
            as_money(cents) or Decimal("0.00"),
            int(probability),
            as_date(close),
            next_step,
            is_overdue(stage_, as_date(close), today),
            currency,
        )
        for oid, name, cid, code, customer, stage_, cents, probability, close, next_step, currency in found
    ]


def decision_maker_ref(conn: sqlite3.Connection, customer_id: int, ref: str) -> int:
    """The customer's live contact a rep names as a deal's decision maker: its id, or a fragment
    of the name of exactly one. ``NotFound``; ``Ambiguous`` lists (id, name)."""
    from tuicrm.query.customers import is_row_id
    from tuicrm.query.errors import Ambiguous, NotFound

    ref = (ref or "").strip()
    if is_row_id(ref):
        row = conn.execute(
            "SELECT id FROM contact WHERE id = ? AND customer_id = ?", (int(ref), customer_id)
        ).fetchone()
        if row:
            return int(row[0])
    matches = conn.execute(
        "SELECT id, name FROM contact WHERE customer_id = ? AND archived_at IS NULL "
        "AND name LIKE '%' || ? || '%' ORDER BY id LIMIT 21",
        (customer_id, ref),
    ).fetchall()
    if not matches:
        raise NotFound(f"No contact of this customer matches '{ref}'.")
    if len(matches) > 1:
        raise Ambiguous(f"'{ref}' matches {len(matches)} contacts.", [(str(i), n) for i, n in matches[:20]])
    return int(matches[0][0])
