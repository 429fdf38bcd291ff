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
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tuicrm.config import OPEN_STAGES
from tuicrm.domain import reports as rep
from tuicrm.query.dialect import quoted, timestamp_param
from tuicrm.query.values import as_date

if TYPE_CHECKING:
    from tuicrm.config import Config, ReportConfig

__all__ = [
    "forecast",
    "funnel",
    "lost",
    "pending_due_count",
    "stage_histories",
    "stale_opportunities",
    "value",
    "weekly",
    "won_trend",
]

_ARCHIVED_CUSTOMERS = "SELECT id FROM customer WHERE archived_at IS NOT NULL"
_DEAD_OPPORTUNITIES = (
    f"SELECT id FROM opportunity WHERE archived_at IS NOT NULL OR customer_id IN ({_ARCHIVED_CUSTOMERS})"
)
_LIVE_OPPORTUNITY = f"o.archived_at IS NULL AND o.customer_id NOT IN ({_ARCHIVED_CUSTOMERS})"
_TIER_ORDER = "CASE c.tier WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 WHEN 'D' THEN 3 ELSE 4 END"
_OPEN = quoted(OPEN_STAGES)


def _tz() -> Any:
    from pendulum.tz import local_timezone

    return local_timezone()


def _one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The single value a query returns."""
    return conn.execute(sql, params).fetchone()[0]


def _parsed(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


# -- weekly --------------------------------------------------------------------------------------


def weekly(
    conn: sqlite3.Connection,
    config: Config,
    week: rep.IsoWeek,
    *,
    now: datetime | None = None,
    rc: ReportConfig | None = None,
) -> rep.WeeklyReport:
    """The weekly report (template 3) for an ISO week, Monday to Sunday in local time."""
    from tuicrm.clock import now as clock_now

    rc = rc or config.reports
    tz = _tz()
    now = now or clock_now()
    first, end_day = week.start, week.next_start
    start_at, end_at = rep.utc_range(first, end_day, tz)
    days = (first.isoformat(), end_day.isoformat())
    span = (timestamp_param(start_at), timestamp_param(end_at))

    new_customers, high_value = conn.execute(
        "SELECT count(*), coalesce(sum(CASE WHEN tier = 'A' THEN 1 ELSE 0 END), 0) FROM customer "
        "WHERE archived_at IS NULL AND ((first_contact_on >= ? AND first_contact_on < ?) OR "
        "(first_contact_on IS NULL AND created_at >= ? AND created_at < ?))",
        (*days, *span),
    ).fetchone()

    fu_in_week = f"f.at >= ? AND f.at < ? AND f.customer_id NOT IN ({_ARCHIVED_CUSTOMERS})"
    by_channel = {
        ch: int(n)
        for ch, n in conn.execute(
            f"SELECT f.channel, count(*) FROM followup f WHERE {fu_in_week} "
            "GROUP BY f.channel ORDER BY count(*) DESC, f.channel",
            span,
        )
    }
    followed_up = int(
        _one(conn, f"SELECT count(DISTINCT f.customer_id) FROM followup f WHERE {fu_in_week}", span)
    )

    sc_in_week = f"s.at >= ? AND s.at < ? AND s.opportunity_id NOT IN ({_DEAD_OPPORTUNITIES})"
    moved = {
        stage: int(n)
        for stage, n in conn.execute(
            f"SELECT s.to_stage, count(DISTINCT s.opportunity_id) FROM stagechange s WHERE {sc_in_week} "
            f"AND s.to_stage IN ({quoted(rep.MOVED_INTO_STAGES)}) GROUP BY s.to_stage",
            span,
        )
    }
    # New opportunities: created (the move with no "from") this week, or, without any recorded
    # move (imported), by their creation time.
    new_opps = int(
        _one(
            conn,
            f"SELECT count(DISTINCT s.opportunity_id) FROM stagechange s WHERE {sc_in_week} "
            "AND s.from_stage IS NULL",
            span,
        )
    ) + int(
        _one(
            conn,
            f"SELECT count(*) FROM opportunity o WHERE {_LIVE_OPPORTUNITY} AND o.created_at >= ? "
            "AND o.created_at < ? AND NOT EXISTS (SELECT 1 FROM stagechange s WHERE s.opportunity_id = o.id)",
            span,
        )
    )

    in_week = f"{_LIVE_OPPORTUNITY} AND o.closed_on >= ? AND o.closed_on < ?"
    won_count, won_customers, won_cents = conn.execute(
        "SELECT count(*), count(DISTINCT o.customer_id), coalesce(sum(o.amount), 0) FROM opportunity o "
        f"WHERE {in_week} AND o.stage = 'won'",
        days,
    ).fetchone()
    lost_rows = conn.execute(
        f"SELECT o.lost_reason, o.amount FROM opportunity o WHERE {in_week} AND o.stage = 'lost'", days
    ).fetchall()
    reasons = rep.group_reasons(((r, rep.cents_to_money(c)) for r, c in lost_rows), config.lost_reasons)

    projection = rep.local_date(now, tz) < end_day
    if projection:
        overdue = int(
            _one(
                conn,
                "SELECT count(*) FROM customer WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL "
                "AND next_follow_up_on < ?",
                (end_day.isoformat(),),
            )
        )
    else:
        overdue = pending_due_count(conn, end_at, end_day)

    nxt = week.shift(1)
    focus_where = "c.archived_at IS NULL AND c.next_follow_up_on >= ? AND c.next_follow_up_on < ?"
    focus_days = (nxt.start.isoformat(), nxt.next_start.isoformat())
    focus_total = int(_one(conn, f"SELECT count(*) FROM customer c WHERE {focus_where}", focus_days))
    focus = [
        rep.FocusItem(cid, code, name, tier, as_date(d) or nxt.start, action)
        for cid, code, name, tier, d, action in conn.execute(
            f"SELECT c.id, c.code, c.name, c.tier, c.next_follow_up_on, c.next_action FROM customer c "
            f"WHERE {focus_where} ORDER BY {_TIER_ORDER}, c.next_follow_up_on, c.name, c.id LIMIT ?",
            (*focus_days, rc.focus_limit),
        )
    ]

    weeks = [week.shift(-k) for k in range(rc.trend_weeks - 1, -1, -1)] if rc.trend_weeks > 0 else []
    return rep.WeeklyReport(
        week=week,
        currency=config.currency,
        new_customers=int(new_customers),
        new_leads=None,
        high_value_new=int(high_value),
        new_opportunities=new_opps,
        customers_followed_up=followed_up,
        follow_ups_by_channel=by_channel,
        moved_into={s: moved.get(s, 0) for s in rep.MOVED_INTO_STAGES},
        won_count=int(won_count),
        won_customers=int(won_customers),
        won_amount=rep.cents_to_money(won_cents),
        lost_count=len(lost_rows),
        lost_amount=rep.cents_to_money(sum(int(c or 0) for _r, c in lost_rows)),
        lost_reasons=reasons,
        overdue_at_week_end=overdue,
        overdue_is_projection=projection,
        focus_total=focus_total,
        focus=focus,
        trend=won_trend(conn, weeks),
    )


def pending_due_count(conn: sqlite3.Connection, at: datetime, due_before: date) -> int:
    """Customers whose pending follow-up, as it stood at instant ``at``, was dated before ``due_before``.

    Rebuilt from history: the pending date is the ``next_on`` of the latest follow-up logged before
    ``at``, or the ``to_on`` of a snooze made after it. A customer with no follow-up or snooze at all
    keeps the date it was created with. (Direct edits of the date are not recorded, so not seen.)
    Each customer costs two index seeks.
    """
    latest_fu = (
        "FROM followup f WHERE f.customer_id = c.id AND f.at < ? ORDER BY f.at DESC, f.id DESC LIMIT 1"
    )
    latest_sn = "FROM snooze z WHERE z.customer_id = c.id AND z.at < ? ORDER BY z.at DESC, z.id DESC LIMIT 1"
    # Entered before ``at`` and never followed up or snoozed since: the date it was entered with.
    # (Imported customers are "created" today with older history, so creation time only matters here.)
    never = (
        "c.created_at < ? AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.customer_id = c.id) "
        "AND NOT EXISTS (SELECT 1 FROM snooze z WHERE z.customer_id = c.id)"
    )
    state = (
        f"SELECT (SELECT f.at {latest_fu}) AS fu_at, (SELECT f.next_on {latest_fu}) AS fu_due, "
        f"(SELECT z.at {latest_sn}) AS sn_at, (SELECT z.to_on {latest_sn}) AS sn_due, "
        f"CASE WHEN {never} THEN c.next_follow_up_on ELSE NULL END AS created_due "
        "FROM customer c WHERE c.archived_at IS NULL"
    )
    due = (
        "CASE WHEN state.sn_at IS NOT NULL AND (state.fu_at IS NULL OR state.sn_at >= state.fu_at) "
        "THEN state.sn_due WHEN state.fu_at IS NOT NULL THEN state.fu_due ELSE state.created_due END"
    )
    t = timestamp_param(at)
    return int(
        _one(
            conn,
            f"SELECT count(*) FROM ({state}) AS state WHERE ({due}) IS NOT NULL AND ({due}) < ?",
            (t, t, t, t, t, due_before.isoformat()),
        )
    )


def won_trend(conn: sqlite3.Connection, weeks: list[rep.IsoWeek]) -> list[rep.WeekTrend]:
    """Won deals per ISO week (by close date) for the given weeks, oldest first."""
    if not weeks:
        return []
    lo, hi = min(weeks).start, max(weeks).next_start
    rows = conn.execute(
        f"SELECT o.closed_on, o.amount FROM opportunity o WHERE o.stage = 'won' AND {_LIVE_OPPORTUNITY} "
        "AND o.closed_on >= ? AND o.closed_on < ?",
        (lo.isoformat(), hi.isoformat()),
    ).fetchall()
    return rep.weekly_trend(weeks, ((as_date(d) or lo, rep.cents_to_money(c)) for d, c in rows))


# -- funnel --------------------------------------------------------------------------------------


def stage_histories(conn: sqlite3.Connection) -> list[rep.StageHistory]:
    """Every live opportunity with its moves in order (one without any recorded move: its current stage)."""
    opps = {
        oid: (rep.cents_to_money(cents), stage, _parsed(created))
        for oid, cents, stage, created in conn.execute(
            f"SELECT o.id, o.amount, o.stage, o.created_at FROM opportunity o WHERE {_LIVE_OPPORTUNITY}"
        )
    }
    moves: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for oid, to_stage, at in conn.execute(
        "SELECT opportunity_id, to_stage, at FROM stagechange ORDER BY opportunity_id, at, id"
    ):
        if oid in opps:
            moves[oid].append((to_stage, _parsed(at)))
    out = []
    for oid, (amount, stage, created) in opps.items():
        m = moves.get(oid) or [(stage, created)]
        out.append(rep.StageHistory(oid, amount, tuple(m), stage))
    return out


def stale_opportunities(conn: sqlite3.Connection, config: Config, today: date) -> list[rep.StaleItem]:
    """Open opportunities idle longer than the stage allows (the pipeline board's rule).

    Last activity: the customer's latest follow-up, or the opportunity's last change.
    """
    from tuicrm.domain.pipeline import is_stale

    tz = _tz()
    rows = conn.execute(
        "SELECT o.id, o.name, c.code, c.name, o.stage, o.amount, o.updated_at, "
        "(SELECT f.at FROM followup f WHERE f.customer_id = o.customer_id ORDER BY f.at DESC LIMIT 1) "
        "FROM opportunity o JOIN customer c ON c.id = o.customer_id "
        f"WHERE o.archived_at IS NULL AND c.archived_at IS NULL AND o.stage IN ({_OPEN})"
    )
    out = []
    for oid, name, code, cname, stage, cents, updated, last_at in rows:
        dates = [rep.local_date(_parsed(v), tz) for v in (updated, last_at) if v is not None]
        last = max(dates) if dates else None
        if is_stale(stage, last, today, config):
            idle = (today - last).days if last else None
            out.append(rep.StaleItem(oid, name, code, cname, stage, rep.cents_to_money(cents), last, idle))
    out.sort(key=lambda s: (-(s.idle_days or 0), -s.amount, s.opportunity_id))
    return out


def funnel(
    conn: sqlite3.Connection, config: Config, *, start: date | None, end: date, today: date
) -> rep.FunnelReport:
    """The funnel for opportunities created from ``start`` (or ever) to ``end``, as it stood at ``end``."""
    tz = _tz()
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
    open_rows = [
        (rep.cents_to_money(c), int(p), as_date(d))
        for c, p, d in conn.execute(
            "SELECT o.amount, o.probability, o.expected_close_on FROM opportunity o "
            f"WHERE {_LIVE_OPPORTUNITY} AND o.stage IN ({_OPEN})"
        )
    ]
    won_rows = [
        (rep.cents_to_money(c), as_date(closed) or as_date(expected))
        for c, closed, expected in conn.execute(
            "SELECT o.amount, o.closed_on, o.expected_close_on FROM opportunity o "
            f"WHERE {_LIVE_OPPORTUNITY} AND o.stage = 'won'"
        )
    ]
    return rep.forecast_report(open_rows, won_rows, by=by, today=today, currency=config.currency)


# -- value (ABC, RFM) ----------------------------------------------------------------------------


def value(
    conn: sqlite3.Connection, config: Config, *, today: date, rc: ReportConfig | None = None
) -> rep.ValueReport:
    """Revenue is the customer's recorded revenue total, else the sum of its won deals.

    Recency counts from the latest of: last deal date, a won deal's close date, a follow-up.
    Frequency: follow-ups logged plus deals won in the last ``rfm_window_days``.
    """
    rc = rc or config.reports
    tz = _tz()
    window_day = today - timedelta(days=rc.rfm_window_days)
    window_at = timestamp_param(rep.local_midnight(window_day, tz))
    won = (
        "(SELECT customer_id AS cid, coalesce(sum(amount), 0) AS cents, max(closed_on) AS last_closed, "
        "sum(CASE WHEN closed_on >= :window_day THEN 1 ELSE 0 END) AS recent FROM opportunity "
        "WHERE stage = 'won' AND archived_at IS NULL GROUP BY customer_id) AS won"
    )
    revenue = "coalesce(c.revenue_total, won.cents, 0)"
    base = f"customer c LEFT OUTER JOIN {won} ON won.cid = c.id"
    params = {"window_day": window_day.isoformat(), "window_at": window_at}
    rows = conn.execute(
        f"SELECT c.id, c.code, c.name, c.tier, {revenue}, c.last_deal_on, won.last_closed, won.recent, "
        "(SELECT f.at FROM followup f WHERE f.customer_id = c.id ORDER BY f.at DESC LIMIT 1), "
        "(SELECT count(*) FROM followup f WHERE f.customer_id = c.id AND f.at >= :window_at) "
        f"FROM {base} WHERE c.archived_at IS NULL AND {revenue} > 0",
        params,
    )
    items = []
    for cid, code, name, tier, cents, last_deal, last_closed, won_recent, last_at, fu_recent in rows:
        dates = [d for d in (as_date(last_deal), as_date(last_closed)) if d]
        if last_at is not None:
            dates.append(rep.local_date(_parsed(last_at), tz))
        items.append(
            rep.ValueInput(
                cid,
                code,
                name,
                tier,
                rep.cents_to_money(cents),
                max(dates) if dates else None,
                int(won_recent or 0) + int(fu_recent or 0),
            )
        )
    others = int(
        conn.execute(
            f"SELECT count(*) FROM {base} WHERE c.archived_at IS NULL AND NOT ({revenue} > 0)", params
        ).fetchone()[0]
    )
    return rep.value_report(items, today=today, currency=config.currency, rc=rc, others=others)


# -- lost ----------------------------------------------------------------------------------------


def lost(
    conn: sqlite3.Connection, config: Config, *, start: date | None = None, end: date | None = None
) -> rep.LostReport:
    """Lost deals closed from ``start`` to ``end`` (inclusive, either open), by reason and by the stage lost from."""
    sql = (
        "SELECT o.lost_reason, o.amount, (SELECT s.from_stage FROM stagechange s WHERE s.opportunity_id = o.id "
        "AND s.to_stage = 'lost' ORDER BY s.at DESC, s.id DESC LIMIT 1) "
        f"FROM opportunity o WHERE o.stage = 'lost' AND {_LIVE_OPPORTUNITY}"
    )
    params: list[str] = []
    if start:
        sql += " AND o.closed_on >= ?"
        params.append(start.isoformat())
    if end:
        sql += " AND o.closed_on <= ?"
        params.append(end.isoformat())
    items = [(reason, rep.cents_to_money(cents), stage) for reason, cents, stage in conn.execute(sql, params)]
    return rep.lost_report(items, start=start, end=end, currency=config.currency, known=config.lost_reasons)
