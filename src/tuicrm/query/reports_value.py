"""The value report as a table shows it (``tuicrm report value``, ``--markdown``) and as
``--json`` lists it: every customer with revenue read in one pass over the customers (in id order,
so the follow-up seeks walk their index forwards), ranked and classed here.

``query.reports.value`` builds every customer's row (the Reports screen); this reads the same
figures without building them: the rows are sorted by revenue (largest first, then code) as its
``ORDER BY`` sorts them, the running total puts each customer in its class by
``domain.reports.abc_classes``' rule in integer cents (the classes are runs: the total before a
customer only grows), and a table builds its first ``limit`` rows and the first ``limit`` for
review as ``value_report`` builds them. ``tests/store/test_report_queries.py`` holds both equal to
``value``. (The ranking was a window function in SQL: SQLite sorted the wide rows twice, ~0.25 s
at 55 000 customers against ~0.02 s here.)
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from tuicrm.domain import reports as rep
from tuicrm.domain.reports.shared import GRADES, plain_texts, with_json_texts
from tuicrm.domain.reports.value import BASIS_NAMES
from tuicrm.query.reports_sql import local_tz, one
from tuicrm.query.reports_value_sql import (
    WON,
    _follow_up_facts,
    _other_currencies,
    _value_inputs,
    _value_sources,
)

if TYPE_CHECKING:
    from tuicrm.config import Config, ReportConfig

# Past this, ``total × share`` in cents would overflow SQLite's 64-bit integers, where ``value``
# sums: its way (it says what SQLite says).
_SAFE_CENTS = 2**62
# A ranked row's columns: (id, code, name, tier, revenue cents, last deal date, last won close
# date, deals won in the window, basis (1: received, 0: won)[, last follow-up, follow-ups in the window]).
_REVENUE, _BASIS = 4, 8
_FOLLOW_UPS = (
    ", (SELECT f.at FROM followup f WHERE f.customer_id = c.id ORDER BY f.at DESC LIMIT 1), "
    "(SELECT count(*) FROM followup f WHERE f.customer_id = c.id AND f.at >= :window_at)"
)


class Ranked(NamedTuple):
    """Every live customer with revenue, largest first (``rows``), their running totals in cents
    (``cums``), the number in class A and in A or B, the total in cents, the query's parameters."""

    rows: list[Any]
    cums: list[int]
    a_end: int
    b_end: int
    total: int
    params: dict[str, Any]

    def abc(self, index: int) -> str:
        return "A" if index < self.a_end else ("B" if index < self.b_end else "C")

    def classes(self) -> dict[str, tuple[int, Decimal]]:
        """Each class's customers and revenue."""
        ends = {"A": (0, self.a_end), "B": (self.a_end, self.b_end), "C": (self.b_end, len(self.rows))}
        return {
            k: (end - start, rep.cents_to_money(self._before(end) - self._before(start)))
            for k, (start, end) in ends.items()
        }

    def _before(self, index: int) -> int:
        return self.cums[index - 1] if index else 0

    def bases(self) -> dict[str, int]:
        received = sum(map(itemgetter(_BASIS), self.rows))  # the basis as a flag: 1 received
        return {BASIS_NAMES[1]: received, BASIS_NAMES[0]: len(self.rows) - received}


def _ratio(share: Any) -> tuple[int, int]:
    """A share (0.70) as an exact fraction of integers, as ``Decimal(str(share))`` holds it."""
    num, den = Decimal(str(share)).as_integer_ratio()
    return num, den


def value_rows(
    conn: sqlite3.Connection, config: Config, today: date, rc: ReportConfig, *, follow_ups: bool
) -> tuple[list[Any], dict[str, Any]]:
    """Every live customer with revenue, largest first (``follow_ups``: with each one's last
    follow-up and the follow-ups in the RFM window), and the query's parameters. (Also what
    ``tuicrm.bench.floors`` times: the least ``value --json`` has to do.)"""
    base, revenue, _basis, params = _value_sources(config, today, rc, local_tz())
    basis = "CASE WHEN paid.cents > 0 THEN 1 ELSE 0 END"  # _basis's, as a flag (no text per row)
    # A table's customers: name and dates read later for the rows it shows (``_details``).
    shown = "c.name, c.tier, {revenue} AS revenue, c.last_deal_on, won.last_closed, won.recent"
    columns = shown if follow_ups else "NULL, c.tier, {revenue} AS revenue, NULL, NULL, NULL"
    rows = conn.execute(
        f"SELECT c.id, c.code, {columns.format(revenue=revenue)}, {basis}{_FOLLOW_UPS if follow_ups else ''} "
        f"FROM {base} WHERE +c.archived_at IS NULL AND {revenue} > 0",
        params,
    ).fetchall()
    # ``ORDER BY revenue DESC, code``: by code, then by revenue (a stable sort keeps the codes' order).
    rows.sort(key=itemgetter(1))
    rows.sort(key=itemgetter(_REVENUE), reverse=True)
    return rows, params


def _ranked(
    conn: sqlite3.Connection, config: Config, today: date, rc: ReportConfig, *, follow_ups: bool
) -> Ranked | None:
    """Every live customer with revenue, ranked and classed (``follow_ups``: with each one's last
    follow-up and the follow-ups in the RFM window). None: none, or sums past ``_SAFE_CENTS``."""
    rows, params = value_rows(conn, config, today, rc, follow_ups=follow_ups)
    cums = list(accumulate(map(itemgetter(_REVENUE), rows)))
    total = cums[-1] if cums else 0
    a_num, a_den = _ratio(rc.abc_a_share)
    b_num, b_den = _ratio(Decimal(str(rc.abc_a_share)) + Decimal(str(rc.abc_b_share)))
    if not rows or total * max(a_num, a_den, b_num, b_den) >= _SAFE_CENTS:
        return None
    # A customer is A while the total before it is under the A share: the first a_end customers.
    before = [0, *cums[:-1]]
    a_end = bisect_left(before, True, key=lambda x: x * a_den >= total * a_num)
    b_end = bisect_left(before, True, key=lambda x: x * b_den >= total * b_num)
    return Ranked(rows, cums, a_end, b_end, total, params)


