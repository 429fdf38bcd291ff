"""The receivables screen's balances grouped in SQL (issue #20): ``balances`` reads every
receivable into Python (seconds with 70 000); ``balances_top`` is the same answer from one grouped
pass (``query.reports_money.grouped_sql``, the report's), the first ``limit`` customers only.
``tests/store/test_report_money.py`` holds the two equal."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from tuicrm.query.receivables import ZERO, Balances, CustomerBalance, CustomerLedger
from tuicrm.query.reports_money import grouped_sql

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.config import Config

_CENT = Decimal("0.01")


def _money(cents: object) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(_CENT)  # type: ignore[call-overload]


def balances_top(conn: sqlite3.Connection, today: date, config: Config, limit: int | None = None) -> Balances:
    """``query.receivables.balances`` with only its first ``limit`` customers (those owing most
    first; None: all): the totals, the ageing, ``customer_count`` and ``overdue_receivables`` are
    over every customer and receivable."""
    from tuicrm.domain.ledger import ageing_labels, rating_for_days

    rules = config.collection
    labels = ageing_labels(rules)
    head, params, nb = grouped_sql(today, config)
    buckets = [f"b{k}" for k in range(nb)]
    tail = "" if limit is None else f" LIMIT {max(0, int(limit))}"
    sql = (
        f"{head}, top AS MATERIALIZED (SELECT g.*, c.code AS code, c.name AS name FROM g "
        f"JOIN customer c ON c.id = g.cid ORDER BY g.left DESC, c.name, g.cid{tail}) "
        f"SELECT cid, code, name, amount, received, left, overdue, late, worst, n, {', '.join(buckets)} "
        "FROM top UNION ALL SELECT NULL, NULL, NULL, coalesce(sum(amount), 0), coalesce(sum(received), 0), "
        "coalesce(sum(left), 0), count(*), 0, NULL, "
        "(SELECT count(*) FROM x WHERE left > 0 AND days > 0), "
        f"{', '.join(f'coalesce(sum({b}), 0)' for b in buckets)} FROM g"
    )
    credits = {
        int(cid): _money(cents)
        for cid, cents in conn.execute(
            "SELECT customer_id, sum(amount) FROM payment WHERE receivable_id IS NULL AND archived_at IS NULL "
            "GROUP BY customer_id"
        )
    }
    rows = conn.execute(sql, params).fetchall()
    totals = rows.pop()
    open_codes: dict[int, list[str]] = {}
    if rows:
        ids = ", ".join(str(int(r[0])) for r in rows)
        for cid, code in conn.execute(
            f"SELECT customer_id, code FROM receivable WHERE customer_id IN ({ids}) "  # noqa: S608 - integers
            "AND archived_at IS NULL AND received < amount ORDER BY due_on IS NULL, due_on, id"
        ):
            open_codes.setdefault(int(cid), []).append(str(code))
    customers = []
    for row in rows:
        cid, code, name, amount, received, left, overdue, late, worst, n = row[:10]
        customers.append(
            CustomerBalance(
                customer_id=int(cid),
                customer_code=str(code),
                customer_name=str(name),
                ledger=CustomerLedger(
                    amount=_money(amount),
                    received=_money(received),
                    outstanding=_money(left),
                    credit=credits.get(int(cid), ZERO),
                    overdue=_money(overdue),
                    rating=None if worst is None else rating_for_days(int(worst), rules),
                    receivables=int(n),
                ),
                buckets=dict(zip(labels, map(_money, row[10:]), strict=True)),
                max_days_overdue=int(late),
                open_codes=tuple(open_codes.get(int(cid), ())),
            )
        )
    return Balances(
        customers=customers,
        buckets=dict(zip(labels, map(_money, totals[10:]), strict=True)),
        outstanding=_money(totals[5]),
        received=_money(totals[4]),
        amount=_money(totals[3]),
        credit=sum(credits.values(), ZERO),
        customer_count=int(totals[6]),
        overdue_receivables=int(totals[9]),
    )
