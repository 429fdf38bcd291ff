"""SIGKILL at a random moment, 100 times (issue #6, SPEC §10).

A zygote process (``workers.py zygote``) imports the store once and forks a
child per round, so each child is writing within milliseconds and the kill
lands anywhere: opening the database, inside a transaction, inside COMMIT,
between the commit and its acknowledgement. The child appends an ack line to a
file after every commit (``os.write``: in the kernel at once, so it survives the
kill). After each kill the database must pass ``integrity_check`` and
``foreign_key_check``, hold every acknowledged write, hold at most one
unacknowledged one (committed, killed before the ack), and no transaction may
be half-applied:

* ``log`` rounds: each transaction inserts a FollowUp, moves the customer's
  pending date/action and bumps its ``revenue_total`` counter, and writes an
  Operation with its undo rows. Counter == follow-ups per customer; the
  customer's next date/action == its last follow-up's; every follow-up has its
  undo row and every undo row its follow-up.
* ``bulk`` rounds: one transaction logs a follow-up on each of 25 customers and
  stamps them with a batch marker: every batch has all 25 or none.
* ``demo`` rounds: ``tuicrm demo``'s generator (one transaction per batch of 40
  customers with contacts, follow-ups, assessments, opportunities).
* ``import`` rounds: ``tuicrm import`` of a fresh 50-row CSV per file (one transaction, one undo
  step each): a file's customers are all there or none of them, with their undo rows.

The 100 rounds are planned once (one seeded random plan) and run in ``CHUNKS`` tests of their
own, each on its own database with its own zygote, so pytest-xdist runs them beside the rest
of the suite; ``test_the_plan_is_100_kills`` holds the plan to 100 rounds and the mode mix.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tuicrm.db import integrity_problems

WORKERS = Path(__file__).with_name("workers.py")
sys.path.insert(0, str(WORKERS.parent))
from workers import BULK_TAG, DEMO_BATCH, IMPORT_BATCH, LOOP_TAG  # noqa: E402

ROUNDS = 100
MIX = {"log": 60, "bulk": 15, "demo": 10, "import": 15}
CHUNKS = 4
LOOP_CUSTOMERS = 8
BULK_CUSTOMERS = 25
# Longest random delay before the kill, per kind of round (a bulk/demo transaction takes longer).
MAX_DELAY = {"log": 0.2, "bulk": 0.3, "demo": 0.35, "import": 0.4}


class Zygote:
    """The forking parent of the crash loops (see workers.py)."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run_and_kill(self, job: dict, after_acks: int, delay: float) -> dict:
        """Fork a loop, let it acknowledge ``after_acks`` commits, wait ``delay`` more, SIGKILL it."""
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read()[-3000:]
        pid = json.loads(line)["pid"]
        ack = Path(job["ack"])
        deadline = time.monotonic() + 60
        while after_acks and len(_acks(ack)) < after_acks and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # already gone: the status line below says why
            pass
        return json.loads(self.proc.stdout.readline())

    def close(self) -> str:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        return self.proc.stderr.read()


