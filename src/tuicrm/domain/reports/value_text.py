"""``tuicrm report value --json`` written from the query's rows (issue #20): every customer with
revenue, classed and ranked in SQL (``query.reports_value.value_json_source``), written here in
integer cents, byte for byte what ``value_json(value_report(...))`` writes.

A ``ValueRow`` with Decimal arithmetic per customer, then a template, took most of two seconds
for 55 000 customers; here each row is one f-string filled from the stored values (its keys
those of ``value._ROW_KEYS``, in their order: ``tests/domain/test_report_fast_paths.py`` and
``tests/store/test_report_queries.py`` hold the text to ``value_json``'s): money from cents
(``"%d.%02d"``), the shares as ``round(float(Decimal(part) / Decimal(total)), 4)`` gives them
(``share4``), the scores by bisection, a review row as its customer row with the review's two
keys (their words depend on the tier and the class alone)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from tuicrm.domain.reports.shared import json_text
from tuicrm.domain.reports.value import BASIS_NAMES, ValueSummary, _value_head, review_words
from tuicrm.domain.reports.weeks import DATE_TEXT

# ((customer id, code, name, tier, revenue cents, last deal date, last won close date, deals won
# in the window, basis flag (1: received), last follow-up (stored UTC time), follow-ups in the
# window), running total cents, class)
ValueSourceRow = tuple[tuple[Any, ...], int, str]
_PIECE = 2000  # rows per piece written


def share4(part: int, total: int) -> float:
    """``round(float(Decimal(part) / Decimal(total)), 4)`` for integer cents, in floats.

    Both quotients are within a unit in the last place of the exact one, so they round alike to
    four places unless it lies within a millionth of a rounding tie: then the Decimal way."""
    rest = (20_000 * part) % (2 * total)  # 2·10⁴·part/total's distance from an odd integer: a tie
    if abs(rest - total) * 1_000_000 < 2 * total:
        return round(float(Decimal(part) / Decimal(total)), 4)
    return round(part / total, 4)


class ShareTexts:
    """``repr(share4(part, total))`` for one ``total``: away from a rounding tie the share is the
    nearest ten-thousandth ``k`` (``round`` gives the float nearest ``k / 10⁴``, as the division
    does), whose text is kept (at most 10 001 of them); next to a tie, ``share4``'s Decimal way.

    ``text(part)`` also says over which parts the same text holds, away from ties: ``v = 2·10⁴·part
    + total`` from ``low`` to ``high`` (a running total's share is the same for many customers)."""

    def __init__(self, total: int) -> None:
        self.total, self.double = total, 2 * total
        self.margin = -(-self.double // 1_000_000)  # the least distance from a tie not within a millionth
        self._texts: dict[int, str] = {}

    def text(self, part: int) -> tuple[str, int, int]:
        """(the share's text, low, high): the same text for every part ≥ 0 whose ``v`` is in [low, high]."""
        total, double, margin = self.total, self.double, self.margin
        k, rest = divmod(20_000 * part + total, double)  # 10⁴·part/total rounded half up
        # ``rest`` (or ``double - rest``) is ``share4``'s distance from a tie
        if min(rest, double - rest) * 1_000_000 < double:
            return repr(share4(part, total)), 1, 0  # an empty range: asked again next time
        found = self._texts.get(k)
        if found is None:
            found = self._texts[k] = repr(k / 10_000)
        return found, double * k + margin, double * (k + 1) - margin


_CLOSE = "\n    }"
_REVENUE = '"%d.%02d",\n      "share": %s'  # the revenue as the row template writes it (cents ≥ 0)


def value_json_rows(
    head: ValueSummary,
    rows: Iterable[ValueSourceRow],
    *,
    total_cents: int,
    local_day: Callable[[str], date],
) -> Iterator[str]:
    """``value_json`` of the report whose figures ``head`` holds and whose customers are ``rows``
    (revenue order; codes and names as ``json_inner`` writes them, tiers that need no escape), as
    text pieces; ``local_day``: a stored UTC time's local date.

    What repeats is written once and kept: the revenue with its share (equal revenues are
    neighbours), the running total's share with the class, the last activity with its recency
    (a few thousand dates), the frequency with the three scores (a few hundred). A row is written
    without its closing brace: the customers' list puts it back in the join, a review row adds
    its two keys after it (the same text, never cut and copied again)."""
    import json

    from tuicrm.domain.privacy import json_escape_controls

    rc, today = head.config, head.today
    text = json_escape_controls(json.dumps(_value_head(head), ensure_ascii=False, indent=2, default=str))
    yield text[:-2] + ',\n  "customers": '
    recency_bounds = sorted(rc.rfm_recency_days)
    frequency_bounds = sorted(rc.rfm_frequency_counts)
    monetary_bounds = sorted(rc.rfm_monetary_amounts)
    n_recency = len(recency_bounds) + 1
    days: dict[Any, date] = {}  # stored dates (a few thousand distinct ones)
    lasts: dict[date | None, tuple[str, int]] = {}  # last activity -> its piece, r
    scores: dict[tuple[int, int, int, Any], str] = {}  # (frequency, r, m, basis) -> "frequency" … its end
    known: dict[Any, str] = {}  # tiers, classes, bases: a handful of JSON texts
    review_tails: dict[str, dict[str, str | None]] = {}  # class -> tier -> a review row's keys (None: none)
    class_tails: dict[str, str | None] = {}  # the current class's
    shares = ShareTexts(total_cents)
    revenue, m, last_cents = "", 0, None  # equal revenues are neighbours: their piece and m score
    cumulative, cum_low, cum_high, last_abc = (
        "",
        1,
        0,
        "",
    )  # the running total's share over [cum_low, cum_high]
    bodies: list[str] = []
    first = True  # no customer written yet
    review: list[str] = []  # each review row's body, then its keys and the separator

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

    def last_piece(last: date | None) -> tuple[str, int]:
        if last is None:
            piece = lasts[None] = ('null,\n      "recency_days": null', 1)
            return piece
        recency = (today - last).days
        r = n_recency - bisect_left(recency_bounds, recency)
        piece = lasts[last] = (f'"{last.isoformat()}",\n      "recency_days": {recency}', r)
        return piece

    def score_piece(key: tuple[int, int, int, Any]) -> str:
        frequency, r, m, basis = key
        f = 1 + bisect_right(frequency_bounds, frequency)
        rfm = json_text(f"{r}{f}{m}")
        piece = scores[key] = (
            f'{frequency},\n      "r": {r},\n      "f": {f},\n      "m": {m},\n      "rfm": {rfm}'
            f',\n      "revenue_basis": {small(BASIS_NAMES[basis])}'
        )
        return piece

    def review_tail(tier: str) -> str | None:
        words = review_words(tier, last_abc, rc)
        tail = class_tails[tier] = (
            None
            if words is None
            else f',\n      "suggestion": {json_text(words[0])},\n      "reason": {json_text(words[1])}{_CLOSE},\n'
        )
        return tail

    known_get, days_get, lasts_get, scores_get = known.get, days.get, lasts.get, scores.get
    tails_get = class_tails.get
    for (cid, code, name, tier, cents, deal, closed, won_n, basis, last_at, fu_n), cum, abc in rows:
        last = None if deal is None else (days_get(deal) or day(deal))
        if closed is not None:
            won_day = days_get(closed) or day(closed)
            if last is None or won_day > last:
                last = won_day
        if last_at is not None:
            fu_day = local_day(last_at)
            if last is None or fu_day > last:
                last = fu_day
        activity, r = lasts_get(last) or last_piece(last)
        if cents != last_cents:
            share, last_cents = shares.text(cents)[0], cents
            revenue = _REVENUE % (*divmod(cents, 100), share)
            m = 1 + bisect_right(monetary_bounds, cents / 100)
        v = 20_000 * cum + total_cents
        if not cum_low <= v <= cum_high or abc != last_abc:
            cum_text, cum_low, cum_high = shares.text(cum)
            cumulative, last_abc = f'{cum_text},\n      "abc": {known_get(abc) or small(abc)}', abc
            class_tails = review_tails.setdefault(abc, {})
            tails_get = class_tails.get
        key = (int(won_n or 0) + int(fu_n or 0), r, m, basis)
        body = (
            f'    {{\n      "customer_id": {cid},\n      "code": "{code}",\n      "name": "{name}",\n'
            f'      "tier": "{tier}",\n      "revenue": {revenue},\n      "cumulative_share": {cumulative},\n'
            f'      "last_activity": {activity},\n      "frequency": {scores_get(key) or score_piece(key)}'
        )
        bodies.append(body)
        if len(bodies) == _PIECE:  # written as they come: only the review is kept to the end
            yield ("[\n" if first else ",\n") + _CLOSE_NEXT.join(bodies) + _CLOSE
            bodies, first = [], False
        tail = tails_get(tier, "")
        if tail == "":
            tail = review_tail(tier)
        if tail is not None:
            review += (body, tail)
    if bodies or not first:
        yield ("[\n" if first else ",\n") + _CLOSE_NEXT.join(bodies) + _CLOSE + "\n  ]"
    else:
        yield "[]"
    yield ',\n  "review_tier": '
    if not review:
        yield "[]"
    else:
        review[-1] = review[-1].removesuffix(",\n")
        yield "[\n"
        for start in range(0, len(review), 2 * _PIECE):
            yield "".join(review[start : start + 2 * _PIECE])
        yield "\n  ]"
    yield "\n}"


_CLOSE_NEXT = _CLOSE + ",\n"  # one row's closing brace and the next row's separator
