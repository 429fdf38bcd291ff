"""The keys duplicates are found by: names, phones and e-mails that compare equal when they mean
the same party, our customer codes, and value equality for merging."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tuicrm.io.headers.text import to_simplified
from tuicrm.io.importing.cells import naive_utc

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

# The keys of the names and phones met lately: a row's name is keyed several times while it is
# planned, and a child sheet names the same customers row after row. Not every name of a large
# file: 100 000 cached keys held 25 MB to the end of the import, for a few more hits.
KEY_CACHE = 8192


@lru_cache(maxsize=KEY_CACHE)
def name_key(name: str | None) -> str:
    """Names that differ only in case, width, spacing, punctuation or script compare equal."""
    if not name:
        return ""
    s = to_simplified(unicodedata.normalize("NFKC", name)).casefold()
    key = _NON_WORD.sub("", s)
    return key or s.strip()


_PHONE_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|转|分机|#)\s*\d+\s*$", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D+")


@lru_cache(maxsize=KEY_CACHE)
def phone_key(phone: str | None) -> str | None:
    """The last 10 digits of a phone number (so +86 138… and 138… match), extension dropped;
    None if too short or masked (138****5678)."""
    if not phone or "*" in phone or "•" in phone or "●" in phone:
        return None
    if phone.isdigit() and phone.isascii():
        return phone[-10:] if len(phone) >= 7 else None
    if not phone.isascii():
        phone = unicodedata.normalize("NFKC", phone)
    digits = _NOT_DIGIT.sub("", _PHONE_EXTENSION.sub("", phone))
    return digits[-10:] if len(digits) >= 7 else None


_MASK = re.compile(r"[*•●×xX]{3,}")


def is_masked(phone: str | None) -> bool:
    """A phone an export or a privacy filter masked (``155****8818``): never a phone to store."""
    if not phone:
        return False
    return "*" in phone or "•" in phone or "●" in phone or bool(_MASK.search(phone))


def names_compatible(a: str | None, b: str | None) -> bool:
    """Could these two names mean the same party? Equal, one inside the other, or a shared
    start of 4+ characters ("Acme Ltd" / "ACME Limited"). A phone or e-mail match between two
    incompatible names is a shared switchboard or household, not a duplicate."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb or ka == kb or ka in kb or kb in ka:
        return True
    n = 0
    for x, y in zip(ka, kb, strict=False):
        if x != y:
            break
        n += 1
    return n >= min(4, len(ka), len(kb))


def email_key(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    key = email.strip().casefold()
    return email if key == email else key  # the value itself when it is its key: no copy per customer


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OUR_CODE = re.compile(r"^[Cc](\d{6,9})$")
MACHINE_ID = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{15,18}$")  # Salesforce-style record ids


def same(field_name: str, a: Any, b: Any) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    if field_name in ("phone", "mobile"):
        ka, kb = phone_key(str(a)), phone_key(str(b))
        return ka is not None and ka == kb
    if field_name == "email":
        return str(a).casefold() == str(b).casefold()
    if field_name == "name":
        return name_key(str(a)) == name_key(str(b))
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(a) == Decimal(b)
        except Exception:
            return False
    if isinstance(a, datetime) or isinstance(b, datetime):
        return naive_utc(a) == naive_utc(b)
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return False


def text_contains(existing: str | None, addition: str) -> bool:
    if not existing:
        return False
    return " ".join(addition.split()) in " ".join(existing.split())
