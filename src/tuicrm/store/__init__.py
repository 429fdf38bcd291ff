"""The store: sessions, transactions, queries. Functions take a Session; ``Store`` hands them out.

Nothing here imports Textual. What crosses to the UI or CLI is plain data
(dataclasses or detached model rows), never a live Session.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from sqlmodel import Session

from tuicrm.config import DEFAULT, Config
from tuicrm.db import make_engine
from tuicrm.store import oplog
from tuicrm.store.errors import Ambiguous, NotFound, StoreError

__all__ = ["Store", "StoreError", "NotFound", "Ambiguous"]


class Store:
    """An engine plus config. ``read()`` for queries, ``write(label)`` for one transaction."""

    def __init__(self, engine: sa.Engine, config: Config = DEFAULT):
        self.engine = engine
        self.config = config
        self._write_engine = engine.execution_options(tuicrm_write=True)

    @classmethod
    def open(cls, target: str, config: Config = DEFAULT) -> "Store":
        return cls(make_engine(target), config)

    @property
    def path(self):
        return self.engine.url.database

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, label: str, *, log: bool = True) -> Iterator[Session]:
        """One ``BEGIN IMMEDIATE`` transaction: all of it commits, or none of it."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            session.info["operation_label"] = label
            if log:
                oplog.attach(session)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
