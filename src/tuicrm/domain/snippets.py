"""Where a search matched and a short snippet around it (``find --all``, the TUI's search in notes).

Pure: the hits come from ``tuicrm.query.search_all``; these say them in the rep's words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tuicrm.domain.privacy import sanitize_line
from tuicrm.i18n import _

# Characters of context on each side of the matched text in a snippet.
SNIPPET_CONTEXT = 20

# Where a hit was found (the ``kind`` of a hit; the JSON's ``matched.kind``).
NAME, NOTES, FOLLOW_UP, OPPORTUNITY = "name", "notes", "follow-up", "opportunity"


def snippet(text: str | None, needle: str, context: int = SNIPPET_CONTEXT) -> str:
    """The part of ``text`` around the first (case-insensitive) ``needle``, on one line, with
    ``…`` where it was cut: ``snippet("We sent the quote on Monday", "quote", 8)`` is
    ``"…ent the quote on Mond…"``. All of a short text; its start when ``needle`` is absent."""
    line = sanitize_line(text)
    needle = needle.strip()
    lower = line.lower()
    # lower() keeps offsets unless it changes the length (a rare letter like İ): then the start
    at = lower.find(needle.lower()) if needle and len(lower) == len(line) else -1
    if at < 0:
        at, needle = 0, ""
    start = max(0, at - context)
    end = min(len(line), at + len(needle) + context * (1 if needle else 2))
    if start > 0 and line[start - 1] != " " and " " in line[start:at]:
        start = line.index(" ", start, at) + 1  # begin at a word, not inside one
    if end < len(line) and line[end] != " " and " " in line[at + len(needle) : end]:
        end = line.rindex(" ", at + len(needle), end)
    return ("…" if start > 0 else "") + line[start:end] + ("…" if end < len(line) else "")


def name_match(
    needle: str, name: str, alias: str | None, code: str, phone: str | None, email: str | None
) -> str:
    """Which of a customer's own fields a name hit matched, in the rep's words (``name``,
    ``code``, ``phone``, ``email``); ``contact`` when none of them (a contact's name or phone)."""
    from tuicrm.domain.privacy import phone_digits

    low = needle.strip().lower()
    if any(low in (v or "").lower() for v in (name, alias)):
        return _("name")
    if low in code.lower():
        return _("code")
    digits = phone_digits(needle)
    if digits and len(digits) >= 3 and digits in phone_digits(phone):
        return _("phone")
    if low in (email or "").lower():
        return _("email")
    return _("contact")


def where_label(kind: str, on: date | None, snippet_text: str, title: str | None = None) -> str:
    """``follow-up 2026-11-03: "…sent quote…"`` — where a hit was found, in the rep's words."""
    quoted = f"“{snippet_text}”"
    if kind == FOLLOW_UP:
        if on is None:
            return _("follow-up: {snippet}").format(snippet=quoted)
        return _("follow-up {date}: {snippet}").format(date=on.isoformat(), snippet=quoted)
    if kind == OPPORTUNITY:
        return _("opportunity {name}: {snippet}").format(name=sanitize_line(title), snippet=quoted)
    if kind == NOTES:
        return _("notes: {snippet}").format(snippet=quoted)
    return snippet_text


def hit_where(hit: Any, needle: str) -> str:
    """Where a ``query.search_all.TextHit`` was found, in the rep's words (``name``,
    ``follow-up 2026-11-03: “…sent the quote…”``)."""
    if hit.kind == NAME:
        c = hit.customer
        return name_match(needle, c.name, c.alias, c.code, c.phone, c.email)
    return where_label(hit.kind, hit.on, hit.snippet, hit.title)


__all__ = ["FOLLOW_UP", "NAME", "NOTES", "OPPORTUNITY", "hit_where", "name_match", "snippet", "where_label"]
