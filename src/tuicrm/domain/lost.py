"""A lost deal's reason (issue #21): a category the reports count by, and the details apart.

A rep may type both in one go ("price: chose Huawei"); the category is what comes before the
first colon (ASCII or full-width) when that is short, the details what follows. A configured
reason is matched case- and space-insensitively, or by its Chinese word, and stored as
configured, so "Price" and "价格" count with "price". Migration 0011 keeps its own copy of the
split (migrations never import app code that may change).
"""

from __future__ import annotations

from collections.abc import Sequence

from tuicrm.config import LOST_REASON_LABELS_ZH

# A category is a short word or two; a longer text before a colon is a sentence, left whole.
CATEGORY_MAX = 40
COLONS = (":", "：")
# How a card, a detail line and the CLI show a reason with details: "price — chose Huawei".
SHOWN_SEPARATOR = " — "


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def canonical_reason(category: str, known: Sequence[str] = ()) -> str:
    """The configured spelling of ``category`` (any case, or its Chinese word), else as typed."""
    key = _squash(category).lower()
    for reason in known:
        if key in (_squash(reason).lower(), LOST_REASON_LABELS_ZH.get(reason, "\0")):
            return reason
    return _squash(category)


def split_lost_reason(
    reason: str | None, detail: str | None = None, known: Sequence[str] = ()
) -> tuple[str | None, str | None]:
    """(category, details) of what the rep typed: ``"price: chose Huawei"`` → ``("price", "chose
    Huawei")``. Details given apart come after any split off the reason. Blank parts are None."""
    text = (reason or "").strip()
    category, found = text, ""
    for mark in COLONS:
        head, sep, tail = text.partition(mark)
        if sep and head.strip() and len(head.strip()) <= CATEGORY_MAX:
            category, found = head, tail
            break
    details = "; ".join(part.strip() for part in (found, detail or "") if part.strip())
    return (canonical_reason(category, known) or None), (details or None)


def lost_reason_text(reason: str | None, detail: str | None) -> str:
    """A lost deal's reason as a line shows it: "price — chose Huawei", "price", or ""."""
    parts = [p.strip() for p in (reason or "", detail or "") if p and p.strip()]
    return SHOWN_SEPARATOR.join(parts)
