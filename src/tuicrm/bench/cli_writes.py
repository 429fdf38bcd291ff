"""The benchmark's CLI-write step (issue #20): ``log``, ``snooze``, ``assess``, ``add customer``
and ``opp move`` on the large database, each against a same-run baseline: a Python process that
opens the file with ``sqlite3`` (the same pragmas) and makes the same change plus its undo rows
in one ``BEGIN IMMEDIATE`` transaction. Target: ≤ 2× the baseline or ≤ 0.2 s, whichever is larger.

Also ``tuicrm --help``, a shell-completion request (≤ 0.15 s each) and ``tuicrm due --count``
(≤ 1.5× python + sqlite3 running the same counts).

Runs on its own too: ``python -m tuicrm.bench.cli_writes DB [--runs N]`` (DB is written to:
give it a copy).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tuicrm.bench.figures import Figure
from tuicrm.bench.steps import Log, Target, wall

WRITE_LIMIT = 0.2  # seconds, or 2× the baseline when that is larger
QUICK_LIMIT = 0.15

# The baseline writes: (SQL, parameters) run by BASELINE below; "{…}" parameters are filled in.
_OP: list[tuple[str, list[object]]] = [
    (
        "INSERT INTO operation (label, at, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ["bench", "N", "N", "N"],
    ),
]


def _row(table: str, action: str) -> tuple[str, list[object]]:
    return (
        "INSERT INTO operationrow (operation_id, table_name, row_id, action, before, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ["OP", table, "ROW", action, '{"next_follow_up_on": {"d": "2026-11-22"}}', "N", "N"],
    )


BASELINES: dict[str, list[tuple[str, list[object]]]] = {
    "log": [
        (
            "INSERT INTO followup (customer_id, at, channel, summary, created_at, updated_at) "
            "VALUES (?, ?, 'phone', 'bench call', ?, ?)",
            ["CID", "N", "N", "N"],
        ),
        *_OP,
        _row("followup", "insert"),
        (
            "UPDATE customer SET next_follow_up_on = '2026-11-25', next_action = 'call', updated_at = ? "
            "WHERE id = ?",
            ["N", "CID"],
        ),
        _row("customer", "update"),
    ],
    "snooze": [
        (
            "INSERT INTO snooze (customer_id, to_on, at, created_at, updated_at) "
            "VALUES (?, '2026-11-27', ?, ?, ?)",
            ["CID", "N", "N", "N"],
        ),
        *_OP,
        _row("snooze", "insert"),
        ("UPDATE customer SET next_follow_up_on = '2026-11-27', updated_at = ? WHERE id = ?", ["N", "CID"]),
        _row("customer", "update"),
    ],
    "assess": [
        (
            "INSERT INTO tierassessment (customer_id, potential, willingness, total, tier, assessed_on, "
            "created_at, updated_at) VALUES (?, 8, 7, 15, 'A', '2026-11-22', ?, ?)",
            ["CID", "N", "N"],
        ),
        *_OP,
        _row("tierassessment", "insert"),
        ("UPDATE customer SET tier = 'A', updated_at = ? WHERE id = ?", ["N", "CID"]),
        _row("customer", "update"),
    ],
    "add customer": [
        (
            "INSERT INTO customer (code, name, status, tier, search_text, created_at, updated_at) "
            "VALUES ((SELECT 'C' || printf('%06d', coalesce(max(id), 0) + 1) FROM customer), ?, "
            "'potential', 'C', lower(?), ?, ?)",
            ["NAME", "NAME", "N", "N"],
        ),
        *_OP,
        _row("customer", "insert"),
    ],
    "opp move": [
        (
            "UPDATE opportunity SET stage = 'need', probability = 20, updated_at = ? WHERE id = ?",
            ["N", "OID"],
        ),
        (
            "INSERT INTO stagechange (opportunity_id, from_stage, to_stage, at, created_at, updated_at) "
            "VALUES (?, 'lead', 'need', ?, ?, ?)",
            ["OID", "N", "N", "N"],
        ),
        *_OP,
        _row("opportunity", "update"),
        _row("stagechange", "insert"),
    ],
}

# The baseline process: argv = db, JSON of statements, customer code, opportunity id, name.
BASELINE = r"""
import json, sqlite3, sys
from datetime import datetime, UTC
db, statements, code, opp, name = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
conn = sqlite3.connect(db, timeout=15, isolation_level=None)
for pragma in ("busy_timeout = 15000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
    conn.execute("PRAGMA " + pragma)
now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
conn.execute("BEGIN IMMEDIATE")
cid = conn.execute("SELECT id FROM customer WHERE code = ?", (code,)).fetchone()[0]
op = row = None
for sql, params in statements:
    values = []
    for p in params:
        values.append({"N": now, "CID": cid, "OID": int(opp), "NAME": name, "OP": op, "ROW": row}.get(p, p)
                      if isinstance(p, str) else p)
    cur = conn.execute(sql, values)
    if sql.startswith("INSERT INTO operation "):
        op = cur.lastrowid
    elif not sql.startswith("INSERT INTO operationrow"):
        row = cur.lastrowid if sql.startswith("INSERT") else (cid if "customer" in sql else int(opp))
conn.execute("COMMIT")
conn.close()
"""

# due --count's baseline: python + sqlite3 running the same counts. COUNT_TRACE runs ``due --count``
# once with sqlite3's trace callback and prints every statement it ran, values bound in;
# COUNT_BASELINE opens the file read-only and runs those statements, in one read snapshot as
# tuicrm does. So the baseline follows the counts (a new kind in the queue adds its count to both).
COUNT_TRACE = r"""
import json, sqlite3, sys
connect, ran = sqlite3.connect, []
def traced(*args, **kwargs):
    conn = connect(*args, **kwargs)
    conn.set_trace_callback(ran.append)
    return conn
sqlite3.connect = traced
from tuicrm.cli import main
sys.argv = ["tuicrm", "--db", sys.argv[1], "due", "--count"]
try:
    main()
except SystemExit:
    pass
sys.stdout.write("\n" + json.dumps([s for s in ran if s.lstrip().upper().startswith("SELECT")]) + "\n")
"""
COUNT_BASELINE = r"""
import json, sqlite3, sys
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
conn.execute("BEGIN")
for sql in json.loads(sys.argv[2]):
    conn.execute(sql).fetchall()
conn.execute("COMMIT")
"""


def count_statements(db: Path, target: Target) -> list[str]:
    """The SELECTs ``tuicrm due --count`` runs on ``db`` (bound values in), from COUNT_TRACE."""
    r = subprocess.run(
        target.child(COUNT_TRACE, str(db)), env=target.env, capture_output=True, text=True, check=True
    )
    statements: list[str] = json.loads(r.stdout.strip().splitlines()[-1])
    if not statements:
        raise RuntimeError("due --count ran no SELECT under the trace")
    return statements


def _pick(db: Path, runs: int) -> tuple[list[str], list[str]]:
    """Customers with a pending follow-up and open deals, newest first (cycled when few)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        codes = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM customer WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL "
                "ORDER BY id DESC LIMIT ?",
                (runs * 12,),
            )
        ]
        opps = [
            str(r[0])
            for r in conn.execute(
                "SELECT id FROM opportunity WHERE archived_at IS NULL "
                "AND stage IN ('lead', 'need', 'proposal', 'negotiation') ORDER BY id DESC LIMIT ?",
                (runs * 4,),
            )
        ]
    if not codes or not opps:
        raise RuntimeError("the database has no customer with a follow-up, or no open deal, to write to")
    return codes * (runs * 12 // len(codes) + 1), opps * (runs * 4 // len(opps) + 1)


def _other_stage(db: Path, opp: str) -> str:
    """A stage to move the deal to: ``need``, or ``proposal`` when it is in ``need`` already."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT stage FROM opportunity WHERE id = ?", (int(opp),)).fetchone()
    return "proposal" if row and row[0] == "need" else "need"


def write_figures(db: Path, target: Target, runs: int, log: Log, warm_up: bool = True) -> list[Figure]:
    """The five CLI writes against their sqlite3 baselines (the database is written to)."""
    env = target.env
    codes, opps = _pick(db, runs + 1)
    stamp = str(int(time.time()))
    figures = []
    for label, statements in BASELINES.items():
        fig = Figure(
            f"tuicrm {label}",
            "s",
            target="≤ 2× baseline or ≤ 0.2 s",
            note="baseline: python + sqlite3, same change + undo rows, BEGIN IMMEDIATE",
        )
        sql = json.dumps(statements)
        for n in range(runs + (1 if warm_up else 0)):
            code, opp = codes.pop(), opps.pop() if label == "opp move" else "0"
            name = f"Bench {stamp} {label} {n}"
            args = {
                "log": ["log", code, "bench call", "--next", "+3d"],
                "snooze": ["snooze", code, "+5d"],
                "assess": ["assess", code, "--potential", "8", "--willingness", "7"],
                "add customer": ["add", "customer", name],
                "opp move": ["opp", "move", opp, _other_stage(db, opp) if label == "opp move" else ""],
            }[label]
            took = wall(target.tuicrm("--db", str(db), *args), env)
            base_opp = opps.pop() if label == "opp move" else "0"
            base = wall(target.child(BASELINE, str(db), sql, codes.pop(), base_opp, name + " b"), env)
            if warm_up and n == 0:
                continue  # bytecode, page cache
            fig.samples.append(took)
            fig.baseline.append(base)
        assert fig.base is not None
        fig.limit = max(WRITE_LIMIT, 2 * fig.base)
        log(f"tuicrm {label}: {fig.median:.3f} s (baseline {fig.base:.3f} s)")
        figures.append(fig)
    return figures


def quick_figures(db: Path, target: Target, runs: int, log: Log) -> list[Figure]:
    """``tuicrm --help``, a completion request with customer names, and ``due --count``."""

    env = dict(target.env, TUICRM_DB=str(db))
    completion = dict(
        env,
        _TUICRM_COMPLETE="complete_fish",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
        _TYPER_COMPLETE_ARGS="tuicrm log Sum",
    )
    figures = []
    for label, cmd, cmd_env in (
        ("tuicrm --help", target.tuicrm("--help"), env),
        ("shell completion (customer names)", target.tuicrm(), completion),
    ):
        fig = Figure(label, "s", target=f"≤ {QUICK_LIMIT} s", limit=QUICK_LIMIT, note="no baseline")
        wall(cmd, cmd_env)
        fig.samples = [wall(cmd, cmd_env) for _ in range(runs)]
        log(f"{label}: {fig.median:.3f} s")
        figures.append(fig)
    statements = count_statements(db, target)
    fig = Figure(
        "tuicrm due --count",
        "s",
        target="≤ 1.5× baseline",
        ratio_limit=1.5,
        note=f"baseline: python + sqlite3 running the same {len(statements)} SELECTs, one read snapshot",
    )
    base_cmd = target.child(COUNT_BASELINE, str(db), json.dumps(statements))
    cmd = target.tuicrm("due", "--count")
    wall(cmd, env)
    wall(base_cmd, env)
    for _ in range(runs):
        fig.samples.append(wall(cmd, env))
        fig.baseline.append(wall(base_cmd, env))
    log(f"tuicrm due --count: {fig.median:.3f} s (baseline {fig.base:.3f} s)")
    figures.append(fig)
    return figures


def cli_write_figures(db: Path, target: Target, runs: int, log: Log, warm_up: bool = True) -> list[Figure]:
    """The step as ``tuicrm.bench.run`` calls it (the quick figures: medians of 10 in a full run)."""
    quick_runs = runs if runs < 5 else max(runs, 10)
    return quick_figures(db, target, quick_runs, log) + write_figures(db, target, runs, log, warm_up)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m tuicrm.bench.cli_writes", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("db", help="A tuicrm database to write to (a copy).")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--src", help="A source tree to measure instead (e.g. main's checkout, for before/after).")
    args = p.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    target = Target(args.python, Path(args.src).expanduser().resolve() if args.src else None)
    for fig in cli_write_figures(Path(args.db).resolve(), target, args.runs, log):
        verdict = {True: "ok", False: "MISSED", None: "-"}[fig.passed]
        base = f"{fig.base:.3f}" if fig.base is not None else "-"
        print(
            f"{fig.name:40} {fig.median:.3f} s  baseline {base}  limit {fig.limit or fig.ratio_limit}  {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
