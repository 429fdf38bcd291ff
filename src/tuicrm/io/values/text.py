"""Cell text: cleaned, loose comparison keys for word lists, and phone digits."""

from __future__ import annotations

import math
import re
import unicodedata

from tuicrm.io.headers.text import to_simplified

SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


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


def word_key(v: object) -> str | None:
    """A loose comparison key for word lists: NFKC, simplified, case-folded, single-spaced."""
    s = clean_text(v)
    if s is None:
        return None
    s = to_simplified(unicodedata.normalize("NFKC", s)).casefold()
    s = re.sub(r"[\s_\-–—.·:：,，;；/]+", " ", s).strip()
    return s or None


def prepare(v: object) -> str | None:
    s = clean_text(v)
    if s is None:
        return None
    return SPACES.sub(" ", unicodedata.normalize("NFKC", s)).strip()


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
