"""Cell value parsers for imports (SPEC §9). Pure: no database, no Textual.

Every parser returns ``None`` for an empty cell and raises ``ValueError`` with a
short plain-English reason for a bad one, so the importer can report
"row 12: 2024-13-45 is not a valid date" and go on with the next row.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tuicrm.config import (
    ATTITUDES,
    CHANNELS,
    CONTACT_ROLES,
    KINDS,
    PREFERS,
    RELATIONSHIPS,
    STAGES,
    STATUSES,
    TIERS,
)
from tuicrm.io.headers import to_simplified

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


def clean_text(v: object) -> str | None:
    """The cell as trimmed text: BOM, full-width and other odd spaces removed at the ends; None if empty.

    Whole-number floats (Excel's ``13800138001.0``) lose the ``.0``.
    """
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer() and abs(v) < 1e16:
            v = int(v)
    s = str(v).replace("\ufeff", "").replace("\u3000", " ").replace("\u00a0", " ")
    s = s.strip()
    return s or None


def _key(v: object) -> str | None:
    """A loose comparison key for word lists: NFKC, simplified, case-folded, single-spaced."""
    s = clean_text(v)
    if s is None:
        return None
    s = to_simplified(unicodedata.normalize("NFKC", s)).casefold()
    s = re.sub(r"[\s_\-–—.·:：,，;；/]+", " ", s).strip()
    return s or None


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


def _prepare(v: object) -> str | None:
    s = clean_text(v)
    if s is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", s)).strip()


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
    s = _prepare(v)
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
        day = _from_serial(n, clean_text(v) or str(v))
        seconds = round((n - math.floor(n)) * 86400)
        return datetime.combine(day, time()) + timedelta(seconds=seconds)
    day = parse_date(v, day_first=day_first)
    if day is None:
        return None
    s = _prepare(v) if isinstance(v, str) else None
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
        s = _prepare(v) if isinstance(v, str) else None
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

_MULTIPLIERS = {
    "万": Decimal(10_000),
    "w": Decimal(10_000),
    "千": Decimal(1_000),
    "k": Decimal(1_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "b": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
    "thousand": Decimal(1_000),
}
# Currency words and signs around a number; the amount is in the configured currency.
_CURRENCY = re.compile(
    r"^(?:rmb|cny|usd|eur|gbp|hkd|jpy|us\$|hk\$|人民币|美元|港币|欧元|[¥$€£₩])\s*|"
    r"\s*(?:rmb|cny|usd|eur|gbp|hkd|jpy|元|圆|块|人民币|美元|港币|欧元|[¥$€£])$",
    re.IGNORECASE,
)
_PER_PERIOD = re.compile(r"\s*(?:/|每|per\s+)(?:年|月|year|yr|month|mo|annum)$|\s*p\.?a\.?$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?(?:e[+-]?\d{1,3})?$", re.IGNORECASE)
_AMOUNT_MAX = Decimal(10) ** 15  # far above any deal, far below the cents column's limit
_CENTS = Decimal("0.01")


def _number_text(s: str, text: str) -> str:
    """Normalise separators: "1,200.50", "1.200,50", "3 000", "1'200" → "1200.50"."""
    s = re.sub(r"(?<=\d)[\s'’_](?=\d{3}\b)", "", s)
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.200,50
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,200.50
            s = s.replace(",", "")
    elif "," in s:
        # 1,200 / 1,200,000 are thousands; 12,5 is a decimal comma.
        s = s.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", s) else s.replace(",", ".")
    elif s.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            raise ValueError(f"{text} is not an amount")
        s = s.replace(".", "")
    return s


def parse_amount(v: object) -> Decimal | None:
    """A non-negative amount, to the cent: ``50万元`` → 500000, ``1.2亿``, ``¥1,200.50``,
    ``$1,200``, ``RMB 3000``, ``1.5k``, ``2M``, ``3 000``, ``1.200,50``, numbers.

    Negative amounts and ranges ("15-20万", see :func:`parse_amount_range`) are refused.
    """
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError(f"{v} is not an amount")
    if isinstance(v, (int, float, Decimal)):
        if isinstance(v, float) and math.isnan(v):
            return None
        try:
            amount = Decimal(str(v))
        except InvalidOperation:
            raise ValueError(f"{v} is not an amount") from None
        return _check_amount(amount, clean_text(v) or str(v))
    s = _prepare(v)
    if s is None:
        return None
    text = clean_text(v) or s
    s = to_simplified(s).casefold()  # 萬 → 万, 億 → 亿
    negative = s.startswith(("-", "−")) or (s.startswith("(") and s.endswith(")"))
    s = s.strip("()").lstrip("-−+").strip()
    for _ in range(3):  # "RMB 3000元/年": strip signs and units from both ends
        stripped = _PER_PERIOD.sub("", _CURRENCY.sub("", s)).strip()
        if stripped == s:
            break
        s = stripped
    if s.startswith(("-", "−")):
        negative = True
        s = s.lstrip("-−").strip()
    multiplier = Decimal(1)
    m = re.fullmatch(r"(.*?\d)\s*(百万|千万|万|亿|千|thousand|million|billion|mio|mn|bn|[kwmb])", s)
    if m:
        s, multiplier = m[1], _MULTIPLIERS[m[2]]
    if re.fullmatch(r"[\d.,\s'’_]+[-~～至到][\d.,\s'’_]+", s):
        raise ValueError(f"{text} is a range, not one amount")
    s = _number_text(s.strip(), text)
    if not _NUMBER.fullmatch(s):
        raise ValueError(f"{text} is not an amount")
    try:
        amount = Decimal(s) * multiplier
    except InvalidOperation:
        raise ValueError(f"{text} is not an amount") from None
    if negative and amount != 0:
        raise ValueError(f"{text} is negative; amounts must be 0 or more")
    return _check_amount(amount, text)


def _check_amount(amount: Decimal, text: str) -> Decimal:
    if not amount.is_finite():
        raise ValueError(f"{text} is not an amount")
    if amount < 0:
        raise ValueError(f"{text} is negative; amounts must be 0 or more")
    if amount >= _AMOUNT_MAX:
        raise ValueError(f"{text} is too large for an amount")
    return amount.quantize(_CENTS)


def parse_amount_range(v: object) -> tuple[Decimal | None, Decimal | None]:
    """A budget cell as (min, max): ``15-20万`` → (150000, 200000), ``50万`` → (500000, 500000)."""
    s = _prepare(v)
    if s is None:
        return None, None
    text = clean_text(v) or s
    s = to_simplified(s)
    parts = re.split(r"\s*(?:[~～至到]|(?<=[\d万千亿kKmMwW元])\s*-\s*)\s*", s)
    if len(parts) == 1:
        one = parse_amount(s)
        return one, one
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise ValueError(f"{text} is not an amount or a range")
    low_text, high_text = parts
    # The unit written once applies to both ends: "15-20万".
    unit = re.search(r"(百万|千万|万元|万|亿元|亿|千|[kKmMwW])\s*(元)?\s*$", high_text)
    if unit and not re.search(r"[^\d.,\s]", low_text):
        low_text += unit[1]
    low, high = parse_amount(low_text), parse_amount(high_text)
    if low is not None and high is not None and low > high:
        raise ValueError(f"{text}: the lower end is above the upper end")
    return low, high


# ---------------------------------------------------------------------------
# Percent and small integers


def parse_percent(v: object) -> int | None:
    """A whole percentage 0–100: ``70%``, ``70``, ``0.7`` (values from 0 to 1 are fractions,
    as Excel stores 70% as 0.7 and 100% as 1; write ``1%`` for one percent)."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError(f"{v} is not a percentage")
    text = clean_text(v)
    if text is None:
        return None
    if isinstance(v, (int, float, Decimal)):
        try:
            n = Decimal(str(v))
        except InvalidOperation:
            raise ValueError(f"{text} is not a percentage") from None
        explicit = False
    else:
        s = _prepare(v) or ""
        explicit = s.endswith("%")
        s = s.rstrip("%").strip()
        if not re.fullmatch(r"\d{1,10}(?:[.,]\d{1,10})?", s):
            raise ValueError(f"{text} is not a percentage")
        n = Decimal(s.replace(",", "."))
    if not n.is_finite():
        raise ValueError(f"{text} is not a percentage")
    if not explicit and 0 <= n <= 1:
        n *= 100
    if n < 0 or n > 100:
        raise ValueError(f"{text} is not between 0 and 100%")
    return int(n.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_int(v: object, low: int, high: int, what: str = "number") -> int | None:
    """A whole number in [low, high]: ``8``, ``8分``, ``8.0``."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError(f"{v} is not a {what}")
    text = clean_text(v)
    if text is None:
        return None
    s = _prepare(v) or ""
    s = re.sub(r"\s*(分|points?|pts?)$", "", s, flags=re.IGNORECASE)
    if not re.fullmatch(r"\d{1,9}(?:\.0+)?", s):
        raise ValueError(f"{text} is not a whole {what}")
    n = int(s.split(".")[0])
    if not low <= n <= high:
        raise ValueError(f"{text} is not a {what} from {low} to {high}")
    return n


def parse_tier_scores(v: object) -> tuple[int | None, int | None]:
    """(potential, willingness) from a grading-basis cell such as ``采购潜力8分/合作意愿9分`` or ``8/9``."""
    s = _prepare(v)
    if s is None:
        return None, None
    text = clean_text(v) or s
    key = to_simplified(s)
    pot = re.search(r"(?:潜力|价值|potential)\D{0,4}?(\d{1,2})", key, re.IGNORECASE)
    wil = re.search(r"(?:意愿|意向|willingness|intent)\D{0,4}?(\d{1,2})", key, re.IGNORECASE)
    if pot and wil:
        pair = (pot[1], wil[1])
    elif m := re.fullmatch(r"(\d{1,2})\s*分?\s*[/+,，、]\s*(\d{1,2})\s*分?", key):
        pair = (m[1], m[2])
    else:
        raise ValueError(f"{text} does not give potential and willingness scores")
    return parse_int(pair[0], 1, 10, "score"), parse_int(pair[1], 1, 10, "score")


# ---------------------------------------------------------------------------
# Word lists -> SPEC values


def _lookup_word(
    v: object, table: dict[str, str], strip: tuple[str, ...] = ()
) -> tuple[str | None, str | None]:
    """(mapped value, key) — mapped is None when the word is unknown; key None when empty."""
    key = _key(v)
    if key is None:
        return None, None
    key = re.sub(r"^\d+\s*", "", key) or key  # "1 初步接洽" (numbered option lists)
    key = re.sub(r"[(（][^)）]*[)）]", "", key).strip() or key  # "A (战略客户)"
    candidates = [key, key.replace(" ", "")]
    for suffix in strip:
        for c in list(candidates):
            if c.endswith(suffix) and len(c) > len(suffix):
                candidates.append(c[: -len(suffix)].strip())
    for c in candidates:
        if c in table:
            return table[c], key
    return None, key


def _table(groups: dict[str, tuple[str, ...]], canonical: tuple[str, ...]) -> dict[str, str]:
    out = {_key(c) or c: c for c in canonical}
    for value, words in groups.items():
        for w in words:
            k = _key(w)
            assert k is not None
            out[k] = value
            out[k.replace(" ", "")] = value
    return out


_STATUS = _table(
    {
        "potential": (
            "潜在",
            "潜在客户",
            "新客户",
            "线索",
            "待跟进",
            "初步接触",
            "potential",
            "prospect",
            "lead",
            "new",
            "new lead",
            "open",
            "contacted",
            "working",
            "nurturing",
            "on hold",
            "re-engagement",
            "cold",
            "低意向",
        ),
        "intent": (
            "意向",
            "意向客户",
            "有意向",
            "高意向",
            "中意向",
            "跟进中",
            "谈判中",
            "intent",
            "interested",
            "qualified",
            "engaged",
            "engaging",
            "negotiation",
            "proposal",
            "proposal sent",
            "in progress",
            "warm",
            "hot",
        ),
        "won": (
            "成交",
            "已成交",
            "成交客户",
            "签约",
            "已签约",
            "合作",
            "合作中",
            "已合作",
            "老客户",
            "活跃",
            "休眠",
            "won",
            "customer",
            "closed won",
            "active",
            "client",
            "signed",
            "converted",
        ),
        "lost": (
            "流失",
            "已流失",
            "流失客户",
            "丢单",
            "输单",
            "失败",
            "无效",
            "lost",
            "churned",
            "closed lost",
            "disqualified",
            "unqualified",
            "dead",
            "cancelled",
            "canceled",
        ),
    },
    STATUSES,
)


def map_status(v: object) -> str | None:
    """潜在/意向/成交/流失 (any script) or English synonyms → potential/intent/won/lost."""
    value, key = _lookup_word(v, _STATUS, strip=("客户", "状态"))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a status; use potential, intent, won or lost (潜在/意向/成交/流失)"
        )
    return value


_STAGE = _table(
    {
        "lead": (
            "线索",
            "线索获取",
            "线索筛选",
            "初步接触",
            "初步接洽",
            "新建",
            "lead",
            "lead in",
            "new",
            "new lead",
            "prospecting",
            "prospect",
            "contact made",
            "contacted",
        ),
        "need": (
            "需求确认",
            "需求",
            "需求确定",
            "需求挖掘",
            "需求调研",
            "需求分析",
            "需求沟通",
            "qualification",
            "qualified",
            "needs analysis",
            "discovery",
            "engaging",
            "in progress",
            "value proposition",
            "id decision makers",
            "perception analysis",
            "demo scheduled",
        ),
        "proposal": (
            "方案",
            "方案提供",
            "方案呈现",
            "方案制定",
            "方案报价",
            "方案/报价",
            "报价",
            "proposal",
            "quote",
            "proposal/quote",
            "proposal/price quote",
            "proposal sent",
            "proposal made",
            "quotation",
        ),
        "negotiation": (
            "谈判",
            "商务谈判",
            "谈判审核",
            "合同谈判",
            "合同签署",
            "合同签约",
            "negotiation",
            "negotiation/review",
            "negotiations started",
            "contract",
            "contract sent",
        ),
        "won": (
            "成交",
            "已成交",
            "赢单",
            "成交签约",
            "签约",
            "已签约",
            "售后",
            "售后维护",
            "售后跟进",
            "won",
            "closed won",
            "closed/won",
            "win",
        ),
        "lost": ("流失", "已流失", "输单", "丢单", "失败", "lost", "closed lost", "closed/lost", "loss"),
    },
    STAGES,
)


def map_stage(v: object) -> str | None:
    """线索/需求确认/方案/谈判/成交/流失 (any script), Salesforce, Pipedrive and Maven stage names."""
    value, key = _lookup_word(v, _STAGE, strip=("阶段",))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a stage; use lead, need, proposal, negotiation, won or lost "
            "(线索/需求确认/方案/谈判/成交/流失)"
        )
    return value


_CHANNEL = _table(
    {
        "phone": (
            "电话",
            "电话沟通",
            "打电话",
            "通话",
            "致电",
            "来电",
            "去电",
            "call",
            "phone",
            "phone call",
            "telephone",
            "tel",
            "call out",
            "cold call",
        ),
        "video": (
            "线上会议",
            "视频",
            "视频会议",
            "视频通话",
            "腾讯会议",
            "网络会议",
            "video",
            "video call",
            "online meeting",
            "web meeting",
            "zoom",
            "teams",
            "webex",
            "google meet",
        ),
        "email": ("邮件", "电子邮件", "邮箱", "email", "e-mail", "mail"),
        "visit": (
            "拜访",
            "上门",
            "上门拜访",
            "实地拜访",
            "走访",
            "来访",
            "visit",
            "site visit",
            "on-site",
            "onsite",
        ),
        "meeting": (
            "会议",
            "面谈",
            "会面",
            "见面",
            "面对面",
            "当面",
            "meeting",
            "in person",
            "face to face",
            "f2f",
        ),
        "im": (
            "微信",
            "企业微信",
            "qq",
            "钉钉",
            "短信",
            "im",
            "chat",
            "wechat",
            "whatsapp",
            "slack",
            "sms",
            "text",
            "message",
            "linkedin message",
        ),
        "demo": ("演示", "产品演示", "线上演示", "demo", "demonstration", "product demo"),
        "other": ("其他", "其它", "other", "prep"),
    },
    CHANNELS,
)
# Substrings tried in order when the whole word is unknown ("周三电话回访").
_CHANNEL_HINTS = (
    ("演示", "demo"),
    ("demo", "demo"),
    ("视频", "video"),
    ("线上", "video"),
    ("在线", "video"),
    ("video", "video"),
    ("zoom", "video"),
    ("电话", "phone"),
    ("call", "phone"),
    ("phone", "phone"),
    ("邮件", "email"),
    ("mail", "email"),
    ("拜访", "visit"),
    ("上门", "visit"),
    ("visit", "visit"),
    ("会议", "meeting"),
    ("面谈", "meeting"),
    ("meeting", "meeting"),
    ("微信", "im"),
    ("wechat", "im"),
    ("chat", "im"),
)


def map_channel(v: object) -> str | None:
    """电话→phone, 线上会议/视频→video, 邮件→email, 拜访/上门→visit, 会议/面谈→meeting,
    微信/IM→im, 演示→demo; anything else → other (never an error: it is free text in the sheets)."""
    value, key = _lookup_word(v, _CHANNEL, strip=("沟通", "跟进", "联系"))
    if key is None:
        return None
    if value is not None:
        return value
    for hint, channel in _CHANNEL_HINTS:
        if hint in key:
            return channel
    return "other"


_ATTITUDE = _table(
    {
        "positive": (
            "积极",
            "正面",
            "好",
            "良好",
            "满意",
            "感兴趣",
            "有兴趣",
            "热情",
            "乐观",
            "认可",
            "positive",
            "good",
            "interested",
            "warm",
            "hot",
            "happy",
        ),
        "neutral": (
            "中性",
            "中立",
            "一般",
            "观望",
            "犹豫",
            "平淡",
            "待定",
            "neutral",
            "ok",
            "okay",
            "so-so",
            "undecided",
            "lukewarm",
            "mixed",
        ),
        "negative": (
            "消极",
            "负面",
            "差",
            "不满",
            "不满意",
            "拒绝",
            "冷淡",
            "抵触",
            "不感兴趣",
            "反对",
            "negative",
            "bad",
            "cold",
            "not interested",
            "rejected",
            "unhappy",
        ),
    },
    ATTITUDES,
)


def map_attitude(v: object) -> str | None:
    """积极/中性/消极 and synonyms → positive/neutral/negative."""
    value, key = _lookup_word(v, _ATTITUDE, strip=("态度",))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not an attitude; use positive, neutral or negative (积极/中性/消极)"
        )
    return value


_KIND = _table(
    {
        "B2B": (
            "b2b",
            "企业",
            "企业客户",
            "公司",
            "公司客户",
            "对公",
            "机构",
            "business",
            "company",
            "corporate",
            "organisation",
            "organization",
            "to b",
            "tob",
        ),
        "B2C": (
            "b2c",
            "个人",
            "个人客户",
            "消费者",
            "散客",
            "零售客户",
            "consumer",
            "individual",
            "person",
            "private",
            "to c",
            "toc",
        ),
    },
    KINDS,
)


def map_kind(v: object) -> str | None:
    """B2B/B2C, 企业→B2B, 个人→B2C."""
    value, key = _lookup_word(v, _KIND)
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not a customer kind; use B2B or B2C (企业/个人)")
    return value


_TIER = _table(
    {
        "A": ("a类", "a级", "a等", "战略客户", "重点客户", "hot"),
        "B": ("b类", "b级", "b等", "重要客户", "warm"),
        "C": ("c类", "c级", "c等", "普通客户", "一般客户", "cold"),
        "D": ("d类", "d级", "d等", "潜在客户", "未评估"),
    },
    TIERS,
)


def map_tier(v: object) -> str | None:
    """A/B/C/D, A类, A级, A级客户, "A (战略客户)"; Salesforce ratings Hot/Warm/Cold → A/B/C."""
    value, key = _lookup_word(v, _TIER, strip=("客户",))
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not a tier; use A, B, C or D")
    return value


_ROLE = _table(
    {
        "decision-maker": (
            "决策者",
            "决策人",
            "关键决策人",
            "拍板人",
            "decision maker",
            "decision-maker",
            "dm",
            "kdm",
            "economic buyer",
            "approver",
        ),
        "influencer": ("影响者", "影响人", "influencer", "ki", "champion"),
        "user": ("使用者", "用户", "使用人", "最终用户", "user", "end user", "ku"),
        "technical-evaluator": (
            "技术评估者",
            "技术评估",
            "技术评估人",
            "技术把关",
            "technical evaluator",
            "tech evaluator",
            "evaluator",
            "technical",
        ),
        "other": ("其他", "其它", "other"),
    },
    CONTACT_ROLES,
)


def map_role(v: object) -> str | None:
    """决策者/影响者/使用者/技术评估者 and synonyms → decision-maker/influencer/user/technical-evaluator/other."""
    value, key = _lookup_word(v, _ROLE)
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a contact role; use decision-maker, influencer, user, "
            "technical-evaluator or other (决策者/影响者/使用者/技术评估者/其他)"
        )
    return value


_RELATIONSHIP = _table(
    {
        "stranger": ("陌生", "陌生人", "stranger", "unknown", "new"),
        "acquaintance": ("认识", "初识", "acquaintance", "known"),
        "familiar": ("熟悉", "熟人", "familiar", "friendly"),
        "trusted": ("信任", "trusted", "trust"),
        "partner": ("伙伴", "合作伙伴", "partner", "ally"),
    },
    RELATIONSHIPS,
)


def map_relationship(v: object) -> str | None:
    """陌生/认识/熟悉/信任/伙伴 → stranger/acquaintance/familiar/trusted/partner."""
    value, key = _lookup_word(v, _RELATIONSHIP, strip=("关系",))
    if key is None:
        return None
    if value is None:
        raise ValueError(
            f"{clean_text(v)} is not a relationship level; use stranger, acquaintance, familiar, trusted "
            "or partner (陌生/认识/熟悉/信任/伙伴)"
        )
    return value


_PREFERS = _table(
    {
        "phone": ("电话", "call", "phone", "telephone"),
        "email": ("邮件", "电子邮件", "email", "e-mail", "mail"),
        "meeting": ("面谈", "会面", "见面", "会议", "meeting", "in person", "face to face"),
        "im": ("微信", "qq", "钉钉", "短信", "im", "chat", "wechat", "sms", "whatsapp", "slack"),
    },
    PREFERS,
)


def map_prefers(v: object) -> str | None:
    """电话/邮件/面谈/微信 → phone/email/meeting/im."""
    value, key = _lookup_word(v, _PREFERS)
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not a contact preference; use phone, email, meeting or im")
    return value


# ---------------------------------------------------------------------------
# Phones


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|转|分机|#)\s*\d+\s*$", re.IGNORECASE)


def parse_phone_digits(v: object) -> str:
    """The digits of a phone number, with a leading ``+`` kept: ``+86 138-0013-8001`` → ``+8613800138001``.

    For duplicate detection and search. An extension (``x4606``, ``转123``) is
    dropped. Empty → ``""``; text without digits or a masked number
    (``139****5678``) → ValueError.
    """
    s = clean_text(v)
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", s)
    if re.search(r"[*•●]", s):
        raise ValueError(f"{s} is a masked phone number")
    main = _EXTENSION.sub("", s)
    digits = re.sub(r"\D", "", main)
    if not digits:
        raise ValueError(f"{s} is not a phone number")
    return ("+" if main.lstrip().startswith("+") else "") + digits


# ---------------------------------------------------------------------------
# Bytes -> text


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode an uploaded CSV: (text, encoding name).

    Order: a BOM (UTF-8, UTF-16) decides; then strict UTF-8; then GB18030 (a
    superset of GBK/GB2312, what Chinese Excel writes) or cp1252 (what Western
    Excel and Outlook write), whichever reads as more plausible text: CJK
    ideographs from the common GB2312 set for GB18030, accented letters inside
    words for cp1252. Binary data (NUL bytes, control characters, zip/xlsx, PDF,
    old .xls) is refused.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        _refuse_binary(data[3:])
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ValueError(f"the file is marked UTF-8 but byte {exc.start + 3} is not UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ValueError("the file does not look like a text file (broken UTF-16)") from None
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for encoding, scorer in (("gb18030", _score_cjk), ("cp1252", _score_latin)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((scorer(text), encoding, text))
    if not candidates:
        # Not valid in either: Latin-1 reads every byte, so at least nothing is lost.
        return data.decode("latin-1"), "latin-1"
    candidates.sort(key=lambda c: c[0], reverse=True)
    _score, encoding, text = candidates[0]
    return text, encoding


def _refuse_binary(data: bytes) -> None:
    for magic, what in (
        (b"PK\x03\x04", "a zip archive (an .xlsx workbook?)"),
        (b"%PDF", "a PDF"),
        (b"\xd0\xcf\x11\xe0", "an old Office file (.xls)"),
    ):
        if data.startswith(magic):
            raise ValueError(f"the file is {what}; it does not look like a text file")
    sample = data[:65536]
    if b"\x00" in sample:
        raise ValueError("the file contains NUL bytes; it does not look like a text file")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls / len(sample) > 0.01:
        raise ValueError("the file is full of control characters; it does not look like a text file")


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _score_cjk(text: str) -> float:
    """Per non-ASCII character: +1 common hanzi/CJK punctuation, +0.5 other CJK, −1 anything else."""
    score = 0.0
    for ch in text:
        if ch < "\x80":
            continue
        if _in_gb2312(ch):
            score += 1
        elif "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef":
            score += 0.5
        else:
            score -= 1
    return score


def _score_latin(text: str) -> float:
    """Per run of non-ASCII characters: +2 a lone letter (an accent inside a word: "geschäftlich"),
    +1 a pair of lower-case letters ("Größe"), +1 a lone common sign (€, –, ’), else −1 per character
    (GBK read as cp1252 gives long runs like "¿Í»§Ãû³Æ")."""
    score = 0.0
    for run in re.findall(r"[^\x00-\x7f]+", text):
        if len(run) == 1 and run.isalpha():
            score += 2
        elif len(run) == 2 and run.isalpha() and run.islower():
            score += 1
        elif len(run) == 1 and run in "€£§°–—‘’“”…·":
            score += 1
        else:
            score -= len(run)
    return score
