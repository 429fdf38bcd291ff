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

from tuicrm.domain.ledger import ageing_labels, rating_for_days
from tuicrm.domain.reports.receivables import CustomerLine, ReceivablesReport

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.config import Config

# Per receivable: what is left (cents) and the day its lateness runs to (paid off when nothing is left).
_LEFT = "max(0, r.amount - r.received)"
_PAID_OFF = "CASE WHEN r.amount <= r.received THEN r.paid_off_on END"
_DAYS = (
    "CASE WHEN r.due_on IS NULL THEN 0 ELSE max(0, CAST(julianday(substr(coalesce("
    f"{_PAID_OFF}, :today), 1, 10)) - julianday(substr(r.due_on, 1, 10)) AS INTEGER)) END"
)


def receivables_report(conn: sqlite3.Connection, today: date, config: Config) -> ReceivablesReport:
    """Every live customer with a live receivable, those owing most first: amount, received,
    outstanding, overdue, credit, the worst days overdue of the open ones, the rating, the ageing."""
    rules = config.collection
    labels = ageing_labels(rules)
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
        f"{_DAYS} AS days, {_PAID_OFF} AS paid_off FROM receivable r WHERE +r.archived_at IS NULL "
        "AND r.customer_id NOT IN (SELECT id FROM customer WHERE archived_at IS NOT NULL)"
    )
    per_customer = (
        "SELECT cid, sum(amount) AS amount, sum(received) AS received, sum(left) AS left, "
        "sum(CASE WHEN left > 0 AND days > 0 THEN left ELSE 0 END) AS overdue, "
        "coalesce(max(CASE WHEN left > 0 THEN days END), 0) AS late, "
        "max(CASE WHEN paid_off IS NULL OR paid_off >= :window THEN days END) AS worst, "
        f"{', '.join(buckets)} FROM x GROUP BY cid"
    )
    sql = (
        f"WITH x AS MATERIALIZED ({per_receivable}), g AS MATERIALIZED ({per_customer}) "
        "SELECT g.cid, c.code, c.name, g.amount, g.received, g.left, g.overdue, g.late, g.worst, "
        f"{', '.join(f'g.b{k}' for k in range(len(cases)))} "
        "FROM g JOIN customer c ON c.id = g.cid ORDER BY g.left DESC, c.name, g.cid"
    )
    params = {"today": today.isoformat(), "window": (today - timedelta(days=rules.window_days)).isoformat()}
    credits = {
        int(cid): int(cents or 0)
        for cid, cents in conn.execute(
            "SELECT customer_id, sum(amount) FROM payment WHERE receivable_id IS NULL AND archived_at IS NULL "
            "GROUP BY customer_id"
        )
    }
    rating: dict[int | None, str | None] = {None: None}
    customers = []
    for row in conn.execute(sql, params):
        cid, code, name, amount, received, left, overdue, late, worst = row[:9]
        if worst not in rating:
            rating[worst] = rating_for_days(int(worst), rules)
        customers.append(
            CustomerLine(
                cid,
                code,
                name,
                amount,
                received,
                left,
                overdue,
                credits.get(cid, 0),
                late,
                rating[worst],
                row[9:],
            )
        )
    # The totals over every receivable are the sums over the customers (integer cents).
    columns = list(zip(*((c.amount, c.received, c.outstanding, *c.ageing) for c in customers), strict=True))
    totals = [sum(col) for col in columns] if columns else [0] * (3 + len(labels))
    return ReceivablesReport(
        as_of=today,
        labels=labels,
        amount=totals[0],
        received=totals[1],
        outstanding=totals[2],
        credit=sum(credits.values()),
        ageing=tuple(totals[3:]),
        customers=customers,
    )
