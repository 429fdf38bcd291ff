"""``DeferredStore``: the first screen reads through sqlite3 before the Store (SQLModel) opens."""

from __future__ import annotations

import sqlite3

from tuicrm.query.customers import find
from tuicrm.store import Store
from tuicrm.store.customers import create_customer
from tuicrm.store.deferred import DeferredStore


def test_reads_lean_until_opened_then_through_the_store(db_path):
    real = Store.open(str(db_path))
    with real.write("add") as s:
        create_customer(s, "Acme Robotics")
    opened: list[Store] = []

    def opener() -> Store:
        opened.append(real)
        return real

    deferred = DeferredStore(opener, str(db_path))
    with deferred.reading() as conn:
        assert isinstance(conn, sqlite3.Connection) and conn.in_transaction  # one snapshot
        assert [r.name for r in find(conn, "acme")] == ["Acme Robotics"]
    assert not deferred.ready and not opened
    assert deferred.config is real.config  # anything else opens the real store
    assert deferred.ready and opened == [real]
    with deferred.reading() as conn, real.reading() as direct:
        assert type(conn) is type(direct)
        assert [r.name for r in find(conn, "robot")] == ["Acme Robotics"]
    real.dispose()


def test_a_target_the_lean_path_cannot_trust_opens_the_store(tmp_path, db_path):
    real = Store.open(str(db_path))
    deferred = DeferredStore(lambda: real, "postgresql://db.example/crm")
    with deferred.reading() as conn:
        assert find(conn, "x") == []
    assert deferred.ready
    real.dispose()
