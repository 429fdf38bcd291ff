"""Search everywhere (``tuicrm find --all``, the TUI search's "notes too" toggle): customers whose
name, code, contact or phone match first (the trigram index, ``query.search``), then those whose
notes, follow-ups (summary, feedback, next action) or opportunities (name, next step, plan) hold the text.

The free texts have no index of their own (a trigram index of follow-ups would be a migration):
each is one ``LIKE`` over its table, bounded. Follow-ups first look among the newest
``RECENT_FOLLOW_UPS`` (the index on ``at``, a few milliseconds), which fills the list when the text
is common; only a rarer text scans the whole table (about 0.15 s at 500 000 follow-ups).
The text is matched as one phrase, case-insensitively for ASCII (SQLite's ``LIKE``).
"""

from __future__ import annotations

import sqlite3
from datetime import date

from tuicrm.domain.snippets import FOLLOW_UP, NAME, NOTES, OPPORTUNITY, snippet
from tuicrm.query.dialect import escape_like
from tuicrm.query.search import CustomerRow, CustomerSearch
from tuicrm.query.values import Frozen, as_utc, local_day

# The newest follow-ups looked at first (through ix_followup_at) before scanning them all.
RECENT_FOLLOW_UPS = 5000
# Free text is searched from this many characters on (one letter would match nearly everything).
MIN_TEXT = 2


class TextHit(Frozen):
    """One customer found: where (``kind``: name, notes, follow-up or opportunity), the date of the
    follow-up, the opportunity's name, and a snippet around the match (empty for a name hit)."""

    __slots__ = ("customer", "kind", "on", "title", "snippet")

    customer: CustomerRow
    kind: str
    on: date | None
    title: str | None
    snippet: str


def _follow_ups(conn: sqlite3.Connection, pattern: str, limit: int) -> list[tuple[int, str, str]]:
    """(customer id, at, matched text) of the newest matching follow-up of up to ``limit`` live
    customers, the most recent first."""
    match = "(f.summary LIKE ?1 ESCAPE '\\' OR f.feedback LIKE ?1 ESCAPE '\\' OR f.next_action LIKE ?1 ESCAPE '\\')"
    text = (
        "CASE WHEN f.summary LIKE ?1 ESCAPE '\\' THEN f.summary "
        "WHEN f.feedback LIKE ?1 ESCAPE '\\' THEN f.feedback ELSE f.next_action END"
    )
    live = "AND EXISTS (SELECT 1 FROM customer c WHERE c.id = f.customer_id AND c.archived_at IS NULL)"
    recent = conn.execute(
        f"SELECT f.customer_id, f.at, {text} FROM (SELECT * FROM followup INDEXED BY ix_followup_at "
        f"ORDER BY at DESC LIMIT ?2) f WHERE {match} {live} ORDER BY f.at DESC",
        (pattern, RECENT_FOLLOW_UPS),
    ).fetchall()
    found: dict[int, tuple[int, str, str]] = {}
    for row in recent:
        found.setdefault(row[0], row)
    if len(found) >= limit:
        return list(found.values())[:limit]
    # A rarer text: one pass over every follow-up, the newest match of each customer (SQLite
    # returns max()'s row for the bare columns).
    rows = conn.execute(
        f"SELECT f.customer_id, max(f.at), {text} FROM followup f NOT INDEXED WHERE {match} {live} "
        "GROUP BY f.customer_id ORDER BY 2 DESC LIMIT ?2",
        (pattern, limit),
    ).fetchall()
    return [tuple(r) for r in rows]


def find_everywhere(
    conn: sqlite3.Connection, text: str, limit: int = 50, *, names: bool = True
) -> list[TextHit]:
    """Up to ``limit`` live customers matching ``text``: name, code, contact or phone matches first
    (by name, as ``find``), then notes, follow-ups (newest first) and opportunities, one hit per
    customer (the first place it was found). ``names=False``: only the free-text hits (the TUI's
    list shows the name matches itself)."""
    from tuicrm.query.customers import find

    needle = (text or "").strip()
    if not needle or limit <= 0:
        return []
    hits = [TextHit(row, NAME, None, None, "") for row in find(conn, needle, limit)] if names else []
    if len(needle) < MIN_TEXT or len(hits) >= limit:
        return hits
    seen = {h.customer.id for h in hits}
    pattern = f"%{escape_like(needle)}%"
    found: list[tuple[int, str, date | None, str | None, str]] = []  # (id, kind, on, title, text)

    def take(customer_id: int, kind: str, on: date | None, title: str | None, body: str) -> None:
        if customer_id not in seen and len(seen) < limit:
            seen.add(customer_id)
            found.append((customer_id, kind, on, title, body))

    for cid, notes in conn.execute(
        "SELECT id, notes FROM customer NOT INDEXED WHERE archived_at IS NULL AND notes LIKE ? ESCAPE '\\' "
        "ORDER BY id LIMIT ?",
        (pattern, limit),
    ):
        take(cid, NOTES, None, None, notes)
    if len(seen) < limit:
        for cid, at, body in _follow_ups(conn, pattern, limit):
            moment = as_utc(at)
            take(cid, FOLLOW_UP, local_day(moment) if moment else None, None, body)
    if len(seen) < limit:
        for cid, name, *texts in conn.execute(
            "SELECT o.customer_id, o.name, o.next_step, o.plan FROM opportunity o "
            "JOIN customer c ON c.id = o.customer_id WHERE o.archived_at IS NULL AND c.archived_at IS NULL "
            "AND (o.name LIKE ?1 ESCAPE '\\' OR o.next_step LIKE ?1 ESCAPE '\\' OR o.plan LIKE ?1 ESCAPE '\\') "
            "ORDER BY o.id DESC LIMIT ?2",
            (pattern, limit),
        ):
            body = next((t for t in (name, *texts) if t and needle.lower() in t.lower()), name)
            take(cid, OPPORTUNITY, None, name, body)
    rows = {r.id: r for r in CustomerSearch(conn).rows([f[0] for f in found])}
    hits += [
        TextHit(rows[cid], kind, on, title, snippet(body, needle))
        for cid, kind, on, title, body in found
        if cid in rows
    ]
    return hits


__all__ = ["TextHit", "find_everywhere"]
