"""The transaction rules behind "two writers lose nothing" (issue #6), one by one, in-process.

Writes take the write lock at BEGIN (``BEGIN IMMEDIATE``); reads never block writers and never
take it; a read ends with its block, so nothing pins the WAL across a prompt; a writer that waits
past the busy timeout gets one plain sentence and writes nothing.
"""

from __future__ import annotations

import sqlite3
import time

import pytest

import tuicrm.db
from tuicrm.store import DatabaseBusy, Store, StoreError
from tuicrm.store.customers import create_customer


def _count(path, table="customer") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def blocker(store):
    """A raw connection holding the write lock with an uncommitted row, as another process would."""
    with store.write("add") as s:
        create_customer(s, "Acme", phone="13812345678")
    conn = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO operation (label, at, created_at, updated_at) VALUES ('other', 0, 0, 0)")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def test_a_second_writer_waits_then_gets_one_sentence(store, blocker, monkeypatch):
    monkeypatch.setattr(tuicrm.db, "BUSY_TIMEOUT_MS", 300)
    other = Store.open(store.path)  # a fresh engine: its connections get the short timeout
    started = time.monotonic()
    with pytest.raises(DatabaseBusy) as err:
        with other.write("add") as s:
            create_customer(s, "Beta", phone="13900001111", notes="private")
    waited = time.monotonic() - started
    assert waited >= 0.25  # it waited for the lock (busy timeout), it did not fail at once
    assert isinstance(err.value, StoreError)
    message = str(err.value)
    assert "nothing was saved" in message and "13900001111" not in message and "private" not in message
    other.dispose()
    blocker.execute("ROLLBACK")
    blocker.execute("BEGIN")  # the fixture's teardown rolls back again
    assert _count(store.path) == 1  # Beta was never written


def test_reads_are_not_blocked_by_a_writer_and_see_committed_data(store, blocker):
    from sqlmodel import func, select

    from tuicrm.models import Customer, Operation

    started = time.monotonic()
    with store.read() as s:
        assert s.exec(select(func.count()).select_from(Customer)).one() == 1
        labels = [o.label for o in s.exec(select(Operation))]
    assert time.monotonic() - started < 1
    assert "other" not in labels  # the uncommitted row is invisible


def test_a_read_does_not_take_the_write_lock(store):
    from sqlmodel import select

    from tuicrm.models import Customer

    with store.write("add") as s:
        create_customer(s, "Acme")
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    try:
        with store.read() as s:
            s.exec(select(Customer)).all()
            other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" if the read held it
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_transactions_end_with_their_block(store):
    """Nothing stays checked out (so no read transaction pins the WAL while a prompt waits)."""
    from sqlmodel import select

    from tuicrm.models import Customer

    with store.write("add") as s:
        create_customer(s, "Acme")
    assert store.engine.pool.checkedout() == 0
    with store.read() as s:
        s.exec(select(Customer)).all()
    assert store.engine.pool.checkedout() == 0
    with pytest.raises(StoreError):
        with store.write("bad") as s:
            create_customer(s, "  ")
    assert store.engine.pool.checkedout() == 0
    # And every pooled connection is idle (autocommit, no open transaction).
    conn = store.engine.raw_connection()
    try:
        assert not conn.driver_connection.in_transaction
    finally:
        conn.close()


def test_write_lock_is_taken_at_begin(store):
    """BEGIN IMMEDIATE: while a write block is open, even before its first statement, nobody else
    can start writing (so the block's reads cannot go stale before its writes)."""
    with store.write("add") as s:
        s.connection()  # starts the transaction
        other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        create_customer(s, "Acme")
    assert _count(store.path) == 1


def test_pragmas_on_every_connection(store):
    """WAL, FULL sync (an acknowledged write survives a power cut too), foreign keys, busy timeout."""
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == tuicrm.db.BUSY_TIMEOUT_MS
