"""The bench database's receivables, payments and complaints (issue #18): the same rows every
run, added once, each receivable's received equal to its payments."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from tuicrm.bench.ledger import per_customers, populate
from tuicrm.store.customers import create_customer

NOW = datetime(2026, 11, 22, 9, 0)


def test_populate_ledger_is_deterministic_consistent_and_idempotent(store, db_path):
    with store.write("seed") as s:
        for n in range(5):
            create_customer(s, f"Customer {n}")
    assert per_customers(100_000) == (100_000, 10_000)
    added = populate(db_path, NOW, 60, 12)
    assert added["payments"] == 60 and added["complaints"] == 12 and added["receivables"] > 20
    assert populate(db_path, NOW, 60, 12) == {"receivables": 0, "payments": 0, "complaints": 0}
    with sqlite3.connect(db_path) as conn:
        bad = conn.execute(
            "SELECT r.code FROM receivable r WHERE r.received != "
            "(SELECT coalesce(sum(p.amount), 0) FROM payment p WHERE p.receivable_id = r.id) "
            "OR r.received > r.amount OR (r.paid_off_on IS NOT NULL) != (r.received = r.amount)"
        ).fetchall()
        assert bad == []
        states = {s for (s,) in conn.execute("SELECT DISTINCT status FROM complaint")}
        assert states <= {"open", "in-progress", "resolved", "closed"}
        first = conn.execute(
            "SELECT code, customer_id, amount, received FROM receivable ORDER BY id"
        ).fetchall()
        conn.execute("DELETE FROM payment")
        conn.execute("DELETE FROM receivable")
    populate(db_path, NOW, 60, 12)
    with sqlite3.connect(db_path) as conn:
        again = conn.execute(
            "SELECT code, customer_id, amount, received FROM receivable ORDER BY id"
        ).fetchall()
    assert again == first and first[0][0] == "R000001"


def test_the_tuicrm_reads_the_generated_ledger(store, db_path, monkeypatch):
    """The store's own reads agree with the generated rows (receivable list, the weekly report)."""
    from tests.cli_runner import run_main

    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    with store.write("seed") as s:
        for n in range(3):
            create_customer(s, f"Customer {n}")
    populate(db_path, NOW, 30, 6)
    store.dispose()
    out = run_main(["--db", str(db_path), "receivable", "list", "--json"])
    assert out.returncode == 0, out.stderr
    out = run_main(["--db", str(db_path), "report", "weekly", "--json"])
    assert out.returncode == 0, out.stderr
    out = run_main(["--db", str(db_path), "complaint", "list", "--json"])
    assert out.returncode == 0, out.stderr
