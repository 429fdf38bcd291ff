"""Amounts (currencies, 万/k/m multipliers, ranges), percentages, whole numbers, tier scores."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tuicrm.io.headers.text import to_simplified
from tuicrm.io.values.text import clean_text, prepare

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
# The currency a sign or word names (casefolded, simplified). ¥ is the yuan here: a Chinese CRM.
_CURRENCY_CODES = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "美元": "USD",
    "hk$": "HKD",
    "hkd": "HKD",
    "港币": "HKD",
    "€": "EUR",
    "eur": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "jpy": "JPY",
    "日元": "JPY",
    "₩": "KRW",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "圆": "CNY",
    "块": "CNY",
}
_CURRENCY_WORD = re.compile(
    r"^(us\$|hk\$|rmb|cny|usd|eur|gbp|hkd|jpy|人民币|美元|港币|欧元|日元|[¥$€£₩])|"
    r"(rmb|cny|usd|eur|gbp|hkd|jpy|人民币|美元|港币|欧元|日元|元|圆|块|[¥$€£])(?:\s*(?:/|每|per\s).*)?$"
)
# ISO 4217 codes a currency column may hold as they are (the common ones; others are reported).
ISO_CURRENCIES = frozenset(
    "CNY USD EUR GBP HKD JPY KRW TWD MOP SGD AUD CAD CHF SEK NOK DKK NZD INR RUB BRL MXN ZAR THB "
    "MYR IDR PHP VND AED SAR TRY PLN CZK HUF ILS".split()
)
# One separator followed by exactly three digits: "1.500", "12,000" read either way.
_AMBIGUOUS = re.compile(r"\d{1,3}[.,]\d{3}")


def currency_of(text: str) -> str | None:
    """The ISO code a cell's sign or word names (``US$ 1,200`` → USD, ``50万元`` → CNY), or None."""
    s = text.strip().strip("()").lstrip("-−+").strip().casefold()
    m = _CURRENCY_WORD.search(s)
    if m is None:
        return None
    return _CURRENCY_CODES[(m[1] or m[2])]


def decimal_evidence(v: object) -> str | None:
    """What one cell says about its column's decimal mark: "." (``1,200.50``, ``12.5``,
    ``1,200,000``, ``1,500``), "," (``1.200,50``, ``12,5``, ``1.200.000``), "?" (``1.500``: either)
    or None (a number cell, a whole number: nothing)."""
    if not isinstance(v, str):
        return None
    m = re.search(r"\d[\d.,]*\d", v)
    if m is None:
        return None
    s = m.group()
    if "," in s and "." in s:
        return "," if s.rfind(",") > s.rfind(".") else "."
    for mark, other in ((".", ","), (",", ".")):
        if mark in s:
            if s.count(mark) > 1:
                return other  # 1.200.000: the dots group thousands
            if _AMBIGUOUS.fullmatch(s):
                # 1.500 reads either way; 1,500 is a thousands comma (three decimals are rare).
                return "?" if mark == "." else "."
            return mark
    return None


def decimal_mark(cells: Iterable[object]) -> str | None:
    """A column's decimal mark from its cells: "." or ",", "" when no cell needs one, None when
    some cells read either way and none tells (the column is ambiguous)."""
    seen = {".": 0, ",": 0, "?": 0}
    for cell in cells:
        e = decimal_evidence(cell)
        if e is not None:
            seen[e] += 1
    if seen["."] or seen[","]:
        return "." if seen["."] >= seen[","] else ","
    return None if seen["?"] else ""


