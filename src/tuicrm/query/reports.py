"""The reports' queries (``tuicrm.domain.reports`` does the arithmetic).

Money columns hold integer cents: sums stay exact integers and become Decimal once, here. Stored
timestamps are naive UTC text; a report's local days become UTC bounds through the local
timezone. Archived customers and opportunities (and the opportunities of archived customers)
are left out of every report.

Written for 100 000 customers / 500 000 follow-ups: ranges on ``followup.at`` use its index,
archived rows are excluded with ``NOT IN (small set)`` rather than a join, and per-customer
lookups are index seeks on ``(customer_id, at)``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from tuicrm.domain import reports as rep
from tuicrm.query.values import as_date

if TYPE_CHECKING:
    from decimal import Decimal

    from tuicrm.config import Config, ReportConfig

__all__ = [
    "forecast",
    "funnel",
    "lost",
    "pending_at",
    "pending_due_count",
    "rows_at",
    "stage_histories",
    "stale_opportunities",
    "value",
    "weekly",
    "won_trend",
]
from tuicrm.query.reports_sql import (
    CURRENCY,
    LIVE_OPPORTUNITY,
    OPEN,
    local_tz,
    one,
    parsed,
)
from tuicrm.query.reports_value_sql import _follow_up_facts, _other_currencies, _value_inputs, _value_sources
from tuicrm.query.reports_weekly import pending_at, pending_due_count, rows_at, weekly, won_trend

# -- funnel --------------------------------------------------------------------------------------


def stage_histories(conn: sqlite3.Connection) -> list[rep.StageHistory]:
    """Every live opportunity with its moves in order (one without any recorded move: its current stage)."""
    stamp = datetime.fromisoformat  # stored timestamps are ISO text (``parsed``, without the call)
    opps = {
        oid: (cents, stage, created)
        for oid, cents, stage, created in conn.execute(
            f"SELECT o.id, o.amount, o.stage, o.created_at FROM opportunity o WHERE {LIVE_OPPORTUNITY}"
        )
    }
    moves: dict[int, list[tuple[str, datetime]]] = {}
    # In order from the covering index (migration 0013), not looked up or sorted move by move.
    rows = conn.execute(
        "SELECT opportunity_id, to_stage, at FROM stagechange INDEXED BY ix_stagechange_moves "
        "ORDER BY opportunity_id, at, id"
    )
    for oid, group in groupby(rows, key=itemgetter(0)):
        if oid in opps:
            moves[oid] = [(to_stage, stamp(str(at))) for _oid, to_stage, at in group]
    out = []
    money_of: dict[Any, Decimal] = {}  # amounts repeat: each made a Decimal once
    history = rep.StageHistory
    for oid, (cents, stage, created) in opps.items():
        m = moves.get(oid) or [(stage, stamp(str(created)))]
        money = money_of.get(cents)
        if money is None:
            money = money_of[cents] = rep.cents_to_money(cents)
        out.append(history(oid, money, tuple(m), stage))
    return out


def _usual(stored: object) -> bool:
    """A stored time in the form every writer uses (naive UTC, to the microsecond)."""
    return isinstance(stored, str) and len(stored) == 26 and stored[10] == " " and stored[19] == "."


def _utc_instant(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC instant (naive ones are UTC), for comparing."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def stale_opportunities(conn: sqlite3.Connection, config: Config, today: date) -> list[rep.StaleItem]:
    """Open opportunities idle longer than the stage allows (the pipeline board's rule).

    Last activity: the customer's latest follow-up, or the opportunity's last change.
    """
    from tuicrm.domain.pipeline import is_stale

    tz = local_tz()
    local_day = rep.LocalDays(tz)  # one offset lookup per UTC day, not per opportunity
    # ``+``: the opportunities read in one pass, not each through the stage index (then sorted)
    rows = conn.execute(
        "SELECT o.id, o.name, c.code, c.name, o.stage, o.amount, o.updated_at, "
        "(SELECT max(f.at) FROM followup f WHERE f.customer_id = o.customer_id) "
        "FROM opportunity o JOIN customer c ON c.id = o.customer_id "
        f"WHERE +o.archived_at IS NULL AND +c.archived_at IS NULL AND +o.stage IN ({OPEN})"
    )
    out = []
    money_of: dict[Any, Decimal] = {}  # amounts repeat: each made a Decimal once
    for oid, name, code, cname, stage, cents, updated, last_at in rows:
        # The later instant's local day is the later local day: one conversion, not two. Two
        # stored times of the usual form ("2026-11-22 09:00:00.000000", UTC) compare as text.
        if last_at is None or updated is None:
            later = updated if last_at is None else last_at
            last = None if later is None else local_day(later)
        elif _usual(updated) and _usual(last_at):
            last = local_day(updated if updated > last_at else last_at)
        else:
            last = rep.local_date(max((parsed(updated), parsed(last_at)), key=_utc_instant), tz)
        if is_stale(stage, last, today, config):
            assert last is not None  # is_stale: never without a last activity
            idle = (today - last).days
            money = money_of.get(cents)
            if money is None:
                money = money_of[cents] = rep.cents_to_money(cents)
            out.append(rep.StaleItem(oid, name, code, cname, stage, money, last, idle))
    out.sort(key=lambda s: (-(s.idle_days or 0), -s.amount, s.opportunity_id))
    return out


def funnel(
    conn: sqlite3.Connection, config: Config, *, start: date | None, end: date, today: date
) -> rep.FunnelReport:
    """The funnel for opportunities created from ``start`` (or ever) to ``end``, as it stood at ``end``."""
    tz = local_tz()
    start_at = rep.local_midnight(start, tz) if start else None
    end_at = rep.local_midnight(end + timedelta(days=1), tz)
    histories = rep.in_period(stage_histories(conn), start_at, end_at)
    return rep.funnel_report(
        histories,
        start=start,
        end=end,
        currency=config.currency,
        stale=stale_opportunities(conn, config, today),
    )


# -- forecast ------------------------------------------------------------------------------------


def forecast(conn: sqlite3.Connection, config: Config, *, by: str, today: date) -> rep.ForecastReport:
    """Open and won amounts by period, one report per currency (an opportunity without a
    currency is in the configured one); never converted."""
    cur = CURRENCY
    params = {"currency": config.currency}
    open_rows = [
        (str(k), rep.cents_to_money(c), int(p), as_date(d))
        for k, c, p, d in conn.execute(
            f"SELECT {cur}, o.amount, o.probability, o.expected_close_on FROM opportunity o "
            f"WHERE {LIVE_OPPORTUNITY} AND o.stage IN ({OPEN})",
            params,
        )
    ]
    won_rows = [
        (str(k), rep.cents_to_money(c), as_date(closed) or as_date(expected))
        for k, c, closed, expected in conn.execute(
            f"SELECT {cur}, o.amount, o.closed_on, o.expected_close_on FROM opportunity o "
            f"WHERE {LIVE_OPPORTUNITY} AND o.stage = 'won'",
            params,
        )
    ]
    return rep.forecast_by_currency(open_rows, won_rows, by=by, today=today, currency=config.currency)


# -- value (ABC, RFM) ----------------------------------------------------------------------------


def value(
    conn: sqlite3.Connection,
    config: Config,
    *,
    today: date,
    rc: ReportConfig | None = None,
    rfm_rows: int | None = None,
) -> rep.ValueReport:
    """Revenue is what the customer paid (its payments) when it has any, else its won revenue:
    its recorded revenue total, else the sum of its won deals; each row says which.

    Recency counts from the latest of: last deal date, a won deal's close date, a follow-up.
    Frequency: follow-ups logged plus deals won in the last ``rfm_window_days``.

    ``rfm_rows``: read the follow-ups (recency, frequency) only for the first ``rfm_rows``
    customers by revenue, the ones a table shows; the classes and the review do not use them.
    None: for every customer (``--json``, the Reports screen).
    """
    rc = rc or config.reports
    tz = local_tz()
    base, revenue, basis, params = _value_sources(config, today, rc, tz)
    follow_ups = (
        "(SELECT f.at FROM followup f WHERE f.customer_id = c.id ORDER BY f.at DESC LIMIT 1), "
        "(SELECT count(*) FROM followup f WHERE f.customer_id = c.id AND f.at >= :window_at)"
        if rfm_rows is None
        else "NULL, NULL"
    )
    rows = conn.execute(
        f"SELECT c.id, c.code, c.name, c.tier, {revenue} AS revenue, c.last_deal_on, won.last_closed, "
        f"won.recent, {follow_ups}, {basis} FROM {base} WHERE +c.archived_at IS NULL AND {revenue} > 0 "
        "ORDER BY revenue DESC, c.code",
        params,
    ).fetchall()
    if rfm_rows:
        rows[:rfm_rows] = _follow_up_facts(conn, rows[:rfm_rows], params)
    items = _value_inputs(rows, tz)
    live = one(conn, "SELECT count(*) FROM customer WHERE archived_at IS NULL")
    others = int(live) - len(items)  # live customers whose revenue is not above zero
    other_currencies = _other_currencies(conn, config)
    report = rep.value_report(items, today=today, currency=config.currency, rc=rc, others=others)
    return replace(report, other_currencies=other_currencies)


# -- lost ----------------------------------------------------------------------------------------


def lost(
    conn: sqlite3.Connection, config: Config, *, start: date | None = None, end: date | None = None
) -> rep.LostReport:
    """Lost deals closed from ``start`` to ``end`` (inclusive, either open), by reason category
    (with its deals' details) and by the stage lost from."""
    sql = (
        "SELECT o.lost_reason, o.amount, (SELECT s.from_stage FROM stagechange s WHERE s.opportunity_id = o.id "
        "AND s.to_stage = 'lost' ORDER BY s.at DESC, s.id DESC LIMIT 1), o.lost_detail "
        f"FROM opportunity o WHERE o.stage = 'lost' AND {LIVE_OPPORTUNITY}"
    )
    params: list[str] = []
    if start:
        sql += " AND o.closed_on >= ?"
        params.append(start.isoformat())
    if end:
        sql += " AND o.closed_on <= ?"
        params.append(end.isoformat())
    items = [
        (reason, rep.cents_to_money(cents), stage, detail)
        for reason, cents, stage, detail in conn.execute(sql, params)
    ]
    return rep.lost_report(items, start=start, end=end, currency=config.currency, known=config.lost_reasons)
