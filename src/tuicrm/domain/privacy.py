"""Masking and sanitising user text (SPEC §10). Pure functions."""

from __future__ import annotations

import re

# C0 controls except tab/newline, DEL, C1 controls, bidi overrides/isolates/marks, and lone
# surrogates (they cannot be stored as UTF-8 nor printed; they arrive from badly decoded files).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def sanitize(text: str | None) -> str | None:
    """Remove terminal escape sequences and control characters; keep newlines and tabs."""
    if text is None:
        return None
    text = _ESCAPE_SEQUENCE.sub("", str(text))
    return _CONTROL.sub("", text)


def sanitize_line(text: str | None) -> str:
    """Sanitised and on one line (for table cells)."""
    clean = sanitize(text) or ""
    return " ".join(clean.split()) if ("\n" in clean or "\t" in clean) else clean


def json_escape_controls(encoded: str) -> str:
    r"""Escape what ``json.dumps(..., ensure_ascii=False)`` leaves raw but a terminal may act on.

    ``json.dumps`` escapes C0 controls but not DEL, C1 controls (``\x9b`` is CSI), bidi
    overrides or lone surrogates. They can only occur inside JSON strings, where ``\uXXXX`` is the
    same value: the data round-trips unchanged and the terminal sees plain ASCII.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def mask_phone(phone: str | None) -> str:
    """``13812345678`` → ``138****5678``; other lengths keep only the last 4 digits.

    A mainland mobile with its country code (``+86 138 1234 5678``) reads ``+86 138****5678``.
    """
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) == 13 and digits.startswith("861"):
        return f"+86 {digits[2:5]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


_PHONE_RUN = re.compile(r"\+?\d[\d \-().]{5,}\d")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}")


def _redact_run(match: re.Match[str]) -> str:
    run: str = match.group()
    if len(phone_digits(run)) < 7 or _DATE.fullmatch(run.strip()):
        return run
    return mask_phone(run)


def redact(text: str | None) -> str:
    """Mask phone-like numbers (7+ digits) in a message that echoes what someone typed.

    For error and log lines such as ``No customer matches '13812345678'.``: the rep may type a
    phone number where a name was expected, and the message must not show it in full. Dates
    (``2026-11-22``) are left alone.
    """
    return _PHONE_RUN.sub(_redact_run, "" if text is None else str(text))


_NOT_DIGITS = re.compile(r"\D+")


def phone_digits(phone: str | None) -> str:
    return _NOT_DIGITS.sub("", phone) if phone else ""


# ---------------------------------------------------------------------------
# Numbers that are never stored (issue #15): resident ID cards and bank cards.

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# A run of digits (spaces or dashes between groups allowed), an ID card's final X included.
_NUMBER_RUN = re.compile(r"(?<![\dA-Za-z])\d(?:[ -]?\d){14,18}(?:[ -]?[Xx])?(?![\dA-Za-z])")


def _valid_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return False
    days = (
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    )
    return 1 <= day <= days[month - 1]


def is_id_card(text: str) -> bool:
    """A mainland resident ID number: 18 characters with a valid birth date and check digit
    (GB 11643), or the old 15-digit form (birth date YYMMDD)."""
    s = text.replace(" ", "").replace("-", "").upper()
    if len(s) == 18 and s[:17].isdigit() and (s[17].isdigit() or s[17] == "X"):
        if not _valid_date(s[6:14]) or s[0] == "0":
            return False
        total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == s[17]
    if len(s) == 15 and s.isdigit():
        return s[0] != "0" and _valid_date("19" + s[6:12])
    return False


def is_bank_card(text: str) -> bool:
    """A payment card number: 16 to 19 digits passing the Luhn check (not all one digit)."""
    s = text.replace(" ", "").replace("-", "")
    if not (16 <= len(s) <= 19 and s.isdigit()) or len(set(s)) == 1:
        return False
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask_number(digits: str) -> str:
    """``110101199003071234`` → ``1101**********1234``: the first and last four kept."""
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _mask_run(match: re.Match[str]) -> str:
    run = match.group()
    if is_id_card(run) or is_bank_card(run):
        return mask_number(run.replace(" ", "").replace("-", "").upper())
    return run


def mask_sensitive(text: str) -> str:
    """Every ID-card or bank-card number inside ``text`` masked; other text unchanged."""
    if sum(1 for _ in zip(range(15), filter(str.isdigit, text), strict=False)) < 15:
        return text  # fewer than 15 digits: nothing to find (the common case, no regex)
    return _NUMBER_RUN.sub(_mask_run, text)


def has_sensitive(text: str) -> bool:
    return mask_sensitive(text) != text


# Column headers that name such numbers: the importer skips these columns whole.
SENSITIVE_HEADERS = (
    "身份证号",
    "身份证号码",
    "身份证",
    "证件号码",
    "证件号",
    "银行账号",
    "银行卡号",
    "银行卡",
    "开户账号",
    "银行帐号",
    "idcard",
    "idcardnumber",
    "idnumber",
    "nationalid",
    "bankaccount",
    "bankaccountnumber",
    "bankcard",
    "cardnumber",
    "iban",
)
_HEADER_NOISE = re.compile(r"[\s_\-.:：()（）/#*]+")


def is_sensitive_header(header: str | None) -> bool:
    """A column named for ID-card or bank numbers (``身份证号``, ``ID card``, ``Bank account``)."""
    if not header:
        return False
    key = _HEADER_NOISE.sub("", header).casefold()
    return key in SENSITIVE_HEADERS
