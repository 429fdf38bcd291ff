"""A ``Store`` that opens on first use, so the TUI paints before SQLModel loads. No SQLModel here."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tuicrm.query.connect import ChangeWatcher, connect, snapshot

if TYPE_CHECKING:
    from tuicrm.store.session import Store


class DeferredStore:
    """A ``Store`` that opens on first use (any thread).

    ``read()``/``write()``/… are the real store's; until it is open, ``reading()`` reads through
    a schema-checked ``sqlite3`` connection to ``fast_target`` (the first screen's queries).
    ``open()`` is called in a worker after the first paint.
    """

    def __init__(self, opener: Callable[[], Store], fast_target: str) -> None:
        self._opener = opener
        self.fast_target = fast_target
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._store is not None

    def watcher(self) -> ChangeWatcher:
        """A watcher of other connections' commits, on the lean path (the store stays unopened)."""
        return ChangeWatcher(self.fast_target)

    def open(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = self._opener()
        return self._store

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A DB-API connection inside one read transaction (the lean one until the store is open)."""
        conn = connect(self.fast_target) if not self.ready else None
        if conn is not None:
            with snapshot(conn) as c:  # one snapshot: the count and the window agree
                yield c
            return
        with self.open().reading() as c:
            yield c

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.open(), name)
