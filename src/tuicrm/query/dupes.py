"""Possible duplicates among the live customers: the same normalised name, phone or e-mail
(issue #15; ``tuicrm dupes``, the customer detail's merge). Merging is ``tuicrm.store.merge``."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NOT_DIGIT = re.compile(r"\D+")
REASONS = ("name", "phone", "email")


def name_key(name: str | None) -> str:
    """Names that differ only in case, width, spacing or punctuation compare equal."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name).casefold()
    return _NON_WORD.sub("", s) or s.strip()


def phone_key(phone: str | None) -> str:
    """The last 10 digits (``+86 138…`` = ``138…``); '' when too short or masked."""
    if not phone or "*" in phone:
        return ""
    digits = _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", phone))
    return digits[-10:] if len(digits) >= 7 else ""


def email_key(email: str | None) -> str:
    return email.strip().casefold() if email and "@" in email else ""


@dataclass(frozen=True)
class CustomerRef:
    id: int
    code: str
    name: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "code": self.code, "name": self.name}


@dataclass
class DupePair:
    """``other`` may be a duplicate of ``keep`` (the older one); ``same``: what they share."""

    keep: CustomerRef
    other: CustomerRef
    same: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"keep": self.keep.to_dict(), "other": self.other.to_dict(), "same": list(self.same)}


def _live(conn: sqlite3.Connection) -> list[tuple[int, str, str, str | None, str | None]]:
    return list(
        conn.execute(
            "SELECT id, code, name, phone, email FROM customer WHERE archived_at IS NULL ORDER BY id"
        )
    )


def possible_duplicates(conn: sqlite3.Connection, customer_id: int | None = None) -> list[DupePair]:
    """Pairs of live customers with the same normalised name, phone or e-mail, the older one
    first, ordered by it; ``customer_id``: every pair that customer is in (the detail's list)."""
    rows = _live(conn)
    refs = {cid: CustomerRef(cid, code, name) for cid, code, name, _p, _e in rows}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for cid, _code, name, phone, email in rows:
        for reason, key in (
            ("name", name_key(name)),
            ("phone", phone_key(phone)),
            ("email", email_key(email)),
        ):
            if key:
                groups[(reason, key)].append(cid)
    shared: dict[tuple[int, int], set[str]] = defaultdict(set)
    for (reason, _key), ids in groups.items():
        if len(ids) < 2:
            continue
        # Each against the oldest of its group: a chain of 200 same-named shops is 199 pairs,
        # not 19 900; merging them one by one into the oldest empties the group.
        a = ids[0]
        for b in ids[1:]:
            if customer_id is None or customer_id in (a, b):
                shared[(a, b)].add(reason)
        if customer_id in ids[1:]:
            for b in ids[1:]:
                if b != customer_id:
                    shared[(min(customer_id, b), max(customer_id, b))].add(reason)
    return [
        DupePair(refs[a], refs[b], [r for r in REASONS if r in reasons])
        for (a, b), reasons in sorted(shared.items())
    ]


def what_is_same(same: list[str]) -> str:
    """``same_as``'s reasons in the rep's words: "same name, same phone"."""
    from tuicrm.i18n import _

    words = {"name": _("same name"), "phone": _("same phone"), "email": _("same e-mail")}
    return ", ".join(words[reason] for reason in same)


def same_as(
    conn: sqlite3.Connection, name: str, phone: str | None = None, email: str | None = None, limit: int = 10
) -> list[tuple[CustomerRef, list[str]]]:
    """Live customers a new one with ``name``/``phone``/``email`` would duplicate (the same
    normalised name, phone or e-mail, as ``possible_duplicates`` pairs them; a phone or e-mail
    of one of their contacts counts too), oldest first. For adding by hand, at 100 000
    customers: the search index (``customer_fts``) finds the few worth comparing in Python."""
    key, digits, mail = name_key(name), phone_key(phone), email_key(email)
    rows = _candidates(conn, name, digits, mail)
    found: list[tuple[CustomerRef, list[str]]] = []
    for cid, code, other, text in rows:
        fields = str(text or "").split("\x1f")
        same = [
            reason
            for reason, hit in (
                ("name", bool(key) and name_key(other) == key),
                ("phone", bool(digits) and any(f.endswith(digits) for f in fields)),
                ("email", bool(mail) and mail in fields),
            )
            if hit
        ]
        if same:
            found.append((CustomerRef(int(cid), str(code), str(other)), same))
    return found[:limit]


def _candidates(conn: sqlite3.Connection, name: str, digits: str, mail: str) -> list[tuple[Any, ...]]:
    """(id, code, name, search_text) of the live customers whose search text holds the name's
    longest word (3+ characters), the phone's digits or the e-mail; an exact name otherwise."""
    words = sorted(_NON_WORD.split(unicodedata.normalize("NFKC", name).casefold()), key=len)
    longest = words[-1] if words else ""
    texts = [t for t in (longest if len(longest) >= 3 else "", digits, mail) if t]
    columns = "SELECT id, code, name, search_text FROM customer"
    has_index = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'customer_fts'").fetchone()
    if texts and has_index:
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in texts)
        sql = f"{columns} WHERE id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)"
        params: list[Any] = [match]
    else:
        terms = ["instr(lower(search_text), ?) > 0" for _ in texts]
        sql, params = f"{columns} WHERE archived_at IS NULL AND ({' OR '.join(terms) or '0'})", list(texts)
    if len(longest) < 3:
        sql += " OR (name = ? AND archived_at IS NULL)"
        params.append(name.strip())
    return conn.execute(f"SELECT * FROM ({sql}) WHERE 1 ORDER BY id", params).fetchall()  # noqa: S608
