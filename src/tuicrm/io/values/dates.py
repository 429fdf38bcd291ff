"""Dates and date-times from cells: ISO, Chinese, day/month orders, Excel serials, month names."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tuicrm.io.values.text import clean_text, prepare

# ---------------------------------------------------------------------------
# Dates

# Excel's day zero (1899-12-30 absorbs its 1900 leap-year bug for serials after 59).
_EXCEL_EPOCH = date(1899, 12, 30)
# Plausible serials: 1927-05-18 .. 2173-10-14; anything else is not a date.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 100_000

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january", "jän", "januar"),
            ("feb", "february", "februar"),
            ("mar", "march", "mär", "märz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ]
    )
    for name in names
}

_Y_M_D = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_CJK = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_X_X_Y = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$")
_TEXT_MONTH_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-zäé]+)\.?,?\s+(\d{4})$")
_TEXT_MONTH_MDY = re.compile(r"^([a-zäé]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
# A time part after the date: "T10:00:00.000Z", " 10:30", "T16:14:25.000+0000", " 上午10:30".
_TIME = re.compile(
    r"^(?:[ T]|\s+)(?:上午|下午|晚上)?\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(am|pm|上午|下午)?\s*"
    r"(z|utc|gmt|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(
    r"^(\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"
    r"|\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4})(.*)$"
)


def _make_date(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"{text} is not a valid date") from None


def _two_digit_year(y: int) -> int:
    # Two-digit years are this century unless that would be far in the future.
    return 2000 + y if y < 70 else 1900 + y


def _from_serial(n: float, text: str) -> date:
    if not (_SERIAL_MIN <= n < _SERIAL_MAX):
        raise ValueError(f"{text} is not a date (a number, but not an Excel date serial)")
    return _EXCEL_EPOCH + timedelta(days=int(n))


def _day_month(a: int, b: int, sep: str, day_first: bool | None, text: str) -> tuple[int, int]:
    """(day, month) for "a?b?year", see parse_date for the rule."""
    if sep == ".":
        return a, b  # 15.03.2024: dotted dates are day-first wherever they are written
    if a > 12 >= b:
        return a, b
    if b > 12 >= a:
        return b, a
    if a == b:
        return a, b
    if day_first is None:
        raise ValueError(f"{text} is ambiguous (day/month order); write it as YYYY-MM-DD")
    return (a, b) if day_first else (b, a)


def _split_date_time(s: str) -> tuple[str, str]:
    m = _DATE_PREFIX.match(s)
    if m:
        return m.group(1), m.group(2)
    return s, ""


def _parse_date_text(s: str, day_first: bool | None, text: str) -> date:
    if m := _Y_M_D.match(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _CJK.match(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _COMPACT.match(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _X_X_Y.match(s):
        year = int(m[4]) if len(m[4]) == 4 else _two_digit_year(int(m[4]))
        day, month = _day_month(int(m[1]), int(m[3]), m[2], day_first, text)
        return _make_date(year, month, day, text)
    low = s.casefold()
    if (m := _TEXT_MONTH_DMY.match(low)) and m[2] in _MONTHS:
        return _make_date(int(m[3]), _MONTHS[m[2]], int(m[1]), text)
    if (m := _TEXT_MONTH_MDY.match(low)) and m[1] in _MONTHS:
        return _make_date(int(m[3]), _MONTHS[m[1]], int(m[2]), text)
    raise ValueError(f"{text} is not a date (use YYYY-MM-DD)")


def parse_date(v: object, *, day_first: bool | None = None) -> date | None:
    """A calendar date from a cell.

    Accepts ``date``/``datetime`` objects (openpyxl), Excel serial numbers
    (10000–99999, e.g. 45366 → 2024-03-15), ``20240315``, ``2024-03-15``,
    ``2024/3/15``, ``2024.3.15``, ``2024年3月15日``, ``15 Mar 2024``,
    ``March 15, 2024`` and ISO date-times (``2019-01-02T10:00:00.000Z``,
    ``2024-03-15 10:30``; the time is dropped, the date is as written).

    Day/month order for ``a/b/yyyy``, ``a-b-yyyy`` and ``a.b.yyyy``:
    dotted dates are day-first (``15.03.2024``, the German/European form);
    otherwise a part above 12 decides (``3/15/2024`` is 15 March,
    ``15/03/2024`` too); when both parts are 12 or less the order is taken from
    ``day_first`` (see :func:`guess_day_first`, which decides it for a whole
    column), and without it the value is rejected as ambiguous rather than
    guessed.
    """
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, bool):
        raise ValueError(f"{v} is not a date")
    if isinstance(v, (int, float, Decimal)):
        n = float(v)
        if math.isnan(n):
            return None
        if isinstance(v, int) and 19_000_101 <= v <= 29_991_231:
            return _parse_date_text(str(v), day_first, str(v))
        return _from_serial(n, clean_text(v) or str(v))
    s = prepare(v)
    if s is None:
        return None
    text = clean_text(v) or s
    head, rest = _split_date_time(s)
    if rest:
        _parse_time(rest, text)  # a date with a broken time is a typo, not a date
        s = head
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return _from_serial(float(s), text)
    return _parse_date_text(s, day_first, text)


def parse_datetime(v: object, *, day_first: bool | None = None) -> datetime | None:
    """A naive date-time from a cell: as written, or converted to UTC when it carries an offset.

    A date alone gives midnight. Excel serials keep their fraction of a day.
    Used for ``FollowUp.at``; the importer decides how a wall-clock time maps to UTC.
    """
    if v is None:
        return None
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            return v.astimezone(UTC).replace(tzinfo=None)
        return v
    if (
        isinstance(v, (int, float, Decimal))
        and not isinstance(v, bool)
        and not (isinstance(v, int) and 19_000_101 <= v <= 29_991_231)
    ):
        n = float(v)
        if math.isnan(n):
            return None
        serial_day = _from_serial(n, clean_text(v) or str(v))
        seconds = round((n - math.floor(n)) * 86400)
        return datetime.combine(serial_day, time()) + timedelta(seconds=seconds)
    day = parse_date(v, day_first=day_first)
    if day is None:
        return None
    s = prepare(v) if isinstance(v, str) else None
    if not s:
        return datetime.combine(day, time())
    _head, rest = _split_date_time(s)
    if not rest:
        return datetime.combine(day, time())
    clock, offset = _parse_time(rest, clean_text(v) or s)
    try:
        return datetime.combine(day, clock) - offset
    except OverflowError:
        raise ValueError(f"{clean_text(v)} is out of range") from None


def _parse_time(rest: str, text: str) -> tuple[time, timedelta]:
    """The wall-clock time after a date, and its UTC offset (zero when none is written)."""
    m = _TIME.match(rest)
    if not m:
        raise ValueError(f"{text} is not a date (use YYYY-MM-DD)")
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    half = (m[4] or "").casefold()
    if rest.strip().startswith(("下午", "晚上")) or half in ("pm", "下午"):
        if hour < 12:
            hour += 12
    elif (rest.strip().startswith("上午") or half in ("am", "上午")) and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{text} is not a valid time")
    offset = timedelta()
    zone = (m[5] or "").casefold()
    if zone and zone not in ("z", "utc", "gmt"):
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return time(hour, minute, second), offset


def guess_day_first(values: list[object]) -> bool | None:
    """For a column of ``a/b/yyyy`` dates: True if some ``a`` is above 12, False if some ``b`` is; else None."""
    day_first = month_first = False
    for v in values:
        s = prepare(v) if isinstance(v, str) else None
        if not s:
            continue
        m = _X_X_Y.match(_split_date_time(s)[0])
        if not m or m[2] == ".":
            continue
        a, b = int(m[1]), int(m[3])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    if day_first == month_first:
        return None
    return day_first


# ---------------------------------------------------------------------------
# Amounts
