"""What every report shares: its vocabulary (from ``tuicrm.config``) and small arithmetic
(ratios, medians, money and plural labels)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from tuicrm.config import DEFAULT, OPEN_STAGES, STAGES, TIERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Report settings live with every other number, in tuicrm.config.
DEFAULT_REPORT_CONFIG = DEFAULT.reports

# The funnel: every stage but lost, in order (lead → … → won); the weekly report counts moves
# into the open stages after the first; grades are the tiers (A/B/C, D = not assessed).
FUNNEL_STAGES: tuple[str, ...] = tuple(s for s in STAGES if s != "lost")
MOVED_INTO_STAGES: tuple[str, ...] = OPEN_STAGES[1:]
GRADES: tuple[str, ...] = TIERS
NO_REASON = "(no reason)"
NO_DATE = "no date"


def median(values: Sequence[float]) -> float | None:
    import statistics  # loaded by the reports that take medians only

    return float(statistics.median(values)) if values else None


def rate(part: int, whole: int) -> float | None:
    """part / whole as a ratio (0.6 = 60 %), or None when there is nothing to divide."""
    if not whole:
        return None
    return round(part / whole, 4)


def cents_to_money(cents: int | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def money_str(value: Decimal | None) -> str:
    """For JSON: a plain decimal string with two places ("50000.00")."""
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def money_label(value: Decimal | None) -> str:
    """For people: thousands separators, cents only when there are some ("50,000", "1,234.50")."""
    v = Decimal(value or 0).quantize(Decimal("0.01"))
    return f"{v:,.0f}" if v == v.to_integral_value() else f"{v:,.2f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 deal``, ``2 deals``; ``many`` for irregular plurals."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def percent_label(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f} %"


def json_text(value: str | None) -> str:
    """A JSON string as ``json.dumps(ensure_ascii=False)`` writes it, with what a terminal may act
    on escaped too (``privacy.json_escape_controls``: every character it escapes is unprintable),
    for the reports that write their ``--json`` from templates (tens of thousands of rows)."""
    from json.encoder import encode_basestring  # the C function json.dumps(ensure_ascii=False) uses

    if value is None:
        return "null"
    if value.isprintable():
        return encode_basestring(value)
    from tuicrm.domain.privacy import json_escape_controls

    return json_escape_controls(encode_basestring(value))


def plain_texts(values: Iterable[object]) -> bool:
    """Every value a text that ``json_text`` writes as it is between quotes (printable: no
    control character; no quote, no backslash), told by one test over them all."""
    try:
        joined = "".join(values)  # type: ignore[arg-type]  # a value not text: TypeError
    except TypeError:
        return False
    return joined.isprintable() and '"' not in joined and "\\" not in joined


def json_inner(value: str) -> str:
    """What ``json_text`` writes of a text between its quotes (the text itself when it is plain)."""
    return json_text(value)[1:-1]


def with_json_texts(rows: list[Any], columns: tuple[int, ...]) -> list[Any]:
    """``rows`` (tuples) whose text ``columns`` are as ``json_inner`` writes them: for a template
    that puts them in between quotes as they are, when some text needs an escape (rare: one
    pass over every row then)."""
    if all(plain_texts(r[k] for r in rows) for k in columns):
        return rows
    return [tuple(json_inner(v) if k in columns else v for k, v in enumerate(r)) for r in rows]
