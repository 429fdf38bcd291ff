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


@dataclass
class PipelineColumn:
    stage: str
    count: int  # every live opportunity in the stage
    total: Decimal  # sum of amounts over all of them
    weighted: Decimal  # sum of amount × probability over all of them
    cards: list[Card] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


_CARD_SQL = (
    "SELECT o.id, o.name, o.customer_id, c.name, o.amount, o.probability, o.stage, o.expected_close_on, "
    "o.updated_at FROM opportunity o JOIN customer c ON c.id = o.customer_id WHERE o.archived_at IS NULL "
)


def _cards(
    conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]], today: date, config: Config
) -> list[Card]:
    """Cards with staleness: the later of the customer's last follow-up and the opportunity's
    last change, older than the stage's stale days."""
    from tuicrm.clock import to_local
    from tuicrm.domain.pipeline import is_stale, weighted_value

    rows = list(rows)
    activity = last_activity_by_customer(conn, sorted({int(r[2]) for r in rows}))
    out = []
    for oid, name, cid, customer_name, cents, probability, stage, close, updated in rows:
        amount = as_money(cents) or Decimal("0.00")
        changed = as_utc(updated)
        last = max(
            filter(None, [activity.get(cid), to_local(changed).date() if changed else None]), default=None
        )
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
            )
        )
    return out


def stage_totals(
    conn: sqlite3.Connection, stages: Sequence[str] = STAGES
) -> dict[str, tuple[int, Decimal, Decimal]]:
    """stage -> (count, sum of amounts, weighted sum), exact, over all live opportunities."""
    rows = conn.execute(
        "SELECT stage, count(*), coalesce(sum(amount), 0), coalesce(sum(amount * probability), 0) "
        f"FROM opportunity WHERE archived_at IS NULL AND stage IN ({_placeholders(stages)}) GROUP BY stage",
        tuple(stages),
    ).fetchall()
    out = {s: (0, Decimal(0), Decimal(0)) for s in stages}
    for stage, count, cents, weighted_cents in rows:
        out[stage] = (
            int(count),
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
) -> list[PipelineColumn]:
    """Pipeline columns: totals over everything, cards for the first ``limit_per_stage`` per stage.

    Cards are ordered by expected close (undated last), then id; a card is stale when the later of
    the customer's last follow-up and the opportunity's last change is older than the stage's stale days.
    """
    totals = stage_totals(conn, stages)
    loaded: dict[str, list[tuple[Any, ...]]] = {}
    for stage in stages:
        loaded[stage] = conn.execute(
            f"{_CARD_SQL}AND o.stage = ? ORDER BY o.expected_close_on IS NULL, o.expected_close_on, o.id "
            "LIMIT ?",
            (stage, limit_per_stage),
        ).fetchall()
    cards = iter(_cards(conn, [r for s in stages for r in loaded[s]], today, config))
    columns = []
    for stage in stages:
        count, total, weighted = totals[stage]
        columns.append(PipelineColumn(stage, count, total, weighted, [next(cards) for _ in loaded[stage]]))
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
