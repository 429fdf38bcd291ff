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
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tuicrm.config import OPEN_STAGES
from tuicrm.domain import reports as rep
from tuicrm.domain.agenda import week_kpi
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
# A deal's currency (none: the configured one, bound as :currency); amounts are never converted.
_CURRENCY = "coalesce(nullif(upper(trim(currency)), ''), :currency)"
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


_CUSTOMER_COLUMNS = (
    "id", "code", "name", "tier", "next_follow_up_on", "next_action", "first_contact_on", "archived_at",
    "created_at",
)  # fmt: skip
_ACTIVITY_COLUMNS = ("id", "customer_id", "status", "planned_start", "archived_at")
_OPPORTUNITY_COLUMNS = (
    "id", "customer_id", "stage", "amount", "closed_on", "lost_reason", "archived_at", "created_at",
)  # fmt: skip


def rows_at(
    conn: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    at: datetime | None,
    where: str = "",
    params: tuple[Any, ...] = (),
) -> dict[int, dict[str, Any]]:
    """Every row of ``table`` (``columns`` as stored, ``id`` first) as it stood at instant ``at``
    (``None``: as it is now): a row changed since reads as the undo log kept it before its first
    change at or after ``at`` (``domain.reports.asof``). Rows created later are kept (an import
    brings older history): the caller decides what they mean at ``at``.

    ``where`` (SQL on the row as it is now, with ``params``) narrows the rows read: those matching
    it now, and every row changed since ``at`` (it may have matched then); the caller filters again."""
    cols = ", ".join(columns)
    # Archiving is deleting (undoable): an archived row is left out of every report, past ones too.
    wanted = tuple(c for c in columns[1:] if c not in ("archived_at", "created_at"))
    before_first_change: dict[int, Any] = {}
    if at is not None:
        for row_id, before in conn.execute(
            "SELECT r.row_id, r.before FROM operationrow r JOIN operation o ON o.id = r.operation_id "
            "WHERE o.at >= ? AND r.table_name = ? AND r.action = 'update' ORDER BY o.at, o.id, r.id",
            (timestamp_param(at), table),
        ):
            before_first_change.setdefault(int(row_id), before)
    sql = f"SELECT {cols} FROM {table}"
    if where:
        changed = ", ".join(str(i) for i in before_first_change)
        sql += f" WHERE ({where})" + (f" OR id IN ({changed})" if changed else "")
    rows = {int(r[0]): dict(zip(columns, r, strict=True)) for r in conn.execute(sql, params)}
    for row_id, before in before_first_change.items():
        if row_id in rows:
            rows[row_id].update(rep.decode_before(before, wanted))
    return rows


def pending_at(
    conn: sqlite3.Connection, customers: dict[int, dict[str, Any]], at: datetime
) -> dict[int, rep.Pending]:
    """Each customer's pending follow-up at instant ``at`` (``customers``: their rows at ``at``),
    rebuilt from the follow-ups and snoozes logged before it (``domain.reports.pending_at``)."""
    latest_fu = (
        "FROM followup f WHERE f.customer_id = c.id AND f.at < :t ORDER BY f.at DESC, f.id DESC LIMIT 1"
    )
    latest_sn = "FROM snooze z WHERE z.customer_id = c.id AND z.at < :t ORDER BY z.at DESC, z.id DESC LIMIT 1"
    t = timestamp_param(at)
    out = {}
    for cid, fu_at, fu_due, fu_action, sn_at, sn_due in conn.execute(
        f"SELECT c.id, (SELECT f.at {latest_fu}), (SELECT f.next_on {latest_fu}), "
        f"(SELECT f.next_action {latest_fu}), (SELECT z.at {latest_sn}), (SELECT z.to_on {latest_sn}) "
        "FROM customer c",
        {"t": t},
    ):
        row = customers.get(int(cid))
        if row is None:
            continue
        # Without history before ``at``: the date it was entered with, if it was entered by then.
        entered = (
            rep.Pending(as_date(row["next_follow_up_on"]), row["next_action"])
            if str(row["created_at"]) < t
            else rep.Pending(None, None)
        )
        fu = (str(fu_at), as_date(fu_due), fu_action) if fu_at is not None else None
        sn = (str(sn_at), as_date(sn_due) or date.min) if sn_at is not None and sn_due is not None else None
        out[int(cid)] = rep.pending_at(fu, sn, entered)
    return out


