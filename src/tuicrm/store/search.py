"""Customer lookups and list windows, fast at 100 000 customers (issue #5).

Text search uses ``customer_fts``, an FTS5 trigram index of the live customers'
``search_text`` kept in step by triggers (migration 0003): a substring of 3+ characters is an
index lookup. Shorter text scans the index's narrow text copy. List windows page through
partial indexes on the sort column (``INDEXED BY``), so a window deep in the list costs an
index walk, never a sort of every customer. Without the FTS table (SQLite < 3.34) the same
functions fall back to ``LIKE`` over ``customer.search_text``.

The SQL lives in ``tuicrm.fastread.CustomerSearch`` and runs here on the session's
connection, so the CLI's sqlite3 fast path and the TUI ask SQLite exactly the same thing.
Descending sorts reverse the whole order (ties by id descending too), so they walk the index
backwards instead of sorting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tuicrm.fastread import SORT_COLUMNS, CustomerSearch
from tuicrm.fastread import dbapi as session_dbapi

SORTABLE = tuple(SORT_COLUMNS)


@dataclass(frozen=True)
class CustomerRow:
    id: int
    code: str
    name: str
    alias: str | None
    industry: str | None
    status: str
    tier: str
    phone: str | None
    email: str | None
    next_follow_up_on: date | None
    next_action: str | None
    owner: str | None


@dataclass(frozen=True)
class CustomerFilter:
    text: str = ""
    tier: str | None = None
    status: str | None = None
    industry: str | None = None
    tag: str | None = None
    owner: str | None = None
    due_by: date | None = None  # next follow-up on or before this date
    include_archived: bool = False


def _search(session: Session) -> CustomerSearch:
    """One ``CustomerSearch`` per session: a count and the window after it share the text scan."""
    # The session's own DBAPI connection, inside its transaction: plain tuples, no Row objects
    # (a one-letter search can match 100 000 ids).
    dbapi = session_dbapi(session)
    search = session.info.get("tuicrm.search")
    if search is None or search.dbapi is not dbapi:
        search = CustomerSearch(
            lambda sql, params: dbapi.execute(sql, tuple(params)).fetchall(),
            version=lambda: getattr(dbapi, "total_changes", 0),
        )
        search.dbapi = dbapi
        session.info["tuicrm.search"] = search
    return search


def count_customers(session: Session, f: CustomerFilter = CustomerFilter()) -> int:
    return _search(session).count(f)


def page(
    session: Session,
    f: CustomerFilter = CustomerFilter(),
    *,
    offset: int = 0,
    limit: int = 100,
    sort: str = "name",
    descending: bool = False,
) -> list[CustomerRow]:
    """One window of the customer list: only the rows a screen can show are loaded."""
    return [CustomerRow(*r) for r in _search(session).page(f, offset, limit, sort, descending)]


def window(
    session: Session,
    f: CustomerFilter = CustomerFilter(),
    *,
    offset: int = 0,
    limit: int = 100,
    sort: str = "name",
    descending: bool = False,
) -> tuple[int, list[CustomerRow]]:
    """The total for the filter and one window, sharing the work (search-as-you-type)."""
    search = _search(session)
    total = search.count(f)
    rows = [CustomerRow(*r) for r in search.page(f, offset, limit, sort, descending)] if total else []
    return total, rows


def find(session: Session, query: str, limit: int = 50) -> list[CustomerRow]:
    """Customers whose name, alias, code, phone/email or a contact's name/phone/email contain ``query``."""
    if not (query or "").strip():
        return []
    return page(session, CustomerFilter(text=query), limit=limit, sort="name")
