"""The command line's write connection: the standard library's ``sqlite3`` with the pragmas
``tuicrm.db`` sets on every engine connection, and one ``BEGIN IMMEDIATE`` transaction.

``write_connection(target)`` returns None when the lean path cannot be trusted (a URL that is not
a SQLite file, a missing file, a schema that needs the migrating ``Store``, SQLite errors); the
caller then writes through ``Store.write()``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from tuicrm.query.connect import connect, resolve_target, sqlite_file
from tuicrm.store.errors import DatabaseBusy
from tuicrm.store.lean.checks import current_user
from tuicrm.store.lean.undolog import UndoLog, history_mark, sign_history

# The same as tuicrm.db's (a test holds them equal): this module must not import SQLAlchemy.
BUSY_TIMEOUT_MS = 15_000
SYNCHRONOUS = "FULL"


def write_connection(target: str | None) -> sqlite3.Connection | None:
    """An autocommit connection to a current tuicrm database, set up for writing, or None.
    ``target`` is the ``--db`` choice (None: ``$TUICRM_DB``, else the XDG default)."""
    path = sqlite_file(resolve_target(target))
    if not path or not _plainly_writable(path):
        return None  # the Store refuses it, or opens it read-only, in one sentence (tuicrm.db)
    conn: sqlite3.Connection | None = None
    try:
        # The schema first, on the lean read connection (read-only: its close never checkpoints
        # or writes), so a file that is not ours, or a newer tuicrm's, is left byte for byte as it
        # was and the Store words the refusal. It also tightens the modes, like every open.
        probe = connect(path)
        if probe is None:
            return None
        probe.close()
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.Error:
        if conn is not None:
            conn.close()
        return None


def _plainly_writable(path: str) -> bool:
    """A regular file (no symlink) that we, its folder and its -wal/-shm let us write: anything
    else goes to the Store, whose checks refuse it or open it read-only with one sentence."""
    if not os.path.isfile(path) or os.path.islink(path):
        return False
    folder = os.path.dirname(os.path.abspath(path))
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        return False
    for side in (path + "-wal", path + "-shm"):
        if os.path.lexists(side) and (os.path.islink(side) or not os.access(side, os.W_OK)):
            return False
    return True


def busy() -> DatabaseBusy:
    return DatabaseBusy(
        f"Another tuicrm kept the database busy for more than {BUSY_TIMEOUT_MS // 1000} seconds; "
        "nothing was saved. Try again in a moment."
    )


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


@contextmanager
def transaction(conn: sqlite3.Connection, label: str) -> Iterator[UndoLog]:
    """One ``BEGIN IMMEDIATE`` transaction on ``conn`` and its undo log: all of it commits, or
    none of it. A writer that holds the lock past the busy timeout gives ``DatabaseBusy``."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise busy() from None
        raise
    try:
        mark = history_mark(conn)
        yield UndoLog(conn, label)
        sign_history(conn, mark, current_user())
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if is_busy(exc):
            raise busy() from None
        raise
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
