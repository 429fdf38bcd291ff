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
