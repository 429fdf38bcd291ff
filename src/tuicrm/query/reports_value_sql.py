"""The value report's SQL pieces (``query.reports.value``, ``query.reports_value``): the customers'
revenue (payments received, else won deals), their follow-up facts, the won deals in other
currencies. Apart from ``query.reports`` so that ``report value`` imports neither the weekly
report's modules nor ``dataclasses`` (~15 ms of its start)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tuicrm.domain import reports as rep
from tuicrm.query.dialect import timestamp_param
from tuicrm.query.reports_sql import CURRENCY, LIVE_OPPORTUNITY, parsed
from tuicrm.query.values import as_date

if TYPE_CHECKING:
    from tuicrm.config import Config, ReportConfig


# Each customer's won deals in the configured currency: their sum, the last close, those closed
# in the RFM window (from :window_day).
WON = (
    "SELECT customer_id AS cid, coalesce(sum(amount), 0) AS cents, max(closed_on) AS last_closed, "
    "sum(CASE WHEN closed_on >= :window_day THEN 1 ELSE 0 END) AS recent FROM opportunity "
    f"WHERE stage = 'won' AND archived_at IS NULL AND {CURRENCY} = :currency GROUP BY customer_id"
)


def _value_sources(
    config: Config, today: date, rc: ReportConfig, tz: Any
) -> tuple[str, str, str, dict[str, Any]]:
    """(FROM clause, revenue and basis expressions, parameters) of the value report's rows."""
    window_day = today - timedelta(days=rc.rfm_window_days)
    window_at = timestamp_param(rep.local_midnight(window_day, tz))
    won = f"({WON}) AS won"
    # The live payments grouped in the order of their covering index (migration 0013).
    paid = (
        "(SELECT customer_id AS cid, sum(amount) AS cents FROM payment INDEXED BY ix_payment_revenue "
        f"WHERE archived_at IS NULL AND {CURRENCY} = :currency GROUP BY customer_id) AS paid"
    )
    revenue = "CASE WHEN paid.cents > 0 THEN paid.cents ELSE coalesce(c.revenue_total, won.cents, 0) END"
    basis = "CASE WHEN paid.cents > 0 THEN 'received' ELSE 'won' END"
    base = f"customer c LEFT OUTER JOIN {won} ON won.cid = c.id LEFT OUTER JOIN {paid} ON paid.cid = c.id"
    params = {"window_day": window_day.isoformat(), "window_at": window_at, "currency": config.currency}
    return base, revenue, basis, params


def _value_inputs(rows: list[Any], tz: Any) -> list[rep.ValueInput]:
    """``(id, code, name, tier, cents, last deal, last won, won recently, last follow-up,
    follow-ups recently, basis)`` rows as the report's inputs."""
    items = []
    for cid, code, name, tier, cents, last_deal, last_closed, won_recent, last_at, fu_recent, how in rows:
        dates = [d for d in (as_date(last_deal), as_date(last_closed)) if d]
        if last_at is not None:
            dates.append(rep.local_date(parsed(last_at), tz))
        items.append(
            rep.ValueInput(
                cid,
                code,
                name,
                tier,
                rep.cents_to_money(cents),
                max(dates) if dates else None,
                int(won_recent or 0) + int(fu_recent or 0),
                str(how),
            )
        )
    return items


def _follow_up_facts(conn: sqlite3.Connection, rows: list[Any], params: dict[str, Any]) -> list[Any]:
    """``rows`` with their last follow-up and the follow-ups since the RFM window (columns 8, 9)."""
    ids = ", ".join(str(int(r[0])) for r in rows)
    facts = {
        int(cid): (last_at, recent)
        for cid, last_at, recent in conn.execute(
            "SELECT customer_id, max(at), sum(at >= :window_at) FROM followup "
            f"WHERE customer_id IN ({ids}) GROUP BY customer_id",
            params,
        )
    }
    return [(*r[:8], *facts.get(int(r[0]), (None, 0)), r[10]) for r in rows]


def _other_currencies(conn: sqlite3.Connection, config: Config) -> tuple[tuple[str, int, Any], ...]:
    """Won deals in other currencies: (currency, customers, amount), never converted."""
    return tuple(
        (str(cur), int(n), rep.cents_to_money(cents))
        for cur, n, cents in conn.execute(
            f"SELECT {CURRENCY} AS cur, count(DISTINCT o.customer_id), coalesce(sum(o.amount), 0) "
            f"FROM opportunity o WHERE o.stage = 'won' AND {LIVE_OPPORTUNITY} AND {CURRENCY} != :currency "
            "GROUP BY cur ORDER BY cur",
            {"currency": config.currency},
        )
    )
