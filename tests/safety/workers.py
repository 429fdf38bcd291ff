"""Child processes for the safety tests, run as ``python workers.py MODE ...``.

Not a test module (no ``test_`` prefix). Every mode talks to its parent through
files and one JSON line on stdout, so the tests never depend on timing:

* ``writer DB N TAG GO``: wait for the file GO, then N read-modify-write
  transactions on customer 1 (log a follow-up, which reads and updates the
  customer, and bump ``revenue_total`` by 1 as a counter where a lost update
  would show). Prints ``{"tag", "done", "failures", "errors", "max_wait"}``.
* ``holder DB READY STOP``: what a rep's open TUI does to the file. Builds the
  app with ``tuicrm.ui.app.make_app`` and runs it headless when the TUI can be
  imported, keeps one long-lived read connection, and reloads the due list and a
  search in a loop until STOP exists. Touches READY once everything is open.
  Prints ``{"reads", "errors", "tui"}``.
* ``zygote``: imports the store once, then for every JSON line on stdin forks a
  child that runs a write loop (``log``, ``bulk``, ``demo`` or ``import``) and appends an
  acknowledgement line to an ack file after each commit. Prints the child's pid,
  waits for it (the test SIGKILLs it) and prints how it ended.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal


def _wait_for(path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {path}")
        time.sleep(0.005)


# -- two writers ------------------------------------------------------------------------------------


def writer(db: str, n: int, tag: str, go: str) -> None:
    from tuicrm.models import Customer
    from tuicrm.store import Store
    from tuicrm.store.followups import log_follow_up

    store = Store.open(db)
    _wait_for(go)
    failures, errors, max_wait, done = 0, [], 0.0, 0
    for i in range(n):
        started = time.perf_counter()
        try:
            with store.write(f"two-writers {tag} {i}") as s:
                customer = s.get(Customer, 1)
                log_follow_up(
                    s, store.config, customer, f"{tag} call {i}", next_on=None, next_action=f"{tag} step {i}"
                )
                customer.revenue_total = (customer.revenue_total or Decimal(0)) + 1
                s.add(customer)
            done += 1
        except Exception as exc:  # counted, and the first few reported to the test
            failures += 1
            if len(errors) < 5:
                errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        max_wait = max(max_wait, time.perf_counter() - started)
    store.dispose()
    print(
        json.dumps(
            {"tag": tag, "done": done, "failures": failures, "errors": errors, "max_wait": round(max_wait, 3)}
        ),
        flush=True,
    )


# -- the open TUI / long-lived reader ---------------------------------------------------------------


def _read_once(store) -> None:
    from tuicrm.clock import today
    from tuicrm.query.customers import find
    from tuicrm.query.followups import due, timeline

    with store.reading() as conn:
        due(conn, store.config, today(), days=7)
        find(conn, "acme", 50)
        timeline(conn, today())


def holder(db: str, ready: str, stop: str) -> None:
    import asyncio

    from tuicrm.store import Store

    store = Store.open(db)
    stats = {"reads": 0, "errors": [], "tui": False}

    # A connection that stays open for the whole run, as a TUI's pool does. It does
    # short read transactions (never one held across the run: that only grows the WAL).
    conn = store.engine.connect()

    def read_loop_step() -> None:
        try:
            conn.exec_driver_sql("SELECT COUNT(*), MAX(id) FROM followup").all()
            conn.rollback()
            _read_once(store)
            stats["reads"] += 1
        except Exception as exc:
            stats["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")

    try:
        from tuicrm.ui.app import make_app
    except ImportError:
        make_app = None

    if make_app is None:
        open(ready, "w").close()
        while not os.path.exists(stop):
            read_loop_step()
    else:

        async def run_tui() -> None:
            app = make_app(store, store.config)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                stats["tui"] = True
                open(ready, "w").close()
                while not os.path.exists(stop):
                    read_loop_step()
                    await pilot.pause(0.01)
                stats["tui_running"] = app.is_running

        asyncio.run(run_tui())
    conn.close()
    store.dispose()
    print(json.dumps(stats), flush=True)


# -- crash loops (forked from the zygote, killed by the test) --------------------------------------

LOOP_TAG = "loop"
BULK_TAG = "bulk"
DEMO_BATCH = 40


def _ack(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode())


def loop_log(db: str, ack: str, seed: int) -> None:
    """One follow-up per transaction on a random loop customer; ack its id after the commit."""
    from sqlmodel import select

    from tuicrm.models import Customer
    from tuicrm.store import Store
    from tuicrm.store.followups import log_follow_up

    rng = random.Random(seed)
    fd = os.open(ack, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    store = Store.open(db)
    with store.read() as s:
        ids = list(s.exec(select(Customer.id).where(Customer.tags == LOOP_TAG)))
    for i in range(1_000_000):
        with store.write(f"kill-log {seed} {i}") as s:
            customer = s.get(Customer, rng.choice(ids))
            fu = log_follow_up(
                s,
                store.config,
                customer,
                f"round {seed} call {i}",
                next_on=date(2027, 1, 1) + timedelta(days=rng.randrange(365)),
                next_action=f"step {seed}-{i}",
            )
            customer.revenue_total = (customer.revenue_total or Decimal(0)) + 1
            s.add(customer)
        _ack(fd, str(fu.id))


def loop_bulk(db: str, ack: str, seed: int) -> None:
    """One transaction touches every bulk customer: a follow-up each, counters, a batch marker."""
    from sqlmodel import select

    from tuicrm.models import Customer
    from tuicrm.store import Store
    from tuicrm.store.followups import log_follow_up

    fd = os.open(ack, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    store = Store.open(db)
    for i in range(1_000_000):
        marker = f"batch {seed}-{i}"
        with store.write(f"kill-bulk {marker}") as s:
            for customer in s.exec(select(Customer).where(Customer.tags == BULK_TAG).order_by(Customer.id)):
                log_follow_up(
                    s,
                    store.config,
                    customer,
                    marker,
                    next_on=date(2027, 6, 1) + timedelta(days=i % 300),
                    next_action=marker,
                )
                customer.revenue_total = (customer.revenue_total or Decimal(0)) + 1
                customer.needs = marker
                s.add(customer)
        _ack(fd, marker)


def loop_demo(db: str, ack: str, seed: int) -> None:
    """``tuicrm demo``'s generator: one big transaction per batch of customers."""
    from tuicrm.demo import generate
    from tuicrm.store import Store

    fd = os.open(ack, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    store = Store.open(db)
    for i in range(1_000_000):
        generate(store, customers=DEMO_BATCH, seed=seed * 1000 + i)
        _ack(fd, f"demo {seed}-{i}")


IMPORT_BATCH = 50


def loop_import(db: str, ack: str, seed: int) -> None:
    """``tuicrm import``: a fresh CSV of IMPORT_BATCH new customers per file, one transaction each."""
    from pathlib import Path

    from tuicrm.io.importing import import_files
    from tuicrm.store import Store

    fd = os.open(ack, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    store = Store.open(db)
    folder = Path(ack).parent
    for i in range(1_000_000):
        batch = f"{seed}-{i}"
        csv = folder / f"import-{batch}.csv"
        lines = ["name,phone,industry,status,notes"]
        lines += [
            f"Imp {batch}-{k:02d},13{seed:03d}{i:04d}{k:02d},Manufacturing,intent,imported row {k}"
            for k in range(IMPORT_BATCH)
        ]
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = import_files(store, [csv])
        assert not report.dry_run
        _ack(fd, f"import {batch}")


LOOPS = {"log": loop_log, "bulk": loop_bulk, "demo": loop_demo, "import": loop_import}


def zygote() -> None:
    # Import everything once; each fork then starts writing within milliseconds.
    from sqlalchemy.orm import configure_mappers

    import tuicrm.demo  # noqa: F401
    import tuicrm.io.importing  # noqa: F401
    import tuicrm.store.followups  # noqa: F401
    from tuicrm.store import Store  # noqa: F401

    configure_mappers()

    for raw in sys.stdin:
        job = json.loads(raw)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                LOOPS[job["mode"]](job["db"], job["ack"], job["seed"])
            except BaseException as exc:  # a loop never ends by itself; report why it did
                sys.stderr.write(f"child {job}: {type(exc).__name__}: {exc}\n")
                code = 3
            os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(
            json.dumps(
                {
                    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                    "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "writer":
        writer(args[0], int(args[1]), args[2], args[3])
    elif mode == "holder":
        holder(*args)
    elif mode == "zygote":
        zygote()
    else:
        raise SystemExit(f"unknown mode {mode}")
