"""The five hot writes (``tuicrm.store.lean.writes``): the command line's plain-sqlite3 path, the
TUI's store session and the ORM versions they replaced (``orm_reference``) leave the same rows and
the same undo records; undo puts the whole database back."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orm_reference as orm
import pytest
from dbdump import dump

from tuicrm.config import DEFAULT
from tuicrm.db import BUSY_TIMEOUT_MS, SYNCHRONOUS
from tuicrm.models import Customer, Opportunity
from tuicrm.store import Store
from tuicrm.store import customers as store_customers
from tuicrm.store import followups as store_followups
from tuicrm.store import pipeline as store_pipeline
from tuicrm.store import tiers as store_tiers
from tuicrm.store.lean import connect as lean_connect
from tuicrm.store.lean import writes
from tuicrm.store.undo import undo_operation, undo_preview

Lean = Callable[[sqlite3.Connection, Any, Any], Any]
Session = Callable[[Any, Any], Any]


def _one(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


NEW_CUSTOMER = "SELECT min(id) FROM customer WHERE first_contact_on IS NULL AND archived_at IS NULL"


def _base(demo_db: Any) -> Path:
    """A small demo database with one customer never contacted yet (customer 2)."""
    path: Path = demo_db(40, 3)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE customer SET first_contact_on = NULL WHERE id = 2")
    conn.commit()
    conn.close()
    return path


OPEN_OPP = "SELECT min(id) FROM opportunity WHERE stage = 'proposal'"
WON_OPP = "SELECT min(id) FROM opportunity WHERE stage = 'won'"
FIELDS: dict[str, Any] = {
    "alias": "Acme",
    "phone": "+86 138-0000-1111",
    "email": "ops@acme.example",
    "tier": "b",
    "status": "intent",
    "next_follow_up_on": date(2026, 12, 1),
}


def cases(path: Path) -> dict[str, tuple[str, Lean, Session, Session]]:
    """name: (label, lean write, the store's session adapter (TUI), the old ORM write)."""
    new = _one(path, NEW_CUSTOMER)
    open_opp, won_opp = _one(path, OPEN_OPP), _one(path, WON_OPP)

    def cust(s: Any, cid: int = 1) -> Customer:
        return store_customers.get_customer(s, cid)

    def opp(s: Any, oid: int) -> Opportunity:
        found = s.get(Opportunity, oid)
        assert found is not None
        return found

    return {
        "log auto": (
            "log",
            lambda c, log, cfg: writes.log_follow_up(c, log, cfg, 1, " called ", channel="Email"),
            lambda s, cfg: store_followups.log_follow_up(s, cfg, cust(s), " called ", channel="Email"),
            lambda s, cfg: orm.log_follow_up(s, cfg, cust(s), " called ", channel="Email"),
        ),
        "log first contact": (
            "log",
            lambda c, log, cfg: writes.log_follow_up(
                c, log, cfg, new, "met", next_on=date(2026, 12, 3), next_action="quote", attitude="positive"
            ),
            lambda s, cfg: store_followups.log_follow_up(
                s,
                cfg,
                cust(s, new),
                "met",
                next_on=date(2026, 12, 3),
                next_action="quote",
                attitude="positive",
            ),
            lambda s, cfg: orm.log_follow_up(
                s,
                cfg,
                cust(s, new),
                "met",
                next_on=date(2026, 12, 3),
                next_action="quote",
                attitude="positive",
            ),
        ),
        "snooze": (
            "snooze",
            lambda c, log, cfg: writes.snooze(c, log, 1, date(2026, 12, 9), "away"),
            lambda s, cfg: store_followups.snooze(s, cust(s), date(2026, 12, 9), "away"),
            lambda s, cfg: orm.snooze(s, cust(s), date(2026, 12, 9), "away"),
        ),
        "assess": (
            "assess",
            lambda c, log, cfg: writes.assess(c, log, cfg, 1, 9, 8, basis="big"),
            lambda s, cfg: store_tiers.assess_customer(s, cfg, cust(s), 9, 8, basis="big"),
            lambda s, cfg: orm.assess_customer(s, cfg, cust(s), 9, 8, basis="big"),
        ),
        "add customer": (
            "add customer",
            lambda c, log, cfg: writes.create_customer(c, log, " Acme Ltd ", **FIELDS),
            lambda s, cfg: store_customers.create_customer(s, " Acme Ltd ", **FIELDS),
            lambda s, cfg: orm.create_customer(s, " Acme Ltd ", **FIELDS),
        ),
        "move won": (
            "move",
            lambda c, log, cfg: writes.move_opportunity(c, log, cfg, open_opp, "won", note="signed"),
            lambda s, cfg: store_pipeline.move_opportunity(s, cfg, opp(s, open_opp), "won", note="signed"),
            lambda s, cfg: orm.move_opportunity(s, cfg, opp(s, open_opp), "won", note="signed"),
        ),
        "move lost": (
            "move",
            lambda c, log, cfg: writes.move_opportunity(c, log, cfg, open_opp, "lost", reason="price"),
            lambda s, cfg: store_pipeline.move_opportunity(s, cfg, opp(s, open_opp), "lost", reason="price"),
            lambda s, cfg: orm.move_opportunity(s, cfg, opp(s, open_opp), "lost", reason="price"),
        ),
        "reopen won": (
            "move",
            lambda c, log, cfg: writes.move_opportunity(c, log, cfg, won_opp, "negotiation"),
            lambda s, cfg: store_pipeline.move_opportunity(s, cfg, opp(s, won_opp), "negotiation"),
            lambda s, cfg: orm.move_opportunity(s, cfg, opp(s, won_opp), "negotiation"),
        ),
    }


CASES = [
    "log auto",
    "log first contact",
    "snooze",
    "assess",
    "add customer",
    "move won",
    "move lost",
    "reopen won",
]


def _lean(path: Path, label: str, write: Lean) -> Any:
    conn = lean_connect.write_connection(str(path))
    assert conn is not None
    try:
        with lean_connect.transaction(conn, label) as log:
            return write(conn, log, DEFAULT)
    finally:
        conn.close()


def _session(path: Path, label: str, write: Session) -> Any:
    store = Store.open(str(path))
    try:
        with store.write(label) as session:
            return write(session, store.config)
    finally:
        store.dispose()


def _copy(src: Path, name: str) -> Path:
    dest = src.parent / name / "crm.db"
    dest.parent.mkdir(mode=0o700)
    shutil.copy(src, dest)
    return dest


@pytest.mark.parametrize("name", CASES)
def test_lean_session_and_orm_leave_the_same_rows_and_undo_records(demo_db, name):
    base = _base(demo_db)
    label, lean, session, old = cases(base)[name]
    paths = {kind: _copy(base, kind) for kind in ("lean", "session", "orm")}
    _lean(paths["lean"], label, lean)
    _session(paths["session"], label, session)
    _session(paths["orm"], label, old)
    # The clock is pinned (TUICRM_NOW): the lean and the session paths agree to the microsecond.
    assert dump(paths["session"]) == dump(paths["lean"])
    # The old ORM path agrees but for timestamps: after an autoflush it logged an opportunity's
    # ``updated_at`` as already moved (undo then left the change's time); the lean log keeps the
    # true before-state, and undo restores it (test_undo_puts_the_whole_database_back).
    want = dump(paths["orm"], times=False)
    assert dump(paths["lean"], times=False) == want
    assert want != dump(base)


@pytest.mark.parametrize("name", CASES)
def test_undo_puts_the_whole_database_back(demo_db, name):
    path = _base(demo_db)
    label, lean, _session_write, _old = cases(path)[name]
    before = dump(path, undo_log=False, history=False)
    _lean(path, label, lean)
    assert dump(path, undo_log=False, history=False) != before
    store = Store.open(str(path))
    try:
        with store.write("undo", log=False) as session:
            preview = undo_preview(session)
            assert preview is not None and preview.label == label
            undo_operation(session, preview.operation_id)
    finally:
        store.dispose()
    assert dump(path, undo_log=False, history=False) == before


def test_a_write_that_fails_leaves_nothing(demo_db):
    path = demo_db(40, 3)
    before = dump(path)
    with pytest.raises(writes.StoreError):
        _lean(path, "move", lambda c, log, cfg: writes.move_opportunity(c, log, cfg, 1, "lost"))  # no reason
    with pytest.raises(writes.StoreError):
        _lean(path, "log", lambda c, log, cfg: writes.log_follow_up(c, log, cfg, 1, "  "))
    assert dump(path) == before


def test_the_write_connection_has_the_engines_pragmas(demo_db):
    assert (lean_connect.BUSY_TIMEOUT_MS, lean_connect.SYNCHRONOUS) == (BUSY_TIMEOUT_MS, SYNCHRONOUS)
    conn = lean_connect.write_connection(str(demo_db(40, 3)))
    assert conn is not None
    try:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        conn.close()


def test_no_lean_connection_where_the_store_must_write(tmp_path, demo_db):
    assert lean_connect.write_connection(str(tmp_path / "missing.db")) is None
    assert lean_connect.write_connection("postgresql://host/crm") is None
    old = demo_db(40, 3)
    conn = sqlite3.connect(old)
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.commit()
    conn.close()
    assert lean_connect.write_connection(str(old)) is None
