"""Customer value: ABC by revenue (A is the smallest group of top customers that makes up 70 %
of revenue, B the next 20 %, C the rest) and RFM scored 1–5; thresholds in ``ReportConfig``.

A customer's revenue is what it paid (its payments, issue #18) when it has any, else its won
revenue (its revenue total, kept from its won deals, else the sum of those); each row says which
(``basis``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from tuicrm.config import ReportConfig
from tuicrm.domain.reports.shared import DEFAULT_REPORT_CONFIG, GRADES, json_text, money_str


def abc_classes(
    revenues: Sequence[Decimal],
    a_share: Decimal = DEFAULT_REPORT_CONFIG.abc_a_share,
    b_share: Decimal = DEFAULT_REPORT_CONFIG.abc_b_share,
) -> list[str]:
    """Classes for revenues already sorted largest first.

    A customer is A when the customers ranked above it make less than ``a_share`` of the total
    (so the top customer is always A), B when they make less than ``a_share + b_share``, else C.
    """
    total = sum((Decimal(r) for r in revenues), Decimal(0))
    if total <= 0:
        return ["C"] * len(revenues)
    a_cut = total * Decimal(str(a_share))
    b_cut = total * (Decimal(str(a_share)) + Decimal(str(b_share)))
    out, before = [], Decimal(0)
    for r in revenues:
        out.append("A" if before < a_cut else ("B" if before < b_cut else "C"))
        before += Decimal(r)
    return out


def score_low_is_good(value: float | None, thresholds: Sequence[float]) -> int:
    """Recency: 5 at or under the first threshold, one less per threshold passed; None (never) → 1."""
    if value is None:
        return 1
    return len(thresholds) + 1 - sum(1 for t in thresholds if value > t)


def score_high_is_good(value: float | None, thresholds: Sequence[float]) -> int:
    """Frequency and monetary: 1, plus one for each threshold reached."""
    if value is None:
        return 1
    return 1 + sum(1 for t in thresholds if value >= t)


class ValueInput(NamedTuple):  # a tuple: a report has one per customer with revenue
    customer_id: int
    code: str
    name: str
    tier: str
    revenue: Decimal
    last_activity: date | None  # last deal or follow-up
    frequency: int  # won deals + follow-ups in the RFM window
    basis: str = "won"  # received (payments) | won (revenue total / won deals)


BASES = ("received", "won")
BASIS_NAMES = ("won", "received")  # a basis flag (1: ranked by the payments received) -> its name


class ValueRow(NamedTuple):  # a tuple: a report has one per customer with revenue
    customer_id: int
    code: str
    name: str
    tier: str
    revenue: Decimal
    share: float
    cumulative_share: float
    abc: str
    last_activity: date | None
    recency_days: int | None
    frequency: int
    r: int
    f: int
    m: int
    basis: str = "won"

    @property
    def rfm(self) -> str:
        return f"{self.r}{self.f}{self.m}"


@dataclass(frozen=True)
class ReviewItem:
    row: ValueRow
    suggestion: str  # raise | lower | assess
    reason: str


@dataclass(frozen=True)
class ValueReport:
    today: date
    currency: str
    config: ReportConfig
    revenue_total: Decimal
    rows: list[ValueRow]  # customers with revenue, largest first
    no_revenue: int  # active customers without revenue (not classified)
    review: list[ReviewItem]
    # Won deals in other currencies (issue #15): (currency, customers, amount), never converted
    # and not in the ABC classes, which rank the configured currency.
    other_currencies: tuple[tuple[str, int, Decimal], ...] = ()

    @property
    def customers(self) -> int:
        """Customers with revenue (classified)."""
        return len(self.rows)

    @property
    def review_count(self) -> int:
        return len(self.review)

    def bases(self) -> dict[str, int]:
        """How many classified customers are ranked by payments received, how many by won revenue."""
        count = dict.fromkeys(BASES, 0)
        for r in self.rows:
            count[r.basis] = count.get(r.basis, 0) + 1
        return count

    def summary(self) -> dict[str, tuple[int, Decimal]]:
        count = dict.fromkeys(("A", "B", "C"), 0)
        revenue = dict.fromkeys(("A", "B", "C"), Decimal(0))
        for r in self.rows:
            count[r.abc] += 1
            revenue[r.abc] += r.revenue
        return {k: (count[k], revenue[k].quantize(Decimal("0.01"))) for k in count}


@dataclass(frozen=True)
class ValueSummary:
    """What a table of the value report shows, counted in SQL (``query.reports.value_summary``):
    the figures of every class and basis, the first rows by revenue and the first for review."""

    today: date
    currency: str
    config: ReportConfig
    revenue_total: Decimal
    rows: list[ValueRow]  # the first customers by revenue, largest first
    customers: int  # all customers with revenue
    no_revenue: int
    review: list[ReviewItem]  # the first customers for review, in revenue order
    review_count: int
    classes: dict[str, tuple[int, Decimal]]
    basis_counts: dict[str, int]
    other_currencies: tuple[tuple[str, int, Decimal], ...] = ()

    def bases(self) -> dict[str, int]:
        return dict(self.basis_counts)

    def summary(self) -> dict[str, tuple[int, Decimal]]:
        return dict(self.classes)


def value_row(
    item: ValueInput, abc: str, cumulative: Decimal, total: Decimal, today: date, rc: ReportConfig
) -> ValueRow:
    """One customer's row (``value_report``'s arithmetic, for a row counted elsewhere)."""
    recency = (today - item.last_activity).days if item.last_activity else None
    return ValueRow(
        item.customer_id,
        item.code,
        item.name,
        item.tier,
        item.revenue.quantize(Decimal("0.01")),
        round(float(item.revenue / total), 4),
        round(float(cumulative / total), 4),
        abc,
        item.last_activity,
        recency,
        item.frequency,
        score_low_is_good(recency, rc.rfm_recency_days),
        score_high_is_good(item.frequency, rc.rfm_frequency_counts),
        score_high_is_good(float(item.revenue), rc.rfm_monetary_amounts),
        item.basis,
    )


def value_report(
    items: Iterable[ValueInput],
    *,
    today: date,
    currency: str,
    rc: ReportConfig = DEFAULT_REPORT_CONFIG,
    others: int = 0,
) -> ValueReport:
    """ABC and RFM over ``items``; ``others`` counts further customers already known to have no revenue."""
    items = list(items)
    paying = sorted((i for i in items if i.revenue and i.revenue > 0), key=lambda i: (-i.revenue, i.code))
    classes = abc_classes([i.revenue for i in paying], rc.abc_a_share, rc.abc_b_share)
    total = sum((i.revenue for i in paying), Decimal(0))
    # The scores as score_low_is_good / score_high_is_good count them, by bisection (one per row).
    recency_bounds = sorted(rc.rfm_recency_days)
    frequency_bounds = sorted(rc.rfm_frequency_counts)
    monetary_bounds = sorted(rc.rfm_monetary_amounts)
    cent = Decimal("0.01")
    rows, cumulative = [], Decimal(0)
    for item, abc in zip(paying, classes, strict=True):
        cumulative += item.revenue
        recency = (today - item.last_activity).days if item.last_activity else None
        rows.append(
            ValueRow(
                item.customer_id,
                item.code,
                item.name,
                item.tier,
                item.revenue.quantize(cent),
                round(float(item.revenue / total), 4),
                round(float(cumulative / total), 4),
                abc,
                item.last_activity,
                recency,
                item.frequency,
                1 if recency is None else len(recency_bounds) + 1 - bisect_left(recency_bounds, recency),
                1 + bisect_right(frequency_bounds, item.frequency),
                1 + bisect_right(monetary_bounds, float(item.revenue)),
                item.basis,
            )
        )
    # Whether a row is for review depends on its tier and class alone: asked once per pair.
    flagged: dict[tuple[str, str], bool] = {}
    review: list[ReviewItem] = []
    for r in rows:
        pair = (r.tier, r.abc)
        if pair not in flagged:
            flagged[pair] = review_tier(r, rc) is not None
        if flagged[pair] and (flag := review_tier(r, rc)) is not None:
            review.append(flag)
    return ValueReport(
        today, currency, rc, total.quantize(cent), rows, len(items) - len(paying) + others, review
    )


def review_tier(row: ValueRow, rc: ReportConfig = DEFAULT_REPORT_CONFIG) -> ReviewItem | None:
    """Flag a customer whose tier and value class are ``review_tier_gap`` or more grades apart."""
    words = review_words(row.tier, row.abc, rc)
    return None if words is None else ReviewItem(row, *words)


def review_words(tier: str, abc: str, rc: ReportConfig = DEFAULT_REPORT_CONFIG) -> tuple[str, str] | None:
    """(suggestion, reason) for a customer of ``tier`` in value class ``abc``, or None: they agree."""
    tier = tier if tier in GRADES else "D"
    gap = GRADES.index(tier) - GRADES.index(abc)
    if abs(gap) < max(1, rc.review_tier_gap):
        return None
    if tier == "D":
        return "assess", f"not assessed yet; revenue puts it in value class {abc}"
    if gap > 0:
        return "raise", f"tier {tier} but value class {abc}: worth more than its tier"
    return "lower", f"tier {tier} but value class {abc}: check its potential"


def value_to_dict(r: ValueReport) -> dict[str, Any]:
    head = _value_head(r)
    head["customers"] = [_value_row_dict(x) for x in r.rows]
    head["review_tier"] = [
        {**_value_row_dict(x.row), "suggestion": x.suggestion, "reason": x.reason} for x in r.review
    ]
    return head


def _value_head(r: ValueReport | ValueSummary) -> dict[str, Any]:
    """``value_to_dict`` up to its lists of customers."""
    rc = r.config
    return {
        "report": "value",
        "today": r.today.isoformat(),
        "currency": r.currency,
        "settings": {
            "abc_a_share": float(rc.abc_a_share),
            "abc_b_share": float(rc.abc_b_share),
            "rfm_recency_days": list(rc.rfm_recency_days),
            "rfm_frequency_counts": list(rc.rfm_frequency_counts),
            "rfm_monetary_amounts": list(rc.rfm_monetary_amounts),
            "rfm_window_days": rc.rfm_window_days,
        },
        "revenue_total": money_str(r.revenue_total),
        "other_currencies": [
            {"currency": c, "customers": n, "revenue": money_str(a)} for c, n, a in r.other_currencies
        ],
        "classes": {
            k: {
                "customers": c,
                "revenue": money_str(a),
                "share": round(float(a / r.revenue_total), 4) if r.revenue_total else None,
            }
            for k, (c, a) in r.summary().items()
        },
        "no_revenue": r.no_revenue,
        "revenue_basis": r.bases(),
    }


def _value_row_dict(x: ValueRow) -> dict[str, Any]:
    return {
        "customer_id": x.customer_id,
        "code": x.code,
        "name": x.name,
        "tier": x.tier,
        "revenue": money_str(x.revenue),
        "share": x.share,
        "cumulative_share": x.cumulative_share,
        "abc": x.abc,
        "last_activity": x.last_activity.isoformat() if x.last_activity else None,
        "recency_days": x.recency_days,
        "frequency": x.frequency,
        "r": x.r,
        "f": x.f,
        "m": x.m,
        "rfm": x.rfm,
        "revenue_basis": x.basis,
    }


_ROW_KEYS = (
    ("customer_id", "%d"),
    ("code", "%s"),
    ("name", "%s"),
    ("tier", "%s"),
    ("revenue", '"%s"'),
    ("share", "%r"),
    ("cumulative_share", "%r"),
    ("abc", "%s"),
    ("last_activity", "%s"),
    ("recency_days", "%s"),
    ("frequency", "%d"),
    ("r", "%d"),
    ("f", "%d"),
    ("m", "%d"),
    ("rfm", "%s"),
    ("revenue_basis", "%s"),
)


def _row_template(extra: tuple[str, ...] = ()) -> str:
    keys = [f'      "{k}": {fmt}' for k, fmt in _ROW_KEYS] + [f'      "{k}": %s' for k in extra]
    return "    {\n" + ",\n".join(keys) + "\n    }"


def value_json(r: ValueReport, rows_per_piece: int = 2000) -> Iterator[str]:
    """``value_to_dict(r)`` as ``print_json`` writes it (``json.dumps(indent=2, ensure_ascii=False)``,
    controls escaped), in pieces: the customers and the review from one template per row (a dict
    per row and the indented encoder took two seconds for 100 000 customers)."""
    import json

    from tuicrm.domain.privacy import json_escape_controls

    text = json_escape_controls(json.dumps(_value_head(r), ensure_ascii=False, indent=2, default=str))
    yield text[:-2] + ',\n  "customers": '
    yield from _rows_json(r.rows, _row_template(), None, rows_per_piece)
    yield ',\n  "review_tier": '
    yield from _rows_json(
        [x.row for x in r.review], _row_template(("suggestion", "reason")), r.review, rows_per_piece
    )
    yield "\n}"


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


def _rows_json(
    rows: list[ValueRow], template: str, review: list[ReviewItem] | None, rows_per_piece: int
) -> Iterator[str]:
    if not rows:
        yield "[]"
        return
    known: dict[str | None, str] = {}  # tiers, classes, scores, bases: a handful of texts

    def small(value: str | None) -> str:
        text = known.get(value)
        if text is None:
            text = known[value] = json_text(value)
        return text

    pieces: list[str] = []
    first = True
    for n, x in enumerate(rows):
        if not (_finite(x.share) and _finite(x.cumulative_share)):
            import json

            share, cumulative = json.dumps(x.share), json.dumps(x.cumulative_share)
            line = template.replace("%r", "%s", 2)
        else:
            share, cumulative, line = x.share, x.cumulative_share, template  # type: ignore[assignment]
        values: tuple[object, ...] = (
            x.customer_id,
            json_text(x.code),
            json_text(x.name),
            small(x.tier),
            money_str(x.revenue),
            share,
            cumulative,
            small(x.abc),
            "null" if x.last_activity is None else f'"{x.last_activity.isoformat()}"',
            "null" if x.recency_days is None else x.recency_days,
            x.frequency,
            x.r,
            x.f,
            x.m,
            small(x.rfm),
            small(x.basis),
        )
        if review is not None:
            item = review[n]
            values += (json_text(item.suggestion), json_text(item.reason))
        pieces.append(line % values)
        if len(pieces) == rows_per_piece:
            yield ("[\n" if first else ",\n") + ",\n".join(pieces)
            pieces, first = [], False
    if pieces:
        yield ("[\n" if first else ",\n") + ",\n".join(pieces)
    yield "\n  ]"
