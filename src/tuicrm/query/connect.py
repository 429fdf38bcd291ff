"""The lean connection: the standard library's ``sqlite3``, a schema check, one read snapshot.

``tuicrm due``, ``find`` and ``show`` are what a rep types over SSH many times a day. Going
through SQLModel costs half a second of imports before the first query runs; this module opens
the same file with nothing heavier than ``sqlite3``, ``os`` and ``datetime``.

``connect(target)`` returns None whenever the lean path cannot be trusted (a URL that is not a
SQLite file, a missing file, a schema not at the head revision that needs the migrating
``Store``, SQLite errors); the caller then takes the ``Store`` path (``Store.reading()``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from tuicrm.query.revision import HEAD_REVISION


def today() -> date:
    """``tuicrm.clock.today()`` without importing pendulum (same answer; same errors via clock)."""
    pinned = os.environ.get("TUICRM_NOW")
    if pinned:
        try:
            parsed = datetime.fromisoformat(pinned.strip())
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            return parsed.date()
        # An instant with an offset (converted to the local zone first), forms fromisoformat does
        # not read, or nonsense: pendulum decides, and words the error.
        from tuicrm import clock

        return clock.today()
    return datetime.now().date()


def head_revision() -> str:
    """The schema revision this code reads (``tuicrm.db`` migrates older files to it)."""
    return HEAD_REVISION


def resolve_target(option: str | None) -> str:
    """``tuicrm.paths.resolve_db`` without pathlib: ``--db``, else ``$TUICRM_DB``, else XDG."""
    if option:
        return option
    env = os.environ.get("TUICRM_DB")
    if env:
        return env
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "tuicrm", "crm.db")


def sqlite_file(target: str) -> str | None:
    """The file path of a ``--db`` target, or None for URLs that are not plain SQLite files."""
    if "://" in target:
        if target.startswith("sqlite:///") and not target.startswith("sqlite:///:memory:"):
            path = target[len("sqlite:///") :]
            return None if "?" in path else path
        return None
    return os.path.expanduser(target)


def _open(path: str, read_only: bool) -> sqlite3.Connection:
    if read_only:
        # On a WAL database SQLite needs the -shm file (or the right to create it); when that
        # fails the caller falls back to a normal open, still only reading.
        quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        return sqlite3.connect(
            f"file:{quoted}?mode=ro", uri=True, timeout=15, isolation_level=None, check_same_thread=False
        )
    return sqlite3.connect(path, timeout=15, isolation_level=None, check_same_thread=False)


def connect(target: str) -> sqlite3.Connection | None:
    """A read-only (autocommit) connection to a current tuicrm database, or None (then use the Store)."""
    path = sqlite_file(target)
    if not path or not os.path.isfile(path) or os.path.islink(path):
        return None  # the Store explains (a missing file, a symlink: refused)
    for read_only in (True, False):
        conn: sqlite3.Connection | None = None
        try:
            conn = _open(path, read_only)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if not row or row[0] != HEAD_REVISION:
                conn.close()
                return None
            from tuicrm.safefiles import tighten

            tighten(path)  # a read makes the database and its -wal/-shm private too (issue #14)
            return conn
        except sqlite3.Error:
            if conn is not None:
                conn.close()
    return None


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction on a ``connect()`` connection (a count and its window agree), then close it."""
    try:
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()  # ends the read transaction


class ChangeWatcher:
    """Notices commits made by other connections — another tuicrm, the CLI in another shell, the
    store's own pool — through ``PRAGMA data_version`` on one lean read connection of its own.

    ``changed()`` costs one pragma (microseconds, no file read): cheap enough for a timer every
    second in an idle TUI. The first call takes the current state as seen.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._conn: sqlite3.Connection | None = None
        self._seen: int | None = None

    def changed(self) -> bool:
        """True once for each state of the database this watcher has not seen yet."""
        try:
            if self._conn is None:
                self._conn = connect(self.target)
                if self._conn is None:
                    return False
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()  # the file went away or broke: try again on the next tick
            return False
        before, self._seen = self._seen, version
        return before is not None and version != before

    def close(self) -> None:
        """Drop the connection (a new one counts data_version afresh: its first look is a baseline)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._seen = None
