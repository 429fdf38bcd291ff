"""The first screen's reads through ``sqlite3`` (``tuicrm.fastread``), without SQLModel.

The customer list and the overdue panel run ``fastread``'s SQL on a plain ``sqlite3``
connection: the session's own DBAPI connection once the ``Store`` is open, or — while it is
still opening in the background right after start-up (``DeferredStore``) — a read-only
connection that ``fastread.connect`` has schema-checked. Same SQL either way (tested in
``tests/perf/test_fastread.py``). No Textual and no SQLModel here.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from tuicrm import fastread


@dataclass(frozen=True)
class ListFilter:
    """The fields of ``tuicrm.store.search.CustomerFilter`` (which imports SQLModel)."""

    text: str = ""
    tier: str | None = None
    status: str | None = None
    industry: str | None = None
    tag: str | None = None
    owner: str | None = None
    due_by: date | None = None  # next follow-up on or before this date
    include_archived: bool = False


ListRow = fastread.FoundRow  # the attributes of tuicrm.store.search.CustomerRow


@dataclass(frozen=True)
class PanelData:
    """The overdue panel: the first ``len(items)`` in call-next order and the true counts."""

    items: list
    count: int  # overdue + due today
    overdue: int
    today: int

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


def panel_data(conn, config, today: date, limit: int = 100) -> PanelData:
    """Counts plus the first ``limit`` due items, exactly ``store.followups.due()[:limit]``."""
    overdue, due_today, _ahead = fastread.due_counts(conn, today, 0)
    items = fastread.due_top(conn, config, today, 0, limit)
    return PanelData(items=items, count=overdue + due_today, overdue=overdue, today=due_today)


def list_window(
    conn, f, sort: str, descending: bool, offset: int, limit: int, count: bool, known_total: int | None = None
) -> tuple[int | None, list]:
    """(total or None, rows) of the customer list: ``store.search.count_customers`` + ``page``.

    ``known_total``: the count is known (from before), not run again; it is returned as the total.
    """
    search = fastread.CustomerSearch(fastread.runner(conn))
    if known_total is not None:
        search.assume_count(f.text, known_total)
        total = known_total
    else:
        total = search.count(f) if count else None
    rows = [ListRow(r) for r in search.page(f, offset, limit, sort, descending)] if total != 0 else []
    return total, rows


class DeferredStore:
    """A ``Store`` that opens on first use (any thread), so the TUI paints before SQLModel loads.

    ``read()``/``write()``/… are the real store's; until it is open, the first screen reads
    through ``fast_target`` (``reading``). ``open()`` is called in a worker after first paint.
    """

    def __init__(self, opener, fast_target: str) -> None:
        self._opener = opener
        self.fast_target = fast_target
        self._store = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._store is not None

    def open(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = self._opener()
        return self._store

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.open(), name)


@contextmanager
def reading(store):
    """A ``sqlite3`` connection inside one read transaction, for ``fastread``'s queries."""
    target = getattr(store, "fast_target", None) if isinstance(store, DeferredStore) else None
    conn = fastread.connect(target) if target is not None and not store.ready else None
    if conn is not None:
        try:
            conn.execute("BEGIN")  # one snapshot: the count and the window agree
            yield conn
        finally:
            conn.close()
        return
    with store.read() as session:
        yield fastread.dbapi(session)
