"""The receivables report's query (``tuicrm report receivables``; ``domain.reports.receivables``
shapes it): one grouped pass over the live receivables of live customers, in integer cents.

The rules are ``tuicrm.domain.ledger``'s, in SQL (as ``query.receivables.collection_condition``
does for the list filter): outstanding = max(0, amount − received); days overdue from the due
date to the day it was paid off (when nothing is left) or today; the ageing bucket of what is
left; the rating from the worst lateness among the open receivables and those paid off within
the window. ``tests/store/test_report_money.py`` holds it equal to ``query.receivables.balances``.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from operator import itemgetter

from tuicrm.domain.ledger import ageing_labels, rating_for_days
from tuicrm.domain.reports.receivables import CustomerLine, ReceivablesReport
from tuicrm.domain.reports.shared import with_json_texts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from tuicrm.config import Config

# Per receivable: what is left (cents) and the day its lateness runs to (paid off when nothing is left).
_LEFT = "max(0, r.amount - r.received)"
_PAID_OFF = "CASE WHEN r.amount <= r.received THEN r.paid_off_on END"
# (Today's day number written once, not as coalesce(paid off, today): SQLite computes it once.)
_DAYS = (
    "CASE WHEN r.due_on IS NULL THEN 0 ELSE max(0, CAST((CASE WHEN r.amount <= r.received AND "
    "r.paid_off_on IS NOT NULL THEN julianday(substr(r.paid_off_on, 1, 10)) ELSE julianday(substr(:today, 1, 10)) "
    "END) - julianday(substr(r.due_on, 1, 10)) AS INTEGER)) END"
)


# The customers with something outstanding (an open live receivable: its left > 0) or a credit.
_OWING = (
    "SELECT customer_id FROM receivable WHERE +archived_at IS NULL AND amount > received "
    "UNION SELECT customer_id FROM payment WHERE receivable_id IS NULL AND archived_at IS NULL"
)
_LIVE_RECEIVABLES = (
    "FROM receivable r WHERE +r.archived_at IS NULL "
    "AND r.customer_id NOT IN (SELECT id FROM customer WHERE archived_at IS NOT NULL)"
)


def grouped_sql(
    today: date, config: Config, *, with_x: bool = True, owing_or_credit: bool = False
) -> tuple[str, dict[str, str], int]:
    """The per-customer grouping as ``WITH x AS (…), g AS (…)`` (``g``: cid, amount, received, left,
    overdue, late, worst, n, b0…bK), its parameters and the number of ageing buckets. ``n`` counts
    the customer's live receivables. Shared by the report and the receivables screen.
    ``with_x=False``: ``WITH g AS (…)`` alone, the receivables' figures handed to the grouping as
    they are computed (a subquery SQLite runs beside it, not a table it writes first).
    ``owing_or_credit``: only the customers with an open receivable or a credit (``_OWING``)."""
    rules = config.collection
    bounds = [0, *rules.ageing_days]
    cases = ["left > 0 AND days <= 0"]
    cases += [
        f"left > 0 AND days > {int(low)} AND days <= {int(high)}"
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]
    cases.append(f"left > 0 AND days > {int(bounds[-1])}")
    buckets = [f"sum(CASE WHEN {case} THEN left ELSE 0 END) AS b{k}" for k, case in enumerate(cases)]
    # Materialized: each receivable's figures computed once, then grouped; the names joined after.
    per_receivable = (
        f"SELECT r.customer_id AS cid, r.amount AS amount, r.received AS received, {_LEFT} AS left, "
        f"{_DAYS} AS days, {_PAID_OFF} AS paid_off {_LIVE_RECEIVABLES}"
        + (f" AND +r.customer_id IN ({_OWING})" if owing_or_credit else "")
    )
    per_customer = (
        "SELECT cid, sum(amount) AS amount, sum(received) AS received, sum(left) AS left, "
        "sum(CASE WHEN left > 0 AND days > 0 THEN left ELSE 0 END) AS overdue, "
        "coalesce(max(CASE WHEN left > 0 THEN days END), 0) AS late, "
        "max(CASE WHEN paid_off IS NULL OR paid_off >= :window THEN days END) AS worst, count(*) AS n, "
        f"{', '.join(buckets)} FROM x GROUP BY cid"
    )
    params = {"today": today.isoformat(), "window": (today - timedelta(days=rules.window_days)).isoformat()}
    if not with_x:  # LIMIT -1: a subquery SQLite neither flattens (days in every sum) nor materializes
        grouping = per_customer.replace("FROM x GROUP BY", f"FROM ({per_receivable} LIMIT -1) GROUP BY")
        return f"WITH g AS MATERIALIZED ({grouping}) ", params, len(cases)
    return (
        f"WITH x AS MATERIALIZED ({per_receivable}), g AS MATERIALIZED ({per_customer}) ",
        params,
        len(cases),
    )


_CREDIT_SQL = (
    "SELECT customer_id, sum(amount) FROM payment WHERE receivable_id IS NULL AND archived_at IS NULL "
    "GROUP BY customer_id"
)


def receivables_report(
    conn: sqlite3.Connection, today: date, config: Config, *, owing_only: bool = False
) -> ReceivablesReport:
    """Every live customer with a live receivable, those owing most first: amount, received,
    outstanding, overdue, credit, the worst days overdue of the open ones, the rating, the ageing.
    ``owing_only``: only the customers with something outstanding or a credit (what the text
    report prints); the totals are still over every customer."""
    rules = config.collection
    labels = ageing_labels(rules)
    # Owing only: the others are not grouped (half the customers); they add only what was billed
    # and received to the totals, summed over every receivable.
    head, params, nb = grouped_sql(today, config, with_x=False, owing_or_credit=owing_only)
    bucket_cols = [f"b{k}" for k in range(nb)]
    credits = {int(cid): int(cents or 0) for cid, cents in conn.execute(_CREDIT_SQL)}
    where = ""
    billed = "coalesce(sum(amount), 0), coalesce(sum(received), 0)"
    if owing_only:
        where = " WHERE g.left > 0"
        if credits:
            where += " OR g.cid IN (SELECT customer_id FROM payment WHERE receivable_id IS NULL AND archived_at IS NULL)"
        # both sums in one pass over the receivables
        head += (
            ", billed AS MATERIALIZED (SELECT coalesce(sum(r.amount), 0) AS amount, "
            f"coalesce(sum(r.received), 0) AS received {_LIVE_RECEIVABLES}) "
        )
        billed = "(SELECT amount FROM billed), (SELECT received FROM billed)"
    # The totals over every receivable ride along as a last row (cid NULL; NULLs sort last descending).
    sql = (
        f"{head}SELECT g.cid, c.code, c.name, g.amount, g.received, g.left, g.overdue, g.late, g.worst, "
        f"{', '.join('g.' + b for b in bucket_cols)} FROM g JOIN customer c ON c.id = g.cid{where} "
        f"UNION ALL SELECT NULL, NULL, NULL, {billed}, NULL, "
        "coalesce(sum(left), 0), 0, NULL, "
        f"{', '.join(f'coalesce(sum({b}), 0)' for b in bucket_cols)} FROM g "
        "ORDER BY 6 DESC, 3, 1"
    )
    rows = conn.execute(sql, params).fetchall()
    totals = rows.pop()  # the totals' row (cid NULL) sorts last
    rating: dict[int | None, str | None] = {None: None}
    for worst in {r[8] for r in rows} - {None}:  # a handful of worst lateness
        rating[worst] = rating_for_days(int(worst), rules)
    rating_of, credit_of, new = rating.__getitem__, credits.get, tuple.__new__
    # Tuples made as CustomerLine's own __new__ makes them (tens of thousands: no call per line)
    customers: list[CustomerLine] = [
        new(
            CustomerLine,
            (r[0], r[1], r[2], r[3], r[4], r[5], r[6], credit_of(r[0], 0), r[7], rating_of(r[8]), r[9:]),
        )
        for r in rows
    ]
    amount, received, outstanding, ageing = totals[3], totals[4], totals[6], tuple(totals[9:])
    return ReceivablesReport(
        as_of=today,
        labels=labels,
        amount=amount,
        received=received,
        outstanding=outstanding,
        credit=sum(credits.values()),
        ageing=ageing,
        customers=customers,
    )


def receivables_json_source(
    conn: sqlite3.Connection, today: date, config: Config
) -> tuple[ReceivablesReport, list[tuple[Any, ...]]] | None:
    """What ``report receivables --json`` lists, for ``domain.reports.receivables_json``: the
    report's totals (``customers`` empty) and every customer's row in the report's order (cid,
    code, name, amount, received, outstanding, overdue, credit, days overdue, worst lateness, the
    ageing buckets as one text "b0 b1 …", None when nothing is outstanding), codes and names as
    they are written between quotes. None when these rows are not for that way (an amount not in
    integer cents): ``receivables_report`` and ``report_json`` then."""
    head, params, nb = grouped_sql(today, config, with_x=False)
    credits = {int(cid): int(cents or 0) for cid, cents in conn.execute(_CREDIT_SQL)}
    credit_sql = _CREDIT_SQL.replace("customer_id, sum(amount)", "customer_id AS cid, sum(amount) AS cents")
    ageing = "CASE WHEN g.left > 0 THEN " + " || ' ' || ".join(f"g.b{k}" for k in range(nb)) + " END"
    ageing_totals = " || ' ' || ".join(f"coalesce(sum(b{k}), 0)" for k in range(nb))
    sql = (
        f"{head}SELECT g.cid, c.code, c.name, g.amount, g.received, g.left, g.overdue, "
        f"coalesce(cr.cents, 0), g.late, g.worst, {ageing} FROM g JOIN customer c ON c.id = g.cid "
        f"LEFT OUTER JOIN ({credit_sql}) AS cr ON cr.cid = g.cid "
        "UNION ALL SELECT NULL, NULL, NULL, coalesce(sum(amount), 0), coalesce(sum(received), 0), "
        f"NULL, coalesce(sum(left), 0), NULL, NULL, NULL, {ageing_totals} FROM g ORDER BY 6 DESC, 3, 1"
    )
    rows = conn.execute(sql, params).fetchall()
    totals = rows.pop()  # the UNION ALL's last part
    # Integer cents (then so are the rest: sums of max(0, amount - received)) and days
    if any(set(map(type, map(itemgetter(k), rows))) - {int} for k in (3, 4, 7, 8)):
        return None
    rows = with_json_texts(rows, (1, 2))  # codes and names: between the template's quotes
    try:
        ageing_total = tuple(map(int, totals[10].split()))
    except ValueError:  # a receivable of no customer's, not in integer cents
        return None
    report = ReceivablesReport(
        as_of=today,
        labels=ageing_labels(config.collection),
        amount=totals[3],
        received=totals[4],
        outstanding=totals[6],
        credit=sum(credits.values()),
        ageing=ageing_total,
        customers=[],
    )
    return report, rows
