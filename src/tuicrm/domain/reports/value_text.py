"""``tuicrm report value --json`` written from the query's rows (issue #20): every customer with
revenue, classed and ranked in SQL (``query.reports_value.value_json_source``), written here in
integer cents, byte for byte what ``value_json(value_report(...))`` writes.

A ``ValueRow`` with Decimal arithmetic per customer, then a template, took most of two seconds
for 55 000 customers; here each row is one template filled from the stored values: money from
cents (``"%d.%02d"``), the shares as ``round(float(Decimal(part) / Decimal(total)), 4)`` gives
them (``share4``), the scores by bisection, a review row as its customer row with the review's
two keys (their words depend on the tier and the class alone)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from tuicrm.domain.reports.shared import json_text
from tuicrm.domain.reports.value import ValueSummary, _row_template, _value_head, review_words
from tuicrm.domain.reports.weeks import DATE_TEXT

# (customer id, code, name, tier, revenue cents, running total cents, class, basis, last deal
# date, last won close date, deals won in the window, last follow-up (stored UTC time),
# follow-ups in the window)
ValueSourceRow = tuple[Any, ...]
_PIECE = 2000  # rows per piece written


def share4(part: int, total: int) -> float:
    """``round(float(Decimal(part) / Decimal(total)), 4)`` for integer cents, in floats.

    Both quotients are within a unit in the last place of the exact one, so they round alike to
    four places unless it lies within a millionth of a rounding tie: then the Decimal way."""
    rest = (20_000 * part) % (2 * total)  # 2·10⁴·part/total's distance from an odd integer: a tie
    if abs(rest - total) * 1_000_000 < 2 * total:
        return round(float(Decimal(part) / Decimal(total)), 4)
    return round(part / total, 4)


def cents_text(cents: int) -> str:
    """``money_str`` of a whole number of cents ("1234.50")."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def value_json_rows(
    head: ValueSummary,
    rows: Iterable[ValueSourceRow],
    *,
    total_cents: int,
    local_day: Callable[[str], date],
) -> Iterator[str]:
    """``value_json`` of the report whose figures ``head`` holds and whose customers are ``rows``
    (revenue order), as text pieces; ``local_day``: a stored UTC time's local date."""
    import json
    from json.encoder import encode_basestring

    from tuicrm.domain.privacy import json_escape_controls

    rc, today = head.config, head.today
    text = json_escape_controls(json.dumps(_value_head(head), ensure_ascii=False, indent=2, default=str))
    yield text[:-2] + ',\n  "customers": '
    recency_bounds = sorted(rc.rfm_recency_days)
    frequency_bounds = sorted(rc.rfm_frequency_counts)
    monetary_bounds = sorted(rc.rfm_monetary_amounts)
    n_recency = len(recency_bounds) + 1
    template = _row_template()
    days: dict[str, date] = {}  # stored dates (a few thousand distinct ones)
    known: dict[Any, str] = {}  # tiers, classes, bases, scores: a handful of JSON texts
    review_tails: dict[tuple[str, str], str | None] = {}
    customers: list[str] = []
    first = True  # no customer written yet
    review: list[str] = []

    def small(value: Any) -> str:
        found = known.get(value)
        if found is None:
            found = known[value] = json_text(value)
        return found

    def day(stored: Any) -> date:
        found = days.get(stored)
        if found is None:
            found = days[stored] = date.fromisoformat(str(stored)[:DATE_TEXT])
        return found

    rfm_texts: dict[tuple[int, int, int], str] = {}
    known_get = known.get
    double = 2 * total_cents
    for cid, code, name, tier, cents, cum, abc, basis, deal, closed, won_n, last_at, fu_n in rows:
        last = None if deal is None else day(deal)
        if closed is not None:
            won_day = day(closed)
            if last is None or won_day > last:
                last = won_day
        if last_at is not None:
            fu_day = local_day(last_at)
            if last is None or fu_day > last:
                last = fu_day
        recency = None if last is None else (today - last).days
        frequency = int(won_n or 0) + int(fu_n or 0)
        r = 1 if recency is None else n_recency - bisect_left(recency_bounds, recency)
        f = 1 + bisect_right(frequency_bounds, frequency)
        m = 1 + bisect_right(monetary_bounds, cents / 100)
        rfm = rfm_texts.get((r, f, m))
        if rfm is None:
            rfm = rfm_texts[(r, f, m)] = json_text(f"{r}{f}{m}")
        # share4 inline (two calls per customer): the quotient, or the Decimal way next to a tie
        if abs((20_000 * cents) % double - total_cents) * 1_000_000 < double:
            share = share4(cents, total_cents)
        else:
            share = round(cents / total_cents, 4)
        if abs((20_000 * cum) % double - total_cents) * 1_000_000 < double:
            cumulative = share4(cum, total_cents)
        else:
            cumulative = round(cum / total_cents, 4)
        line = template % (
            cid,
            encode_basestring(code) if code.isprintable() else json_text(code),
            encode_basestring(name) if name.isprintable() else json_text(name),
            known_get(tier) or small(tier),
            cents_text(cents),
            share,
            cumulative,
            known_get(abc) or small(abc),
            "null" if last is None else f'"{last.isoformat()}"',
            "null" if recency is None else recency,
            frequency,
            r,
            f,
            m,
            rfm,
            known_get(basis) or small(basis),
        )
        customers.append(line)
        if len(customers) == _PIECE:  # written as they come: only the review is kept to the end
            yield ("[\n" if first else ",\n") + ",\n".join(customers)
            customers, first = [], False
        pair = (tier, abc)
        tail = review_tails.get(pair, "")
        if tail == "":
            words = review_words(tier, abc, rc)
            tail = review_tails[pair] = (
                None
                if words is None
                else f',\n      "suggestion": {json_text(words[0])},\n      "reason": {json_text(words[1])}\n    }}'
            )
        if tail is not None:
            review.append(line[:-6] + tail)  # the row's "\n    }" and then the review's keys
    if customers or not first:
        yield ("[\n" if first else ",\n") + ",\n".join(customers) + "\n  ]"
    else:
        yield "[]"
    yield ',\n  "review_tier": '
    yield from _json_list(review)
    yield "\n}"


def _json_list(items: list[str]) -> Iterator[str]:
    if not items:
        yield "[]"
        return
    yield "[\n"
    for start in range(0, len(items), _PIECE):
        if start:
            yield ",\n"
        yield ",\n".join(items[start : start + _PIECE])
    yield "\n  ]"