def _details(conn: sqlite3.Connection, ids: list[int], params: dict[str, Any]) -> dict[int, tuple[Any, ...]]:
    """(name, last deal date, last won close, deals won in the RFM window) of the customers ``ids``."""
    listed = ", ".join(str(int(i)) for i in ids)
    return {
        int(cid): rest
        for cid, *rest in conn.execute(
            f"SELECT c.id, c.name, c.last_deal_on, won.last_closed, won.recent FROM customer c "  # noqa: S608 - integers
            f"LEFT OUTER JOIN ({WON}) AS won ON won.cid = c.id WHERE c.id IN ({listed})",
            params,
        )
    }


def _figures(
    conn: sqlite3.Connection, config: Config, today: date, rc: ReportConfig, ranked: Ranked
) -> dict[str, Any]:
    """The figures of a ``ValueSummary`` besides its rows and review."""
    live = one(conn, "SELECT count(*) FROM customer WHERE archived_at IS NULL")
    return {
        "today": today,
        "currency": config.currency,
        "config": rc,
        "revenue_total": rep.cents_to_money(ranked.total),
        "customers": len(ranked.rows),
        "no_revenue": int(live) - len(ranked.rows),
        "classes": ranked.classes(),
        "basis_counts": ranked.bases(),
        "other_currencies": _other_currencies(conn, config),
    }


def value_summary(
    conn: sqlite3.Connection, config: Config, *, today: date, limit: int, rc: ReportConfig | None = None
) -> rep.ValueSummary | rep.ValueReport:
    """What ``value`` says, for a table of the first ``limit`` customers (``limit`` ≥ 1)."""
    rc = rc or config.reports
    ranked = _ranked(conn, config, today, rc, follow_ups=False) if limit >= 1 else None
    if ranked is None:  # none to class, or too large for 64 bits
        from tuicrm.query.reports import value

        return value(conn, config, today=today, rc=rc)
    # For review: the tier (an unknown one is D) and the class are ``review_tier_gap`` grades apart.
    grade = {g: k for k, g in enumerate(GRADES)}
    unknown, gap = GRADES.index("D"), max(1, rc.review_tier_gap)
    tiers = list(map(itemgetter(3), ranked.rows))
    flagged: list[int] = []
    for start, end, abc in (
        (0, ranked.a_end, "A"),
        (ranked.a_end, ranked.b_end, "B"),
        (ranked.b_end, len(tiers), "C"),
    ):
        far = {t for t in set(tiers[start:end]) if abs(grade.get(t, unknown) - grade[abc]) >= gap}
        flagged += [i for i in range(start, end) if tiers[i] in far]
    shown = sorted({*range(min(limit, len(ranked.rows))), *flagged[:limit]})
    details = _details(conn, [ranked.rows[i][0] for i in shown], ranked.params)
    rows = [ranked.rows[i] for i in shown]
    facts = _follow_up_facts(
        conn,
        [
            (r[0], r[1], *details[r[0]][:1], r[3], r[4], *details[r[0]][1:], None, None, BASIS_NAMES[r[8]])
            for r in rows
        ],
        ranked.params,
    )
    total = rep.cents_to_money(ranked.total)
    built = {
        i: rep.value_row(item, ranked.abc(i), rep.cents_to_money(ranked.cums[i]), total, today, rc)
        for i, item in zip(shown, _value_inputs(facts, local_tz()), strict=True)
    }
    review = [x for x in (rep.review_tier(built[i], rc) for i in flagged[:limit]) if x is not None]
    return rep.ValueSummary(
        rows=[built[i] for i in range(min(limit, len(ranked.rows)))],
        review=review,
        review_count=len(flagged),
        **_figures(conn, config, today, rc, ranked),
    )


def value_json_source(
    conn: sqlite3.Connection, config: Config, *, today: date, rc: ReportConfig | None = None
) -> tuple[rep.ValueSummary, Iterator[Any], int] | None:
    """What ``value --json`` lists, for ``domain.reports.value_text.value_json_rows``: the report's
    figures (no rows), every customer with revenue in revenue order (``ValueSourceRow``: its class
    and running total, its last follow-up and those in the RFM window) and the revenue total in
    cents. None: the customers are not for this way (none, sums too large for SQLite's integers,
    a tier to escape): ``value``'s report instead."""
    rc = rc or config.reports
    ranked = _ranked(conn, config, today, rc, follow_ups=True)
    # Tiers are written as they are, between quotes (else the report's own way): codes and names
    # as they are written there.
    if ranked is None or not plain_texts(map(itemgetter(3), ranked.rows)):
        return None
    head = rep.ValueSummary(rows=[], review=[], review_count=0, **_figures(conn, config, today, rc, ranked))
    rows = with_json_texts(ranked.rows, (1, 2))
    n = len(rows)
    classes = ["A"] * ranked.a_end + ["B"] * (ranked.b_end - ranked.a_end) + ["C"] * (n - ranked.b_end)
    return head, zip(rows, ranked.cums, classes, strict=True), ranked.total