def weekly(
    conn: sqlite3.Connection,
    config: Config,
    week: rep.IsoWeek,
    *,
    now: datetime | None = None,
    rc: ReportConfig | None = None,
) -> rep.WeeklyReport:
    """The weekly report (template 3) for an ISO week, Monday to Sunday in local time.

    A finished week is rebuilt as it stood at its end (customers and deals as the undo log kept
    them, the pending follow-ups from follow-up and snooze history), so it reads the same
    whenever it is run; the current week is counted from the rows as they are.
    """
    from tuicrm.clock import now as clock_now

    rc = rc or config.reports
    tz = _tz()
    now = now or clock_now()
    first, end_day = week.start, week.next_start
    start_at, end_at = rep.utc_range(first, end_day, tz)
    span = (timestamp_param(start_at), timestamp_param(end_at))
    projection = rep.local_date(now, tz) < end_day
    as_of = None if projection else end_at

    # Archiving is deleting, then as now: a live customer is one not archived (a few, as a set).
    archived = {int(r[0]) for r in conn.execute(_ARCHIVED_CUSTOMERS)}
    customers: dict[int, dict[str, Any]] = {}
    if not projection:
        customers = {
            i: c
            for i, c in rows_at(conn, "customer", _CUSTOMER_COLUMNS, as_of).items()
            if c["archived_at"] is None
        }
    opportunities = {
        i: o
        for i, o in rows_at(conn, "opportunity", _OPPORTUNITY_COLUMNS, as_of).items()
        if o["archived_at"] is None and o["customer_id"] not in archived
    }

    def in_week(day: object) -> bool:
        d = as_date(day)
        return d is not None and first <= d < end_day

    if projection:
        # ``+archived_at``: not by ix_customer_due (every live customer) but the OR of two ranges on
        # ix_customer_first_contact (docs/performance.md: proposed for migration 0010).
        new_count, new_tier_a = conn.execute(
            "SELECT count(*), coalesce(sum(tier = 'A'), 0) FROM customer WHERE +archived_at IS NULL AND "
            "((first_contact_on >= ? AND first_contact_on < ?) OR "
            "(first_contact_on IS NULL AND created_at >= ? AND created_at < ?))",
            (first.isoformat(), end_day.isoformat(), *span),
        ).fetchone()
    else:
        new = [
            c
            for c in customers.values()
            if in_week(c["first_contact_on"])
            or (c["first_contact_on"] is None and span[0] <= str(c["created_at"]) < span[1])
        ]
        new_count, new_tier_a = len(new), sum(1 for c in new if c["tier"] == "A")
    new_leads, high_leads = conn.execute(
        "SELECT count(*), coalesce(sum(score_class = 'high'), 0) FROM lead "
        "WHERE archived_at IS NULL AND created_at >= ? AND created_at < ?",
        span,
    ).fetchone()

    by_channel: dict[str, int] = defaultdict(int)
    followed: set[int] = set()
    for cid, channel, n in conn.execute(
        "SELECT customer_id, channel, count(*) FROM followup WHERE at >= ? AND at < ? GROUP BY customer_id, channel",
        span,
    ):
        if cid not in archived:
            by_channel[channel] += int(n)
            followed.add(int(cid))

    moved: dict[str, set[int]] = defaultdict(set)
    created: set[int] = set()
    for oid, from_stage, to_stage in conn.execute(
        "SELECT opportunity_id, from_stage, to_stage FROM stagechange WHERE at >= ? AND at < ?", span
    ):
        if oid in opportunities:
            moved[to_stage].add(int(oid))
            if from_stage is None:
                created.add(int(oid))
    # Without any recorded move (imported): new by their creation time.
    with_moves = {int(r[0]) for r in conn.execute("SELECT DISTINCT opportunity_id FROM stagechange")}
    new_opps = len(created) + sum(
        1
        for i, o in opportunities.items()
        if i not in with_moves and span[0] <= str(o["created_at"]) < span[1]
    )

    closed = [o for o in opportunities.values() if in_week(o["closed_on"])]
    won = [o for o in closed if o["stage"] == "won"]
    lost_rows = [(o["lost_reason"], o["amount"]) for o in closed if o["stage"] == "lost"]
    reasons = rep.group_reasons(((r, rep.cents_to_money(c)) for r, c in lost_rows), config.lost_reasons)

    nxt = week.shift(1)
    if projection:
        # The week has not ended: due by its end and not done yet, from the dates as they are.
        overdue, focus, focus_total = _pending_now(conn, end_day, nxt, rc.focus_limit)
    else:
        pending = pending_at(conn, customers, end_at)
        overdue = sum(1 for p in pending.values() if p.due is not None and p.due < end_day)
        tier_order = {t: k for k, t in enumerate(("A", "B", "C", "D"))}
        focus_all = sorted(
            (
                (customers[i], p)
                for i, p in pending.items()
                if p.due is not None and nxt.start <= p.due < nxt.next_start
            ),
            key=lambda cp: (tier_order.get(cp[0]["tier"], 4), cp[1].due, cp[0]["name"], cp[0]["id"]),
        )
        focus = [
            rep.FocusItem(c["id"], c["code"], c["name"], c["tier"], p.due or nxt.start, p.action)
            for c, p in focus_all[: rc.focus_limit]
        ]
        focus_total = len(focus_all)

    weeks = [week.shift(-k) for k in range(rc.trend_weeks - 1, -1, -1)] if rc.trend_weeks > 0 else []
    # Only deals closed in the trend's weeks count: the rest need not be bucketed.
    trend_from, trend_to = (weeks[0].start, weeks[-1].next_start) if weeks else (date.max, date.max)
    in_span = "planned_start >= ? AND planned_start < ?"
    activities = week_kpi(
        a["status"]
        for a in rows_at(conn, "activity", _ACTIVITY_COLUMNS, as_of, in_span, span).values()
        if a["archived_at"] is None
        and a["customer_id"] not in archived
        and span[0] <= str(a["planned_start"]) < span[1]
    )
    received, outstanding = _money_in_week(conn, config, first, end_day)
    return rep.WeeklyReport(
        week=week,
        currency=config.currency,
        new_customers=int(new_count),
        new_leads=int(new_leads),
        high_value_new=int(new_tier_a),
        high_value_leads=int(high_leads),
        new_opportunities=new_opps,
        customers_followed_up=len(followed),
        follow_ups_by_channel=dict(sorted(by_channel.items(), key=lambda kv: (-kv[1], kv[0]))),
        moved_into={s: len(moved.get(s, ())) for s in rep.MOVED_INTO_STAGES},
        won_count=len(won),
        won_customers=len({o["customer_id"] for o in won}),
        won_amount=rep.cents_to_money(sum(int(o["amount"] or 0) for o in won)),
        lost_count=len(lost_rows),
        lost_amount=rep.cents_to_money(sum(int(c or 0) for _r, c in lost_rows)),
        lost_reasons=reasons,
        overdue_at_week_end=overdue,
        overdue_is_projection=projection,
        focus_total=focus_total,
        focus=focus,
        trend=rep.weekly_trend(
            weeks,
            (
                (d, rep.cents_to_money(o["amount"]))
                for o in opportunities.values()
                if o["stage"] == "won"
                and (d := as_date(o["closed_on"])) is not None
                and trend_from <= d < trend_to
            ),
        ),
        activities=activities,
        received_count=received[0],
        received_amount=received[1],
        outstanding_count=outstanding[0],
        outstanding_amount=outstanding[1],
    )


