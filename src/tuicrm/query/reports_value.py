"""The value report as a table shows it (``tuicrm report value``, ``--markdown``): the ABC classes
counted in SQL over every customer with revenue, only the first rows read into Python.

``query.reports.value`` builds every customer's row (``--json``, the Reports screen); this asks
SQL for the same figures: the running revenue total in revenue order (a window function) puts
each customer in its class by ``domain.reports.abc_classes``' rule in integer cents, then the
classes, the bases and the customers for review are counted, and the first ``limit`` rows and
the first ``limit`` for review come back to be built as ``value_report`` builds them.
``tests/store/test_report_queries.py`` holds it equal to ``value``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any

from tuicrm.domain import reports as rep
from tuicrm.domain.reports.shared import GRADES
from tuicrm.domain.reports.value import BASES
from tuicrm.query.reports import (
    _follow_up_facts,
    _other_currencies,
    _value_inputs,
    _value_sources,
    value,
)
from tuicrm.query.reports_sql import local_tz, one

if TYPE_CHECKING:
    from tuicrm.config import Config, ReportConfig

# Past this, ``total × share`` in cents could overflow SQLite's 64-bit integers: the Python way.
_SAFE_CENTS = 2**62


def _ratio(share: Any) -> tuple[int, int]:
    """A share (0.70) as an exact fraction of integers, as ``Decimal(str(share))`` holds it."""
    num, den = Decimal(str(share)).as_integer_ratio()
    return num, den


def _classed(
    config: Config, today: date, rc: ReportConfig
) -> tuple[str, dict[str, Any], str, tuple[int, ...]]:
    """``WITH r, t, k``: every live customer with revenue (``r``), their total (``t``), each with
    its ABC class by ``domain.reports.abc_classes``' rule in integer cents (``k``); its parameters,
    the condition of a customer for review and the class fractions (for the overflow check)."""
    tz = local_tz()
    base, revenue, basis, params = _value_sources(config, today, rc, tz)
    a_num, a_den = _ratio(rc.abc_a_share)
    b_num, b_den = _ratio(Decimal(str(rc.abc_a_share)) + Decimal(str(rc.abc_b_share)))
    grade = (
        "CASE {col} " + " ".join(f"WHEN '{g}' THEN {k}" for k, g in enumerate(GRADES)) + " ELSE {other} END"
    )
    tier_grade = grade.format(col="tier", other=GRADES.index("D"))  # review_tier: an unknown tier is D
    abc_grade = grade.format(col="abc", other=GRADES.index("D"))
    params |= {
        "a_num": a_num,
        "a_den": a_den,
        "b_num": b_num,
        "b_den": b_den,
        "gap": max(1, rc.review_tier_gap),
    }
    ranked = (
        f"SELECT c.id, c.code, c.name, c.tier, {revenue} AS revenue, c.last_deal_on, won.last_closed, "
        f"won.recent, NULL, NULL, {basis} AS basis, sum({revenue}) OVER (ORDER BY {revenue} DESC, c.code "
        f"ROWS UNBOUNDED PRECEDING) AS cum FROM {base} WHERE +c.archived_at IS NULL AND {revenue} > 0"
    )
    classed = (
        "SELECT r.*, CASE WHEN (cum - revenue) * :a_den < t.total * :a_num THEN 'A' "
        "WHEN (cum - revenue) * :b_den < t.total * :b_num THEN 'B' ELSE 'C' END AS abc FROM r, t"
    )
    ctes = (
        f"WITH r AS MATERIALIZED ({ranked}), t AS MATERIALIZED (SELECT coalesce(sum(revenue), 0) AS total FROM r), "
        f"k AS MATERIALIZED ({classed}) "
    )
    return ctes, params, f"abs(({tier_grade}) - ({abc_grade})) >= :gap", (a_num, a_den, b_num, b_den)


def _figures(
    conn: sqlite3.Connection,
    config: Config,
    today: date,
    rc: ReportConfig,
    count: int,
    total_cents: int,
    classes: dict[str, tuple[int, Decimal]],
    bases: dict[str, int],
) -> dict[str, Any]:
    """The figures of a ``ValueSummary`` besides its rows and review."""
    live = one(conn, "SELECT count(*) FROM customer WHERE archived_at IS NULL")
    return {
        "today": today,
        "currency": config.currency,
        "config": rc,
        "revenue_total": rep.cents_to_money(total_cents),
        "customers": int(count),
        "no_revenue": int(live) - int(count),
        "classes": classes,
        "basis_counts": bases,
        "other_currencies": _other_currencies(conn, config),
    }


def value_summary(
    conn: sqlite3.Connection, config: Config, *, today: date, limit: int, rc: ReportConfig | None = None
) -> rep.ValueSummary | rep.ValueReport:
    """What ``value`` says, for a table of the first ``limit`` customers (``limit`` ≥ 1)."""
    rc = rc or config.reports
    if limit < 1:
        return value(conn, config, today=today, rc=rc)
    ctes, params, flagged, fractions = _classed(config, today, rc)
    params["limit"] = limit
    columns = "id, code, name, tier, revenue, last_deal_on, last_closed, recent, NULL, NULL, basis, cum, abc"
    nulls = ", ".join(["NULL"] * 10)  # the counting rows padded to the listed rows' 14 columns
    rows = conn.execute(
        f"{ctes}"
        f"SELECT 'total', NULL, count(*), sum(revenue), {nulls} FROM r "
        f"UNION ALL SELECT 'class', abc, count(*), sum(revenue), {nulls} FROM k GROUP BY abc "
        f"UNION ALL SELECT 'basis', basis, count(*), NULL, {nulls} FROM k GROUP BY basis "
        f"UNION ALL SELECT 'review', NULL, count(*), NULL, {nulls} FROM k WHERE {flagged} "
        f"UNION ALL SELECT * FROM (SELECT 'top', {columns} FROM k ORDER BY cum LIMIT :limit) "
        f"UNION ALL SELECT * FROM (SELECT 'for review', {columns} FROM k WHERE {flagged} ORDER BY cum LIMIT :limit)",
        params,
    ).fetchall()
    classes = dict.fromkeys(("A", "B", "C"), (0, Decimal("0.00")))
    bases = dict.fromkeys(BASES, 0)
    review_count = 0
    top: list[Any] = []
    for_review: list[Any] = []
    count = total_cents = 0
    for kind, *rest in rows:
        if kind == "total":
            count, total_cents = int(rest[1]), int(rest[2] or 0)
        elif kind == "class":
            classes[rest[0]] = (int(rest[1]), rep.cents_to_money(rest[2]))
        elif kind == "basis":
            bases[rest[0]] = int(rest[1])
        elif kind == "review":
            review_count = int(rest[1])
        else:
            (top if kind == "top" else for_review).append(rest)
    if not count or total_cents * max(fractions) >= _SAFE_CENTS:
        return value(conn, config, today=today, rc=rc)  # none to class, or too large for 64 bits
    total = rep.cents_to_money(total_cents)
    shown = {r[0]: r for r in top + for_review}
    with_facts = {r[0]: r for r in _follow_up_facts(conn, [r[:11] for r in shown.values()], params)}
    built = {
        cid: rep.value_row(item, shown[cid][12], rep.cents_to_money(shown[cid][11]), total, today, rc)
        for cid, item in ((i.customer_id, i) for i in _value_inputs(list(with_facts.values()), local_tz()))
    }
    review = [x for x in (rep.review_tier(built[r[0]], rc) for r in for_review) if x is not None]
    return rep.ValueSummary(
        rows=[built[r[0]] for r in top],
        review=review,
        review_count=review_count,
        **_figures(conn, config, today, rc, count, total_cents, classes, bases),
    )


def value_json_source(
    conn: sqlite3.Connection, config: Config, *, today: date, rc: ReportConfig | None = None
) -> tuple[rep.ValueSummary, Iterator[Any], int] | None:
    """What ``value --json`` lists, for ``domain.reports.value_text.value_json_rows``: the report's
    figures (no rows), every customer with revenue in revenue order (``ValueSourceRow``: its class
    and running total from SQL, its last follow-up and those in the RFM window) and the revenue
    total in cents. None: the customers are not for this way (none, or sums too large for SQLite's
    integers): ``value``'s report instead."""
    rc = rc or config.reports
    ctes, params, _flagged, fractions = _classed(config, today, rc)
    nulls = ", ".join(["NULL"] * 10)  # the counting rows padded to the listed rows' 14 columns
    follow_ups = (
        "(SELECT f.at FROM followup f WHERE f.customer_id = k.id ORDER BY f.at DESC LIMIT 1), "
        "(SELECT count(*) FROM followup f WHERE f.customer_id = k.id AND f.at >= :window_at)"
    )
    rows = conn.execute(
        f"{ctes}"
        f"SELECT 'total', NULL, count(*), sum(revenue), {nulls} FROM r "
        f"UNION ALL SELECT 'class', abc, count(*), sum(revenue), {nulls} FROM k GROUP BY abc "
        f"UNION ALL SELECT 'basis', basis, count(*), NULL, {nulls} FROM k GROUP BY basis "
        "UNION ALL SELECT * FROM (SELECT 'row', id, code, name, tier, revenue, cum, abc, basis, last_deal_on, "
        f"last_closed, recent, {follow_ups} FROM k ORDER BY cum)",
        params,
    ).fetchall()
    classes = dict.fromkeys(("A", "B", "C"), (0, Decimal("0.00")))
    bases = dict.fromkeys(BASES, 0)
    count = total_cents = 0
    first = 0
    for first, (kind, *rest) in enumerate(rows):  # noqa: B007 - the counting rows come first
        if kind == "total":
            count, total_cents = int(rest[1]), int(rest[2] or 0)
        elif kind == "class":
            classes[rest[0]] = (int(rest[1]), rep.cents_to_money(rest[2]))
        elif kind == "basis":
            bases[rest[0]] = int(rest[1])
        else:
            break
    if not count or total_cents * max(fractions) >= _SAFE_CENTS:
        return None
    head = rep.ValueSummary(
        rows=[],
        review=[],
        review_count=0,
        **_figures(conn, config, today, rc, count, total_cents, classes, bases),
    )
    return head, (row[1:] for row in islice(rows, first, None)), total_cents