# Header words of languages that write a decimal comma (de, fr, es, it, nl, pt, ru, pl, tr…);
# headers in Chinese mean a decimal point. English headers are used everywhere: they tell nothing.
_COMMA_WORDS = re.compile(
    r"betrag|summe|umsatz|wert|preis|währung|kunde|firma|beschreibung|bemerkung|straße|montant|prix|chiffre|importe|valor|precio|moneda|"
    r"importo|prezzo|valore|bedrag|waarde|prijs|kwota|wartość|cena|сумма|стоимость|цена|tutar|fiyat",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def decimal_from_headers(headers: Iterable[str]) -> str:
    """The decimal mark the header row's language implies: "," or ".", or "" when it does not tell."""
    text = " ".join(h for h in headers if h)
    if _COMMA_WORDS.search(text):
        return ","
    return "." if _CJK.search(text) else ""


_PER_PERIOD = re.compile(r"\s*(?:/|每|per\s+)(?:年|月|year|yr|month|mo|annum)$|\s*p\.?a\.?$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?(?:e[+-]?\d{1,3})?$", re.IGNORECASE)
_AMOUNT_MAX = Decimal(10) ** 15  # far above any deal, far below the cents column's limit
_CENTS = Decimal("0.01")


class AmbiguousAmount(ValueError):
    """``1.500`` in a column that never shows its decimal mark: 1500 or 1.5? Not guessed."""


def _number_text(s: str, text: str, decimal: str | None = "") -> str:
    """Normalise separators: "1,200.50", "1.200,50", "3 000", "1'200" → "1200.50".

    ``decimal`` is the column's decimal mark ("." or ","); "" guesses from the value alone;
    None (the column stays ambiguous) refuses a value that reads either way."""
    s = re.sub(r"(?<=\d)[\s'’_](?=\d{3}\b)", "", s)
    if decimal:
        thousands = "." if decimal == "," else ","
        return s.replace(thousands, "").replace(decimal, ".")
    if decimal is None and _AMBIGUOUS.fullmatch(s) and "." in s:
        whole, fraction = s[:-4] + s[-3:], Decimal(s.replace(",", ".")).normalize()
        raise AmbiguousAmount(
            f"{text} could be {whole} or {fraction} (the column never shows its decimal mark)"
        )
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


def parse_amount(v: object, decimal: str | None = "") -> Decimal | None:
    """A non-negative amount, to the cent: ``50万元`` → 500000, ``1.2亿``, ``¥1,200.50``,
    ``$1,200``, ``RMB 3000``, ``1.5k``, ``2M``, ``3 000``, ``1.200,50``, numbers.

    Negative amounts and ranges ("15-20万", see :func:`parse_amount_range`) are refused.
    ``decimal``: the column's decimal mark, see :func:`decimal_mark`.
    """
    return parse_money(v, decimal)[0]


def parse_money(v: object, decimal: str | None = "") -> tuple[Decimal | None, str | None]:
    """(amount, ISO currency code or None) of a cell: ``$1,200`` → (1200, "USD"),
    ``€ 8.900,50`` → (8900.50, "EUR"), ``50万元`` → (500000, "CNY"), ``3000`` → (3000, None)."""
    if v is None:
        return None, None
    if isinstance(v, bool):
        raise ValueError(f"{v} is not an amount")
    if isinstance(v, (int, float, Decimal)):
        if isinstance(v, float) and math.isnan(v):
            return None, None
        try:
            amount = Decimal(str(v))
        except InvalidOperation:
            raise ValueError(f"{v} is not an amount") from None
        return _check_amount(amount, clean_text(v) or str(v)), None
    s = prepare(v)
    if s is None:
        return None, None
    text = clean_text(v) or s
    s = to_simplified(s).casefold()  # 萬 → 万, 億 → 亿
    currency = currency_of(s)
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
    s = _number_text(s.strip(), text, decimal)
    if not _NUMBER.fullmatch(s):
        raise ValueError(f"{text} is not an amount")
    try:
        amount = Decimal(s) * multiplier
    except InvalidOperation:
        raise ValueError(f"{text} is not an amount") from None
    if negative and amount != 0:
        raise ValueError(f"{text} is negative; amounts must be 0 or more")
    return _check_amount(amount, text), currency


def _check_amount(amount: Decimal, text: str) -> Decimal:
    if not amount.is_finite():
        raise ValueError(f"{text} is not an amount")
    if amount < 0:
        raise ValueError(f"{text} is negative; amounts must be 0 or more")
    if amount >= _AMOUNT_MAX:
        raise ValueError(f"{text} is too large for an amount")
    return amount.quantize(_CENTS)


def parse_amount_range(v: object, decimal: str | None = "") -> tuple[Decimal | None, Decimal | None]:
    """A budget cell as (min, max): ``15-20万`` → (150000, 200000), ``50万`` → (500000, 500000)."""
    s = prepare(v)
    if s is None:
        return None, None
    text = clean_text(v) or s
    s = to_simplified(s)
    parts = re.split(r"\s*(?:[~～至到]|(?<=[\d万千亿kKmMwW元])\s*-\s*)\s*", s)
    if len(parts) == 1:
        one = parse_amount(s, decimal)
        return one, one
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise ValueError(f"{text} is not an amount or a range")
    low_text, high_text = parts
    # The unit written once applies to both ends: "15-20万".
    unit = re.search(r"(百万|千万|万元|万|亿元|亿|千|[kKmMwW])\s*(元)?\s*$", high_text)
    if unit and not re.search(r"[^\d.,\s]", low_text):
        low_text += unit[1]
    low, high = parse_amount(low_text, decimal), parse_amount(high_text, decimal)
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
        s = prepare(v) or ""
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
    s = prepare(v) or ""
    s = re.sub(r"\s*(分|points?|pts?)$", "", s, flags=re.IGNORECASE)
    if not re.fullmatch(r"\d{1,9}(?:\.0+)?", s):
        raise ValueError(f"{text} is not a whole {what}")
    n = int(s.split(".")[0])
    if not low <= n <= high:
        raise ValueError(f"{text} is not a {what} from {low} to {high}")
    return n


def parse_tier_scores(v: object) -> tuple[int | None, int | None]:
    """(potential, willingness) from a grading-basis cell such as ``采购潜力8分/合作意愿9分`` or ``8/9``."""
    s = prepare(v)
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
