"""``Store``: an engine plus config; read sessions, DB-API read snapshots, write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session

from tuicrm.config import DEFAULT, Config
from tuicrm.db import make_engine
from tuicrm.query.connect import ChangeWatcher
from tuicrm.store import oplog
from tuicrm.store.errors import CannotWrite
from tuicrm.store.lean.checks import current_user
from tuicrm.store.lean.connect import busy, is_busy
from tuicrm.store.lean.undolog import history_mark, sign_history

__all__ = ["Store", "dbapi"]


def dbapi(session: Session) -> sqlite3.Connection:
    """The DB-API connection under a session, inside the session's transaction."""
    return cast(sqlite3.Connection, session.connection().connection.dbapi_connection)


class Store:
    """An engine plus config. ``read()`` for queries, ``write(label)`` for one transaction."""

    def __init__(self, engine: sa.Engine, config: Config = DEFAULT):
        self.engine = engine
        self.config = config
        self._write_engine = engine.execution_options(tuicrm_write=True)

    @classmethod
    def open(cls, target: str, config: Config = DEFAULT) -> Store:
        return cls(make_engine(target), config)

    @property
    def path(self) -> str | None:
        return self.engine.url.database

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only look: one snapshot (deferred ``BEGIN``), ended when the block ends.

        Never hold one open across a prompt or a modal: an open read transaction pins the WAL
        (it cannot be checkpointed past the reader's snapshot) and grows the -wal file.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A DB-API connection inside one read snapshot, for ``tuicrm.query``'s functions.

        Same rule as ``read()``: never hold it open across a prompt or a modal.
        """
        with self.read() as session:
            yield dbapi(session)

    @contextmanager
    def write(self, label: str, *, log: bool = True) -> Iterator[Session]:
        """One ``BEGIN IMMEDIATE`` transaction: all of it commits, or none of it.

        The write lock is taken at the start, so the reads inside see the latest data and no
        other writer can slip in between (no lost updates). A second writer waits up to the busy
        timeout, then gets ``DatabaseBusy`` (a ``StoreError``: one sentence for the rep). The undo
        log is written in the same transaction (``log=False`` for bulk data that is not undoable).
        Keep prompts and modals outside: ask first, then open the transaction.
        """
        with Session(self._write_engine, expire_on_commit=False) as session:
            session.info["operation_label"] = label
            if log:
                oplog.attach(session)
            try:
                conn = dbapi(session)  # BEGIN IMMEDIATE now: the lock, and the history mark below
                mark = history_mark(conn)
                yield session
                session.flush()
                sign_history(conn, mark, current_user())
                session.commit()
            except (sa.exc.OperationalError, sqlite3.OperationalError, OSError) as exc:
                session.rollback()
                if is_busy(getattr(exc, "orig", exc)):
                    raise busy() from None
                from tuicrm.db import explain_failure

                sentence = explain_failure(exc)  # read-only, disk full: one sentence for the rep
                if sentence is not None:
                    raise CannotWrite(sentence[:1].upper() + sentence[1:]) from None
                raise
            except BaseException:
                session.rollback()
                raise

    def watcher(self) -> ChangeWatcher | None:
        """A watcher of other connections' commits (None for a database that is not a file)."""
        return ChangeWatcher(self.path) if self.engine.dialect.name == "sqlite" and self.path else None

    def quick_check(self) -> list[str]:
        """SQLite's quick_check and foreign-key check as plain sentences (empty: all good).

        Reads the whole file (about a second at 100 000 customers): run it off the UI thread.
        """
        from tuicrm import db

        return db.quick_check(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
