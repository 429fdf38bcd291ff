"""The bench database's activities and leads (issue #17): the same rows every run, added once."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from tuicrm.bench.plans import per_customers, populate
from tuicrm.store.customers import create_customer

NOW = datetime(2026, 11, 22, 9, 0)


def test_populate_is_deterministic_and_idempotent(store, db_path, tmp_path):
    with store.write("seed") as s:
        for n in range(5):
            create_customer(s, f"Customer {n}")
    assert per_customers(100_000) == (50_000, 20_000)
    assert populate(db_path, NOW, 40, 10) == {"activities": 40, "leads": 10}
    assert populate(db_path, NOW, 40, 10) == {"activities": 0, "leads": 0}
    with sqlite3.connect(db_path) as conn:
        first = conn.execute(
            "SELECT code, customer_id, planned_start, status FROM activity ORDER BY id"
        ).fetchall()
        leads = conn.execute("SELECT code, score, score_class, status FROM lead ORDER BY id").fetchall()
        conn.execute("DELETE FROM activity")
        conn.execute("DELETE FROM lead")
    populate(db_path, NOW, 40, 10)
    with sqlite3.connect(db_path) as conn:
        assert (
            conn.execute(
                "SELECT code, customer_id, planned_start, status FROM activity ORDER BY id"
            ).fetchall()
            == first
        )
        assert (
            conn.execute("SELECT code, score, score_class, status FROM lead ORDER BY id").fetchall() == leads
        )
    assert first[0][0] == "A000001" and leads[-1][0] == "L000010"
    assert {c for _code, _s, c, _st in leads} <= {"high", "medium", "low"}