def _money_in_week(
    conn: sqlite3.Connection, config: Config, first: date, end_day: date
) -> tuple[tuple[int, Decimal], tuple[int, Decimal]]:
    """(payments, amount) dated in the week, and (receivables, amount) still open at its end: each
    receivable dated before the week ended less its payments dated before then. The configured
    currency only; archived rows and archived customers' are left out."""
    params = {"first": first.isoformat(), "end": end_day.isoformat(), "currency": config.currency}
    n_paid, paid = conn.execute(
        "SELECT count(*), coalesce(sum(amount), 0) FROM payment WHERE archived_at IS NULL "
        f"AND paid_on >= :first AND paid_on < :end AND {_CURRENCY} = :currency "
        f"AND customer_id NOT IN ({_ARCHIVED_CUSTOMERS})",
        params,
    ).fetchone()
    # Left at the week's end = amount − payments dated before it = amount − received (the sum of
    # the live payments, store.receivables) + the payments dated at or after the end (few).
    n_open, left = conn.execute(
        "WITH later AS (SELECT receivable_id AS rid, sum(amount) AS cents FROM payment "
        "WHERE paid_on >= :end AND archived_at IS NULL AND +receivable_id IS NOT NULL GROUP BY receivable_id) "
        "SELECT count(*), coalesce(sum(left), 0) FROM (SELECT r.amount - r.received + coalesce(later.cents, 0) "
        "AS left FROM receivable r LEFT JOIN later ON later.rid = r.id WHERE +r.archived_at IS NULL "
        "AND coalesce(r.settled_on, substr(r.created_at, 1, 10)) < :end "
        f"AND {_CURRENCY} = :currency AND r.customer_id NOT IN ({_ARCHIVED_CUSTOMERS})) WHERE left > 0",
        params,
    ).fetchone()
    return (int(n_paid), rep.cents_to_money(paid)), (int(n_open), rep.cents_to_money(left))


