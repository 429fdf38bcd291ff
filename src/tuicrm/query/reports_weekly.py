"""The weekly report's queries (``tuicrm report weekly``; ``tuicrm.domain.reports.weekly`` does
the arithmetic): the current week counted from the rows as they are, a finished week rebuilt as
it stood at its end from the undo log and the follow-up and snooze history."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tuicrm.domain import reports as rep
from tuicrm.domain.agenda import week_kpi
from tuicrm.query.dialect import timestamp_param
from tuicrm.query.reports_sql import ARCHIVED_CUSTOMERS, CURRENCY, LIVE_OPPORTUNITY, TIER_ORDER, local_tz, one
from tuicrm.query.values import as_date

if TYPE_CHECKING:
    from tuicrm.config import Config, ReportConfig


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
    ids: list[int] | None = None,
) -> dict[int, dict[str, Any]]:
    """Every row of ``table`` (``columns`` as stored, ``id`` first) as it stood at instant ``at``
    (``None``: as it is now): a row changed since reads as the undo log kept it before its first
    change at or after ``at`` (``domain.reports.asof``). Rows created later are kept (an import
    brings older history): the caller decides what they mean at ``at``.

    ``where`` (SQL on the row as it is now, with ``params``) narrows the rows read: those matching
    it now, and every row changed since ``at`` (it may have matched then); the caller filters again.
    ``ids`` instead: those rows and every row changed since ``at`` (one ``id IN`` list, looked up
    by id: an OR of the two would scan the table)."""
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
    if ids is not None:
        sql += f" WHERE id IN ({', '.join(map(str, sorted({*ids, *before_first_change})))})"
    elif where:
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
        "FROM customer c WHERE c.id IN (SELECT value FROM json_each(:ids))",
        {"t": t, "ids": _id_list(customers)},
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


def _id_list(rows: dict[int, Any]) -> str:
    """Row ids as a JSON array (bound once, read with ``json_each``)."""
    return "[" + ",".join(str(int(i)) for i in rows) + "]"


def _rebuilt_customers(conn: sqlite3.Connection, at: datetime) -> dict[int, dict[str, Any]]:
    """The customers whose pending follow-up at ``at`` is not the plain SQL rule's, as they stood
    then: those changed since (the undo log) and those snoozed before it."""
    snoozed = [
        int(r[0])
        for r in conn.execute("SELECT DISTINCT customer_id FROM snooze WHERE at < ?", (timestamp_param(at),))
    ]
    return rows_at(conn, "customer", _CUSTOMER_COLUMNS, at, ids=snoozed)


def _pending_then(
    conn: sqlite3.Connection,
    at: datetime,
    end_day: date,
    nxt: rep.IsoWeek,
    limit: int,
    rebuilt: dict[int, dict[str, Any]],
    skipped: str,
) -> tuple[int, list[rep.FocusItem], int]:
    """At a finished week's end (instant ``at``): the customers whose pending date was before
    ``end_day``, and next week's focus (tier, date, name order; the first ``limit``) with its count.

    ``domain.reports.pending_at`` without snoozes, in SQL, for every live customer not in
    ``skipped`` (as they are now: unchanged since): the latest follow-up before ``at`` sets the
    date and action, else the date the customer was entered with (if entered by then); the
    ``rebuilt`` customers (their rows at ``at``) through ``pending_at`` itself."""
    t = timestamp_param(at)
    span: dict[str, Any] = {"t": t, "skipped": skipped, "end": end_day.isoformat()}
    span |= {"from": nxt.start.isoformat(), "to": nxt.next_start.isoformat(), "limit": limit}
    latest = (
        "(SELECT f2.id FROM followup f2 WHERE f2.customer_id = c.id AND f2.at < :t "
        "ORDER BY f2.at DESC, f2.id DESC LIMIT 1)"
    )
    # The code and name come with the customer's row (no second lookup for the focus candidates).
    pending = (
        "SELECT c.id AS id, c.code AS code, c.name AS name, c.tier AS tier, "
        "CASE WHEN f.id IS NOT NULL THEN substr(f.next_on, 1, 10) "
        "WHEN c.created_at < :t THEN substr(c.next_follow_up_on, 1, 10) END AS due, "
        "CASE WHEN f.id IS NOT NULL THEN f.next_action WHEN c.created_at < :t THEN c.next_action END AS action "
        f"FROM customer c LEFT JOIN followup f ON f.id = {latest} "
        "WHERE +c.archived_at IS NULL"
    )
    # Every live customer is counted, the ``skipped`` ones too (testing 100 000 customers against
    # them cost more): their rows come back (kind 2) and are taken out again, and the focus list
    # reads as many more rows as there are of them (kind 1, in order) to drop theirs.
    span["more"] = len(rebuilt)
    rows = conn.execute(
        f"WITH p AS MATERIALIZED (SELECT * FROM ({pending}) WHERE due < :to) "
        "SELECT 0, NULL, NULL, NULL, NULL, count(*) FILTER (WHERE due < :end), "
        "count(*) FILTER (WHERE due >= :from) FROM p "
        "UNION ALL SELECT * FROM (SELECT 1, c.id, c.code, c.name, c.tier, c.due, c.action FROM p AS c "
        f"WHERE c.due >= :from ORDER BY {TIER_ORDER}, c.due, c.name, c.id LIMIT :limit + :more) "
        "UNION ALL SELECT 2, p.id, NULL, NULL, NULL, p.due, NULL FROM p WHERE p.id IN (SELECT value FROM json_each(:skipped))",
        span,
    ).fetchall()
    overdue, total = next((int(r[5]), int(r[6])) for r in rows if r[0] == 0)
    for _kind, _i, _code, _name, _tier, due, _action in (r for r in rows if r[0] == 2):
        overdue -= due < span["end"]
        total -= due >= span["from"]
    focus_rows = [r[1:] for r in rows if r[0] == 1 and r[1] not in rebuilt][:limit]
    tier_order = {t: k for k, t in enumerate(("A", "B", "C", "D"))}
    candidates = [
        ((tier_order.get(tier, 4), day, name, int(i)), rep.FocusItem(int(i), code, name, tier, day, action))
        for i, code, name, tier, due, action in focus_rows
        if (day := as_date(due)) is not None
    ]
    for i, p in pending_at(conn, rebuilt, at).items():
        if p.due is None:
            continue
        if p.due < end_day:
            overdue += 1
        elif nxt.start <= p.due < nxt.next_start:
            c = rebuilt[i]
            total += 1
            key = (tier_order.get(c["tier"], 4), p.due, c["name"], c["id"])
            candidates.append((key, rep.FocusItem(c["id"], c["code"], c["name"], c["tier"], p.due, p.action)))
    candidates.sort(key=lambda kf: kf[0])
    return overdue, [f for _key, f in candidates[:limit]], total


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
    rc = rc or config.reports
    tz = local_tz()
    first, end_day = week.start, week.next_start
    start_at, end_at = rep.utc_range(first, end_day, tz)
    span = (timestamp_param(start_at), timestamp_param(end_at))
    if now is None:  # today as the command line has it (``clock.today()`` without pendulum)
        from tuicrm.query.connect import today

        projection = today() < end_day
    else:
        projection = rep.local_date(now, tz) < end_day
    as_of = None if projection else end_at

    # Archiving is deleting, then as now: a live customer is one not archived (a few, as a set).
    archived = {int(r[0]) for r in conn.execute(ARCHIVED_CUSTOMERS)}
    # A finished week: the customers changed since its end (the undo log) or snoozed before it
    # are rebuilt one by one; every other one stood then as it stands now, and is counted in SQL.
    rebuilt: dict[int, dict[str, Any]] = {}
    if as_of is not None:
        rebuilt = {i: c for i, c in _rebuilt_customers(conn, as_of).items() if c["archived_at"] is None}
    skipped = _id_list(rebuilt)  # JSON, for json_each: the customers SQL leaves to Python
    nxt = week.shift(1)
    weeks = [week.shift(-k) for k in range(rc.trend_weeks - 1, -1, -1)] if rc.trend_weeks > 0 else []
    # Only deals closed in the trend's weeks count: the rest need not be bucketed.
    trend_from, trend_to = (weeks[0].start, weeks[-1].next_start) if weeks else (date.max, date.max)
    # The deals the report reads (closed in this week or the trend's, or created this week), as
    # they stood then; and which deals were live then, for the week's moves (the ids as they are
    # now, those changed since as they stood then).
    wanted = "(substr(closed_on, 1, 10) >= ? AND substr(closed_on, 1, 10) < ?) OR (created_at >= ? AND created_at < ?)"
    closed_span = (min(first, trend_from).isoformat(), max(end_day, trend_to).isoformat())
    read = rows_at(conn, "opportunity", _OPPORTUNITY_COLUMNS, as_of, wanted, (*closed_span, *span))
    opportunities = {
        i: o for i, o in read.items() if o["archived_at"] is None and o["customer_id"] not in archived
    }
    # Every deal changed since as_of is in ``read``: live then as read; the others as they are now
    # (asked of the week's moves only).
    live_then = {i: o["archived_at"] is None and o["customer_id"] not in archived for i, o in read.items()}

    def in_week(day: object) -> bool:
        d = as_date(day)
        return d is not None and first <= d < end_day

    # ``+archived_at``: not by ix_customer_due (every live customer) but the OR of two ranges on
    # ix_customer_first_contact (migration 0010).
    new_count, new_tier_a = conn.execute(
        "SELECT count(*), coalesce(sum(tier = 'A'), 0) FROM customer WHERE +archived_at IS NULL AND "
        "((first_contact_on >= ? AND first_contact_on < ?) OR "
        "(first_contact_on IS NULL AND created_at >= ? AND created_at < ?)) "
        "AND id NOT IN (SELECT value FROM json_each(?))",
        (first.isoformat(), end_day.isoformat(), *span, skipped),
    ).fetchone()
    new = [
        c
        for c in rebuilt.values()
        if in_week(c["first_contact_on"])
        or (c["first_contact_on"] is None and span[0] <= str(c["created_at"]) < span[1])
    ]
    new_count, new_tier_a = new_count + len(new), new_tier_a + sum(1 for c in new if c["tier"] == "A")
    new_leads, high_leads = conn.execute(
        "SELECT count(*), coalesce(sum(score_class = 'high'), 0) FROM lead "
        "WHERE archived_at IS NULL AND created_at >= ? AND created_at < ?",
        span,
    ).fetchone()

    # Counted here, not grouped in SQL (SQLite would sort them all for a GROUP BY). The week's
    # follow-ups are found in ix_followup_at and read in id order, the table's: when ids do not
    # follow the times (imported or generated history), fewer pages are read.
    logged = Counter(
        conn.execute(
            "SELECT customer_id, channel FROM followup "
            "WHERE id IN (SELECT id FROM followup WHERE at >= ? AND at < ?)",
            span,
        )
    )
    by_channel: dict[str, int] = defaultdict(int)
    followed: set[int] = set()
    for (cid, channel), n in logged.items():
        if cid not in archived:
            by_channel[channel] += n
            followed.add(int(cid))

    moved: dict[str, set[int]] = defaultdict(set)
    created: set[int] = set()
    for oid, from_stage, to_stage, live_now in conn.execute(
        f"SELECT s.opportunity_id, s.from_stage, s.to_stage, coalesce({LIVE_OPPORTUNITY}, 0) FROM stagechange s "
        "LEFT JOIN opportunity o ON o.id = s.opportunity_id WHERE s.at >= ? AND s.at < ?",
        span,
    ):
        if live_then.get(oid, live_now):
            moved[to_stage].add(int(oid))
            if from_stage is None:
                created.add(int(oid))
    # Without any recorded move (imported): new by their creation time. (Only the deals created in
    # the week are looked up: not every deal's moves.)
    created_in_week = [i for i, o in opportunities.items() if span[0] <= str(o["created_at"]) < span[1]]
    with_moves = {
        int(r[0])
        for r in conn.execute(
            "SELECT DISTINCT opportunity_id FROM stagechange WHERE opportunity_id IN "  # noqa: S608 - integers
            f"({', '.join(str(int(i)) for i in created_in_week)})"
        )
    }
    new_opps = len(created) + sum(1 for i in created_in_week if i not in with_moves)

    closed = [o for o in opportunities.values() if in_week(o["closed_on"])]
    won = [o for o in closed if o["stage"] == "won"]
    lost_rows = [(o["lost_reason"], o["amount"]) for o in closed if o["stage"] == "lost"]
    reasons = rep.group_reasons(((r, rep.cents_to_money(c)) for r, c in lost_rows), config.lost_reasons)

    if projection:
        # The week has not ended: due by its end and not done yet, from the dates as they are.
        overdue, focus, focus_total = _pending_now(conn, end_day, nxt, rc.focus_limit)
    else:
        overdue, focus, focus_total = _pending_then(
            conn, end_at, end_day, nxt, rc.focus_limit, rebuilt, skipped
        )
    # The activities changed since as_of, as they stood then (none for the current week); the
    # others as they are, counted by status in SQL (``+status``: the week's rows, not the whole
    # status index walked for the grouping).
    changed = rows_at(conn, "activity", _ACTIVITY_COLUMNS, as_of, ids=[])
    statuses = [
        a["status"]
        for a in changed.values()
        if a["archived_at"] is None
        and a["customer_id"] not in archived
        and span[0] <= str(a["planned_start"]) < span[1]
    ]
    for status, n in conn.execute(
        "SELECT status, count(*) FROM activity WHERE planned_start >= ? AND planned_start < ? "
        f"AND archived_at IS NULL AND customer_id NOT IN ({ARCHIVED_CUSTOMERS}) "
        f"AND id NOT IN ({', '.join(map(str, changed))}) GROUP BY +status",
        span,
    ):
        statuses += [status] * n
    activities = week_kpi(statuses)
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
        f"AND paid_on >= :first AND paid_on < :end AND {CURRENCY} = :currency "
        f"AND customer_id NOT IN ({ARCHIVED_CUSTOMERS})",
        params,
    ).fetchone()
    # Left at the week's end = amount − payments dated before it = amount − received (the sum of
    # the live payments, store.receivables) + the payments dated at or after the end: for a recent
    # week a few, read by date and grouped (else SQLite walks every payment in receivable order).
    every = one(conn, "SELECT coalesce(max(id), 0) FROM payment")  # about how many (ids only grow)
    later = one(
        conn,
        "SELECT count(*) FROM (SELECT 1 FROM payment WHERE paid_on >= ? LIMIT ?)",
        (end_day.isoformat(), every // 5 + 1),
    )
    by_date = " INDEXED BY ix_payment_paid_on" if later <= every // 5 else ""
    n_open, left = conn.execute(
        f"WITH later AS (SELECT receivable_id AS rid, sum(amount) AS cents FROM payment{by_date} "
        "WHERE paid_on >= :end AND archived_at IS NULL AND +receivable_id IS NOT NULL GROUP BY receivable_id) "
        "SELECT count(*), coalesce(sum(left), 0) FROM (SELECT r.amount - r.received + coalesce(later.cents, 0) "
        "AS left FROM receivable r LEFT JOIN later ON later.rid = r.id WHERE +r.archived_at IS NULL "
        "AND coalesce(r.settled_on, substr(r.created_at, 1, 10)) < :end "
        f"AND {CURRENCY} = :currency AND r.customer_id NOT IN ({ARCHIVED_CUSTOMERS})) WHERE left > 0",
        params,
    ).fetchone()
    return (int(n_paid), rep.cents_to_money(paid)), (int(n_open), rep.cents_to_money(left))


def _pending_now(
    conn: sqlite3.Connection, end_day: date, nxt: rep.IsoWeek, limit: int
) -> tuple[int, list[rep.FocusItem], int]:
    """Live customers whose pending date is before ``end_day`` (overdue by the week's end), and
    next week's focus list (tier, date, name order; the first ``limit``) with its full count."""
    overdue = one(
        conn,
        "SELECT count(*) FROM customer WHERE archived_at IS NULL AND next_follow_up_on < ?",
        (end_day.isoformat(),),
    )
    span = (nxt.start.isoformat(), nxt.next_start.isoformat())
    where = "c.archived_at IS NULL AND c.next_follow_up_on >= ? AND c.next_follow_up_on < ?"
    total = one(conn, f"SELECT count(*) FROM customer c WHERE {where}", span)
    # Tier by tier (A, B, C, D, then any other: TIER_ORDER), each in date, name, id order, until
    # ``limit``: ix_customer_live_board holds a tier's customers in that order (the first few
    # read), where one query would sort every customer due next week.
    columns = "c.id, c.code, c.name, c.tier, c.next_follow_up_on, c.next_action"
    rows: list[tuple[Any, ...]] = []
    for tier in ("A", "B", "C", "D"):
        if len(rows) >= limit:
            break
        rows += conn.execute(
            f"SELECT {columns} FROM customer c INDEXED BY ix_customer_live_board WHERE {where} "
            "AND c.tier = ? AND (c.next_follow_up_on IS NULL) = 0 ORDER BY c.next_follow_up_on, c.name, c.id LIMIT ?",
            (*span, tier, limit - len(rows)),
        ).fetchall()
    if len(rows) < limit:
        rows += conn.execute(
            f"SELECT {columns} FROM customer c WHERE {where} AND c.tier NOT IN ('A', 'B', 'C', 'D') "
            "ORDER BY c.next_follow_up_on, c.name, c.id LIMIT ?",
            (*span, limit - len(rows)),
        ).fetchall()
    focus = [
        rep.FocusItem(int(i), code, name, tier, as_date(due) or nxt.start, action)
        for i, code, name, tier, due, action in rows
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
        f"SELECT o.closed_on, o.amount FROM opportunity o WHERE o.stage = 'won' AND {LIVE_OPPORTUNITY} "
        "AND o.closed_on >= ? AND o.closed_on < ?",
        (lo.isoformat(), hi.isoformat()),
    ).fetchall()
    return rep.weekly_trend(weeks, ((as_date(d) or lo, rep.cents_to_money(c)) for d, c in rows))
