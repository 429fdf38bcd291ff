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

from tuicrm.query.connect import resolve_target, sqlite_file
from tuicrm.query.revision import HEAD_REVISION
from tuicrm.store.errors import DatabaseBusy
from tuicrm.store.lean.undolog import UndoLog

# The same as tuicrm.db's (a test holds them equal): this module must not import SQLAlchemy.
BUSY_TIMEOUT_MS = 15_000
SYNCHRONOUS = "FULL"


def write_connection(target: str | None) -> sqlite3.Connection | None:
    """An autocommit connection to a current tuicrm database, set up for writing, or None.
    ``target`` is the ``--db`` choice (None: ``$TUICRM_DB``, else the XDG default)."""
    path = sqlite_file(resolve_target(target))
    if not path or not os.path.isfile(path):
        return None
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        conn.execute("PRAGMA foreign_keys = ON")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if not row or row[0] != HEAD_REVISION:
            conn.close()
            return None
        return conn
    except sqlite3.Error:
        if conn is not None:
            conn.close()
        return None


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
        yield UndoLog(conn, label)
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
