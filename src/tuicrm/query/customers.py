"""Customers: resolve a rep's reference, find, the list's count and windows, filter choices, briefs."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from datetime import date

from tuicrm.i18n import _
from tuicrm.query import search as _search
from tuicrm.query.dialect import escape_like
from tuicrm.query.errors import Ambiguous, DataError, NotFound
from tuicrm.query.filters import CustomerFilter
from tuicrm.query.search import CustomerRow, CustomerSearch
from tuicrm.query.values import Frozen, as_date

__all__ = [
    "CustomerBrief",
    "CustomerRow",
    "count_customers",
    "count_is_worth_keeping",
    "count_texts",
    "customer_brief",
    "distinct_tags",
    "distinct_values",
    "find",
    "list_window",
    "page",
    "resolve",
]

_CODE = re.compile(r"[Cc][0-9]{1,9}")


def is_row_id(ref: str) -> bool:
    """``ref`` can be a row id: ASCII digits that fit SQLite's integer (``²`` or 10**20 cannot)."""
    return ref.isascii() and ref.isdigit() and len(ref) <= 18


def resolve(conn: sqlite3.Connection, ref: str) -> int:
    """The id of the live customer a rep means: a code (C000042), an id, or a name/alias fragment
    that matches exactly one customer. ``NotFound`` or ``Ambiguous`` (up to 20 candidates) otherwise."""
    ref = (ref or "").strip()
    if not ref:
        raise NotFound("Name a customer: a code like C000042, an id, or part of the name.")
    if _CODE.fullmatch(ref):
        row = conn.execute(
            "SELECT id FROM customer WHERE code = ? LIMIT 1", (f"C{int(ref[1:]):06d}",)
        ).fetchone()
        if row:
            return int(row[0])
    if is_row_id(ref):
        row = conn.execute("SELECT id, archived_at FROM customer WHERE id = ?", (int(ref),)).fetchone()
        if row and row[1] is None:
            return int(row[0])
    exact = conn.execute(
        "SELECT id FROM customer WHERE archived_at IS NULL AND lower(name) = ? LIMIT 2", (ref.lower(),)
    ).fetchall()
    if len(exact) == 1:
        return int(exact[0][0])
    like = f"%{escape_like(ref.lower())}%"
    where = (
        "c.archived_at IS NULL AND (lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.alias) LIKE ? ESCAPE '\\')"
    )
    search = CustomerSearch(conn)
    if len(ref) >= 3 and search.fts:
        # The trigram index narrows the candidates (name and alias are part of the search text).
        sql = (
            "SELECT c.id, c.code, c.name FROM customer c WHERE c.id IN (SELECT rowid FROM customer_fts "
            f"WHERE customer_fts MATCH ?) AND {where} ORDER BY c.name, c.id LIMIT 21"
        )
        matches = conn.execute(sql, (search.match_query([ref.lower()]), like, like)).fetchall()
    else:
        matches = conn.execute(
            f"SELECT c.id, c.code, c.name FROM customer c WHERE {where} ORDER BY c.name, c.id LIMIT 21",
            (like, like),
        ).fetchall()
    if not matches:
        raise NotFound(_("No customer matches '{ref}'.").format(ref=ref))
    if len(matches) > 1:
        n = len(matches) if len(matches) <= 20 else "more than 20"
        raise Ambiguous(f"'{ref}' matches {n} customers.", [(m[1], m[2]) for m in matches[:20]])
    return int(matches[0][0])


def count_customers(conn: sqlite3.Connection, f: CustomerFilter = CustomerFilter()) -> int:
    """How many customers the filter keeps."""
    return CustomerSearch(conn).count(f)


def page(
    conn: sqlite3.Connection,
    f: CustomerFilter = CustomerFilter(),
    *,
    offset: int = 0,
    limit: int = 100,
    sort: str = "name",
    descending: bool = False,
) -> list[CustomerRow]:
    """One window of the customer list: only the rows a screen can show are loaded."""
    search = CustomerSearch(conn)
    return search.rows(search.page_ids(f, offset, limit, sort, descending))


def list_window(
    conn: sqlite3.Connection,
    f: CustomerFilter = CustomerFilter(),
    *,
    sort: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
    count: bool = True,
    known_total: int | None = None,
) -> tuple[int | None, list[CustomerRow]]:
    """(total or None, rows) of the customer list, the count and the window sharing the text scan.

    ``count=False``: the total is not read (None). ``known_total``: the count is known (from
    before), not run again; it is returned as the total.
    """
    search = CustomerSearch(conn)
    total: int | None
    if known_total is not None:
        search.assume_count(f.text, known_total)
        total = known_total
    else:
        total = search.count(f) if count else None
    rows = search.rows(search.page_ids(f, offset, limit, sort, descending)) if total != 0 else []
    return total, rows


def find(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[CustomerRow]:
    """Customers whose name, alias, code, phone/email or a contact's name/phone/email contain ``query``."""
    if not (query or "").strip():
        return []
    return page(conn, CustomerFilter(text=query), limit=limit, sort="name")


def count_texts(conn: sqlite3.Connection, texts: Iterable[str]) -> dict[str, int]:
    """Live customers whose text holds each of ``texts`` (one read transaction, one search)."""
    search = CustomerSearch(conn)
    return {text: search.count(CustomerFilter(text=text)) for text in texts}


def count_is_worth_keeping(n: int) -> bool:
    """Whether a known count of text matches spares work when given back as ``known_total``
    (few matches are read as ids anyway, so their count comes free)."""
    return n > _search.SORT_MATCHES_UP_TO


_DISTINCT = {"industry": "industry", "owner": "owner", "source": "source"}


def distinct_values(conn: sqlite3.Connection, field: str, limit: int = 200) -> list[str]:
    """Distinct non-empty values of a customer column among live customers, for filter choices."""
    col = _DISTINCT.get(field)
    if col is None:
        raise DataError(f"Cannot list values of {field}.")
    rows = conn.execute(
        f"SELECT DISTINCT {col} FROM customer WHERE archived_at IS NULL AND {col} IS NOT NULL "
        f"AND {col} != '' ORDER BY {col} LIMIT ?",
        (limit,),
    ).fetchall()
    return [str(r[0]) for r in rows if r[0]]


def distinct_tags(conn: sqlite3.Connection, limit: int = 200, scan: int = 5000) -> list[str]:
    """Tags in use (from the first ``scan`` distinct tag lists), sorted case-insensitively."""
    rows = conn.execute(
        "SELECT DISTINCT tags FROM customer WHERE archived_at IS NULL AND tags IS NOT NULL LIMIT ?", (scan,)
    ).fetchall()
    tags: dict[str, str] = {}
    for (value,) in rows:
        for tag in str(value or "").split(","):
            t = tag.strip()
            if t:
                tags.setdefault(t.lower(), t)
    return sorted(tags.values(), key=str.lower)[:limit]


class CustomerBrief(Frozen):
    """What a form needs to know about the customer it writes for."""

    __slots__ = ("id", "code", "name", "status", "tier", "next_follow_up_on", "next_action", "archived")

    id: int
    code: str
    name: str
    status: str
    tier: str
    next_follow_up_on: date | None
    next_action: str | None
    archived: bool


def customer_brief(conn: sqlite3.Connection, customer_id: int) -> CustomerBrief:
    row = conn.execute(
        "SELECT id, code, name, status, tier, next_follow_up_on, next_action, archived_at "
        "FROM customer WHERE id = ?",
        (customer_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"No customer with id {customer_id}.")
    return CustomerBrief(row[0], row[1], row[2], row[3], row[4], as_date(row[5]), row[6], row[7] is not None)
