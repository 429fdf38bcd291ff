"""The benchmark's command line: ``python -m tuicrm.bench [--small] [--python …] [--src …]``."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tuicrm.bench import ledger
from tuicrm.bench.cli_writes import cli_write_figures
from tuicrm.bench.figures import FULL, NOW, SMALL, machine, render
from tuicrm.bench.idle import idle_figure
from tuicrm.bench.outputs import export_figures, plan_figures, report_figures
from tuicrm.bench.plans import per_customers, populate
from tuicrm.bench.screens import interaction_figures
from tuicrm.bench.steps import Target, build, cli_figures, import_figure, tui_figures, wall
from tuicrm.bench.workbook import xlsx_import_figures


def parser() -> argparse.ArgumentParser:
    import tuicrm.bench

    p = argparse.ArgumentParser(
        prog="python -m tuicrm.bench", description=(tuicrm.bench.__doc__ or "").split("\n\n")[0]
    )
    p.add_argument("--small", action="store_true", help="A quick run on a tiny database (the test suite's).")
    p.add_argument("--customers", type=int, help="Demo size (default 100 000; --small: 300).")
    p.add_argument("--runs", type=int, help="Runs per figure (default 7; --small: 2).")
    p.add_argument(
        "--idle", type=float, help="Seconds of idle for the idle-CPU figure (default 20; --small: 1)."
    )
    p.add_argument("--db", help="Build the database here, or reuse it if it has that many customers.")
    p.add_argument(
        "--only",
        choices=("all", "outputs", "queue", "reports", "exports", "writes", "screens"),
        default="all",
        help="outputs: only the plan reads, reports and exports (issues #17, #20) on --db; queue: "
        "only the TUI, idle and read-command figures and the plan reads (the morning queue at scale); "
        "reports, exports: only those; writes: only the CLI writes, --help, completion and due --count "
        "(writes to --db: give it a copy); screens: only the screen switches, the log form and a saved "
        "follow-up (issue #20).",
    )
    p.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    p.add_argument(
        "--python",
        default=sys.executable,
        help="The interpreter that runs the code under test, e.g. another virtual environment's "
        "bin/python (default: this one).",
    )
    p.add_argument(
        "--src",
        help="A source tree to measure (a checkout, or its src/ folder): put first on the children's "
        "PYTHONPATH, ahead of what the interpreter has installed.",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    cfg = dict(SMALL if args.small else FULL)
    if args.customers:
        cfg["customers"] = args.customers
    if args.runs:
        cfg["runs"] = cfg["tui_runs"] = args.runs
    if args.idle:
        cfg["idle_seconds"] = args.idle
    started = datetime.now()
    info = machine()

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="tuicrm-bench-") as tmp:
        work = Path(tmp)
        home = {"HOME": str(work / "home"), "XDG_DATA_HOME": str(work / "data")}
        home["XDG_CONFIG_HOME"] = str(work / "config")
        target = Target(args.python, Path(args.src).expanduser().resolve() if args.src else None, home)
        info["code"] = target.describe()
        log(f"measuring {info['code']}")
        db = Path(args.db).expanduser().resolve() if args.db else work / "bench.db"
        figures = [build(db, cfg["customers"], target, log)]
        wall(target.tuicrm("--db", str(db), "due", "--count"), target.env)  # migrates a reused database
        activities, leads = per_customers(cfg["customers"])
        added = populate(db, datetime.fromisoformat(NOW), activities, leads)
        log(f"activities and leads: {activities} and {leads} (added {added})")
        payments, complaints = ledger.per_customers(cfg["customers"])
        added = ledger.populate(db, datetime.fromisoformat(NOW), payments, complaints)
        log(f"payments and complaints: {payments} and {complaints} (added {added})")
        if args.only in ("all", "queue"):
            figures += tui_figures(db, target, cfg["tui_runs"], cfg["pages"], log, cfg["warm_up"])
            figures.append(idle_figure(db, target, cfg["idle_seconds"], cfg["idle_settle"], log))
            figures += interaction_figures(
                db, target, max(2, cfg["tui_runs"] // 2 + 1), log, cfg["app_children"]
            )
            figures += cli_figures(db, target, cfg["runs"], work, log, cfg["warm_up"])
        if args.only == "screens":
            figures += interaction_figures(
                db, target, max(2, cfg["tui_runs"] // 2 + 1), log, cfg["app_children"]
            )
        if args.only in ("all", "writes"):
            figures += cli_write_figures(db, target, cfg["runs"], log, cfg["warm_up"])
        few = max(1, cfg["runs"] // 2)  # 18 report and 3 plan commands: fewer runs each
        if args.only in ("all", "outputs", "queue"):
            figures += plan_figures(db, target, few, log, cfg["warm_up"])
        if args.only in ("all", "outputs", "reports"):
            figures += report_figures(db, target, few, log, cfg["warm_up"])
        if args.only in ("all", "outputs", "exports"):
            figures += export_figures(db, target, work, log)
        if args.only == "all":
            figures.append(import_figure(cfg["import_rows"], target, work, log))
            figures += xlsx_import_figures(cfg["import_rows"], target, work, log)
    text = render(figures, info, started, cfg["customers"])
    print(text)
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(
                {
                    "started": started.isoformat(timespec="seconds"),
                    "machine": info,
                    "config": cfg,
                    "python": args.python,
                    "src": args.src,
                    "figures": [f.to_dict() for f in figures],
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0