def _pending_now(
    conn: sqlite3.Connection, end_day: date, nxt: rep.IsoWeek, limit: int
) -> tuple[int, list[rep.FocusItem], int]:
    """Live customers whose pending date is before ``end_day`` (overdue by the week's end), and
    next week's focus list (tier, date, name order; the first ``limit``) with its full count."""
    overdue = _one(
        conn,
        "SELECT count(*) FROM customer WHERE archived_at IS NULL AND next_follow_up_on < ?",
        (end_day.isoformat(),),
    )
    span = (nxt.start.isoformat(), nxt.next_start.isoformat())
    where = "c.archived_at IS NULL AND c.next_follow_up_on >= ? AND c.next_follow_up_on < ?"
    total = _one(conn, f"SELECT count(*) FROM customer c WHERE {where}", span)
    focus = [
        rep.FocusItem(int(i), code, name, tier, as_date(due) or nxt.start, action)
        for i, code, name, tier, due, action in conn.execute(
            f"SELECT c.id, c.code, c.name, c.tier, c.next_follow_up_on, c.next_action FROM customer c "
            f"WHERE {where} ORDER BY {_TIER_ORDER}, c.next_follow_up_on, c.name, c.id LIMIT ?",
            (*span, limit),
        )
    ]
    return int(overdue), focus, int(total)