def _acks(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _check(db: Path) -> dict:
    """Everything that must hold after any crash. Returns what was committed, for the ack checks."""
    assert integrity_problems(db) == []
    conn = sqlite3.connect(db)
    try:
        q = conn.execute
        # log: counter == follow-ups; the customer's pending step is its last follow-up's.
        for cid, counter_cents, next_on, next_action in q(
            "SELECT id, revenue_total, next_follow_up_on, next_action FROM customer WHERE tags IN (?, ?)",
            (LOOP_TAG, BULK_TAG),
        ):
            n = q("SELECT COUNT(*) FROM followup WHERE customer_id = ?", (cid,)).fetchone()[0]
            assert (counter_cents or 0) == n * 100, (cid, counter_cents, n)
            last = q(
                "SELECT next_on, next_action FROM followup WHERE customer_id = ? ORDER BY id DESC LIMIT 1",
                (cid,),
            ).fetchone()
            assert (next_on, next_action) == (last or (None, None)), cid
        # Every follow-up written through the store has its undo row, and every undo row its follow-up
        # (sets in Python: operationrow has no index on row_id, and the app never needs one).
        logged = {
            r[0]
            for r in q(
                """SELECT f.id FROM followup f JOIN customer c ON c.id = f.customer_id
                                      WHERE c.tags IN (?, ?)""",
                (LOOP_TAG, BULK_TAG),
            )
        }
        all_followups = {r[0] for r in q("SELECT id FROM followup")}
        undo_inserts = [
            r[0]
            for r in q("SELECT row_id FROM operationrow WHERE table_name = 'followup' AND action = 'insert'")
        ]
        assert logged <= set(undo_inserts) and set(undo_inserts) <= all_followups
        assert len(undo_inserts) == len(set(undo_inserts))
        assert (
            q("""SELECT COUNT(*) FROM operation o
                    WHERE NOT EXISTS (SELECT 1 FROM operationrow r WHERE r.operation_id = o.id)""").fetchone()[
                0
            ]
            == 0
        )
        per_op = q("""SELECT o.id, SUM(r.table_name = 'followup' AND r.action = 'insert'),
                             SUM(r.table_name = 'customer' AND r.action = 'update')
                      FROM operation o JOIN operationrow r ON r.operation_id = o.id
                      WHERE o.label LIKE 'kill-log %' GROUP BY o.id""").fetchall()
        assert all(fu == 1 and cu >= 1 for _, fu, cu in per_op), per_op
        # bulk: a batch is on all 25 customers or on none; they all carry the last batch's marker.
        batches = dict(
            q("SELECT summary, COUNT(*) FROM followup WHERE summary LIKE 'batch %' GROUP BY summary")
        )
        assert all(n == BULK_CUSTOMERS for n in batches.values()), batches
        markers = {r[0] for r in q("SELECT needs FROM customer WHERE tags = ?", (BULK_TAG,))}
        assert len(markers) == 1, markers
        # demo: whole batches only; no customer without the follow-ups written with it.
        demo_customers = q("SELECT COUNT(*) FROM customer WHERE owner = 'demo'").fetchone()[0]
        assert demo_customers % DEMO_BATCH == 0, demo_customers
        assert (
            q("""SELECT COUNT(*) FROM customer c WHERE c.owner = 'demo' AND NOT EXISTS
                    (SELECT 1 FROM followup f WHERE f.customer_id = c.id)""").fetchone()[0]
            == 0
        )
        # import: whole files only, each with its undo rows.
        files: dict[str, int] = {}
        for (name,) in q("SELECT name FROM customer WHERE name LIKE 'Imp %'"):
            batch = name[4:].rsplit("-", 1)[0]
            files[batch] = files.get(batch, 0) + 1
        assert all(n == IMPORT_BATCH for n in files.values()), files
        imported_ops = q(
            """SELECT COUNT(*) FROM operation o WHERE o.label LIKE 'import import-%'"""
        ).fetchone()[0]
        assert imported_ops == len(files), (imported_ops, files)
        return {
            "import": {f"import {b}" for b in files},
            "log": {str(r[0]) for r in q("SELECT id FROM followup WHERE summary LIKE 'round %'")},
            "bulk": set(batches),
            "demo_batches": demo_customers // DEMO_BATCH,
        }
    finally:
        conn.close()


@dataclass(frozen=True)
class Round:
    seed: int
    mode: str
    after_acks: int  # let the loop acknowledge this many commits first (0: kill from the fork on)
    delay: float  # then wait this long before the SIGKILL


def plan() -> list[list[Round]]:
    """The 100 rounds, in ``CHUNKS`` chunks of 25 with the same mode mix each (within one).

    Half the kills land anywhere from the fork on (opening the file included), half once the loop
    has committed at least once; the first round of each mode in a chunk is of the second kind, so
    every kind of round is sure to write in every chunk.
    """
    rng = random.Random(20261122)
    modes = [mode for mode, n in MIX.items() for _ in range(n)]
    rng.shuffle(modes)
    rounds = [
        Round(seed, mode, rng.choice((0, 1)), rng.uniform(0, MAX_DELAY[mode]))
        for seed, mode in enumerate(modes)
    ]
    chunks: list[list[Round]] = [[] for _ in range(CHUNKS)]
    turn = dict.fromkeys(MIX, 0)
    for r in rounds:  # each mode dealt round-robin over the chunks, rounds kept in plan order
        chunks[turn[r.mode] % CHUNKS].append(r)
        turn[r.mode] += 1
    for chunk in chunks:
        seen: set[str] = set()
        for i, r in enumerate(chunk):
            if r.mode not in seen:
                seen.add(r.mode)
                chunk[i] = Round(r.seed, r.mode, 1, r.delay)
    return chunks


def test_the_plan_is_100_kills():
    chunks = plan()
    rounds = [r for chunk in chunks for r in chunk]
    assert len(rounds) == ROUNDS and sorted(r.seed for r in rounds) == list(range(ROUNDS))
    assert {m: sum(r.mode == m for r in rounds) for m in MIX} == MIX
    assert all({r.mode for r in chunk} == set(MIX) for chunk in chunks)
    assert 0.3 < sum(r.after_acks for r in rounds) / ROUNDS < 0.7  # about half of each kind


@pytest.mark.slow(seconds=8)
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_sigkill_at_random_moments_leaves_a_consistent_database(tmp_path, store, chunk):
    from tuicrm.store.customers import create_customer

    with store.write("setup") as s:
        for i in range(LOOP_CUSTOMERS):
            create_customer(s, f"Loop customer {i}", tags=LOOP_TAG, status="intent", phone=f"1380000{i:04d}")
        for i in range(BULK_CUSTOMERS):
            create_customer(s, f"Bulk customer {i}", tags=BULK_TAG)
    store.dispose()
    db = Path(store.path)

    rounds = plan()[chunk]
    committed = _check(db)
    acked_demo = 0
    stats = {"log": 0, "bulk": 0, "demo": 0, "import": 0, "unacked_commits": 0, "killed": 0}
    zygote = Zygote()
    started = time.monotonic()
    try:
        for r in rounds:
            seed, mode = r.seed, r.mode
            ack = tmp_path / f"ack-{seed}"
            status = zygote.run_and_kill(
                {"mode": mode, "db": str(db), "ack": str(ack), "seed": seed},
                after_acks=r.after_acks,
                delay=r.delay,
            )
            assert status["signal"] == signal.SIGKILL, (seed, mode, status)  # it was still writing
            stats["killed"] += 1
            acked = _acks(ack)
            before, committed = committed, _check(db)
            if mode == "demo":
                new = committed["demo_batches"] - before["demo_batches"]
                acked_demo += len(acked)
                assert committed["demo_batches"] >= acked_demo, (seed, acked)
                extra = new - len(acked)
            else:
                new_rows = committed[mode] - before[mode]
                assert set(acked) <= new_rows, (
                    seed,
                    mode,
                    set(acked) - new_rows,
                )  # no acknowledged write lost
                extra = len(new_rows) - len(acked)
            assert extra in (0, 1), (seed, mode, extra)  # at most the one killed between commit and ack
            stats[mode] += len(acked)
            stats["unacked_commits"] += extra
    finally:
        errors = zygote.close()
    elapsed = time.monotonic() - started
    print(f"{stats['killed']} kills in {elapsed:.1f}s; acknowledged commits {stats}", errors[-2000:])
    assert stats["killed"] == len(rounds)
    assert all(stats[mode] > 0 for mode in MAX_DELAY)

    # The next ordinary open (migrations check, WAL recovery) works and the data is usable.
    from tuicrm.clock import today
    from tuicrm.query.followups import due
    from tuicrm.store import Store

    again = Store.open(str(db))
    with again.reading() as conn:
        assert due(conn, again.config, today(), days=400)
    again.dispose()
    assert integrity_problems(db) == []
