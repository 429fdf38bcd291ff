"""Row versions and status history (migration 0004): kept by triggers, whoever writes."""

from __future__ import annotations

import sqlite3

import pytest

from tuicrm.store import Store
from tuicrm.store import customers as C
from tuicrm.store.lean.connect import transaction, write_connection
from tuicrm.store.undo import undo_operation, undo_preview

VERSIONED = (
    "customer",
    "contact",
    "opportunity",
    "followup",
    "tierassessment",
    "stagechange",
    "snooze",
    "lead",
    "activity",
)


@pytest.fixture
def path(tmp_path, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-12-07T09:00:00+08:00")
    monkeypatch.setenv("USER", "lin")
    target = tmp_path / "crm.db"
    store = Store.open(str(target))
    with store.write("add") as s:
        C.create_customer(s, "Acme", status="potential")
    store.dispose()
    return target


def _version(path, table="customer", row_id=1):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT version FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]


def test_every_versioned_table_has_its_trigger(path):
    with sqlite3.connect(path) as conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {f"{t}_version" for t in (*VERSIONED, "statuschange")} <= triggers


def test_any_writer_moves_the_version_forward(path):
    assert _version(path) == 1
    conn = sqlite3.connect(path)  # another program, plain SQL
    conn.execute("UPDATE customer SET industry = 'steel' WHERE id = 1")
    conn.commit()
    conn.close()
    assert _version(path) == 2
    store = Store.open(str(path))
    with store.write("edit") as s:
        C.update_customer(s, C.get_customer(s, 1), industry="glass")
    assert _version(path) == 3
    with store.write("undo", log=False) as s:
        preview = undo_preview(s)
        assert preview is not None
        undo_operation(
            s, preview.operation_id
        )  # puts industry back to steel, and version 2 with it: the trigger moves it on
    store.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT industry, version FROM customer").fetchone() == ("steel", 4)


def test_status_changes_are_kept_with_who_and_when(path):
    store = Store.open(str(path))
    with store.write("edit") as s:
        C.update_customer(s, C.get_customer(s, 1), status="intent")
    conn = write_connection(str(path))
    assert conn is not None
    with transaction(conn, "won"):
        conn.execute("UPDATE customer SET status = 'won' WHERE id = 1")
    conn.close()
    with sqlite3.connect(path) as raw:  # another program: no user, its own clock
        raw.execute("UPDATE customer SET status = 'lost' WHERE id = 1")
    store.dispose()
    with sqlite3.connect(path) as raw:
        rows = raw.execute(
            "SELECT from_status, to_status, by_user, at FROM statuschange ORDER BY id"
        ).fetchall()
    assert [r[:3] for r in rows[:2]] == [("potential", "intent", "lin"), ("intent", "won", "lin")]
    assert rows[0][3].startswith("2026-12-07 01:00:00")  # the pinned clock, stored in UTC
    assert rows[2][:3] == ("won", "lost", None)
