"""Masking and sanitising user text (SPEC §10). Pure functions."""

from __future__ import annotations

import re

# C0 controls except tab/newline, DEL, C1 controls, and bidi overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
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


def mask_phone(phone: str | None) -> str:
    """``13812345678`` → ``138****5678``; other lengths keep only the last 4 digits."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def phone_digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")