def pending_due_count(conn: sqlite3.Connection, at: datetime, due_before: date) -> int:
    """Customers whose pending follow-up, as it stood at instant ``at``, was dated before ``due_before``
    (customers and their dates as they stood at ``at``: ``rows_at`` and ``pending_at``)."""
    customers = {
        i: c for i, c in rows_at(conn, "customer", _CUSTOMER_COLUMNS, at).items() if c["archived_at"] is None
    }
    return sum(
        1 for p in pending_at(conn, customers, at).values() if p.due is not None and p.due < due_before
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
    """Open and won amounts by period, one report per currency (an opportunity without a
    currency is in the configured one); never converted."""
    cur = _CURRENCY
    params = {"currency": config.currency}
    open_rows = [
        (str(k), rep.cents_to_money(c), int(p), as_date(d))
        for k, c, p, d in conn.execute(
            f"SELECT {cur}, o.amount, o.probability, o.expected_close_on FROM opportunity o "
            f"WHERE {_LIVE_OPPORTUNITY} AND o.stage IN ({_OPEN})",
            params,
        )
    ]
    won_rows = [
        (str(k), rep.cents_to_money(c), as_date(closed) or as_date(expected))
        for k, c, closed, expected in conn.execute(
            f"SELECT {cur}, o.amount, o.closed_on, o.expected_close_on FROM opportunity o "
            f"WHERE {_LIVE_OPPORTUNITY} AND o.stage = 'won'",
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
    tz = _tz()
    window_day = today - timedelta(days=rc.rfm_window_days)
    window_at = timestamp_param(rep.local_midnight(window_day, tz))
    won = (
        "(SELECT customer_id AS cid, coalesce(sum(amount), 0) AS cents, max(closed_on) AS last_closed, "
        "sum(CASE WHEN closed_on >= :window_day THEN 1 ELSE 0 END) AS recent FROM opportunity "
        f"WHERE stage = 'won' AND archived_at IS NULL AND {_CURRENCY} = :currency GROUP BY customer_id) AS won"
    )
    # ``+``: a plain scan of the payments and of the customers, not row by row through an index.
    paid = (
        "(SELECT customer_id AS cid, sum(amount) AS cents FROM payment "
        f"WHERE +archived_at IS NULL AND {_CURRENCY} = :currency GROUP BY +customer_id) AS paid"
    )
    revenue = "CASE WHEN paid.cents > 0 THEN paid.cents ELSE coalesce(c.revenue_total, won.cents, 0) END"
    basis = "CASE WHEN paid.cents > 0 THEN 'received' ELSE 'won' END"
    base = f"customer c LEFT OUTER JOIN {won} ON won.cid = c.id LEFT OUTER JOIN {paid} ON paid.cid = c.id"
    params = {"window_day": window_day.isoformat(), "window_at": window_at, "currency": config.currency}
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
        top = ", ".join(str(int(r[0])) for r in rows[:rfm_rows])
        facts = {
            int(cid): (last_at, recent)
            for cid, last_at, recent in conn.execute(
                "SELECT customer_id, max(at), sum(at >= :window_at) FROM followup "
                f"WHERE customer_id IN ({top}) GROUP BY customer_id",
                params,
            )
        }
        rows[:rfm_rows] = [(*r[:8], *facts.get(int(r[0]), (None, 0)), r[10]) for r in rows[:rfm_rows]]
    items = []
    for cid, code, name, tier, cents, last_deal, last_closed, won_recent, last_at, fu_recent, how in rows:
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
                str(how),
            )
        )
    live = _one(conn, "SELECT count(*) FROM customer WHERE archived_at IS NULL")
    others = int(live) - len(items)  # live customers whose revenue is not above zero
    other_currencies = tuple(
        (str(cur), int(n), rep.cents_to_money(cents))
        for cur, n, cents in conn.execute(
            f"SELECT {_CURRENCY} AS cur, count(DISTINCT o.customer_id), coalesce(sum(o.amount), 0) "
            f"FROM opportunity o WHERE o.stage = 'won' AND {_LIVE_OPPORTUNITY} AND {_CURRENCY} != :currency "
            "GROUP BY cur ORDER BY cur",
            {"currency": config.currency},
        )
    )
    report = rep.value_report(items, today=today, currency=config.currency, rc=rc, others=others)
    return replace(report, other_currencies=other_currencies)


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
