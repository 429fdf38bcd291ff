"""The issue #5 benchmark: ``python -m tuicrm.bench`` (``--small`` for a quick check).

Builds one large demo database (``tuicrm demo``, timed), then measures, each as the median
of several runs and against a baseline measured in the same run:

1. TUI: process start → first paint with the overdue panel filled and the customer list
   showing (headless, 120×40), against an empty Textual app's first paint;
2. ``tuicrm due``, ``tuicrm find <fragment>``, ``tuicrm show <code>``: whole-process wall
   time, against a Python process that runs the same SQL (captured from the fast path)
   through ``sqlite3``;
3. search-as-you-type: keystroke → updated customer list, and one page of scrolling (Pilot);
4. ``tuicrm import`` of a 100 000-row CSV (when the import command exists);
5. peak RSS of the TUI on the large database.

Everything runs in child processes with the pinned ``TUICRM_NOW`` and bytecode caching on
(a warm-up run compiles it), so the figures are what a rep's second command costs. It prints
a table of median, baseline, ratio, target and pass/fail. Nothing here is imported by the
application.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

NOW = "2026-11-22T09:00"
SIZE = (120, 40)
FULL = {"customers": 100_000, "runs": 7, "tui_runs": 5, "import_rows": 100_000, "pages": 12, "warm_up": True}
SMALL = {"customers": 300, "runs": 2, "tui_runs": 1, "import_rows": 500, "pages": 3, "warm_up": False}
FIGURES = (
    "demo build",
    "TUI first paint",
    "keystroke → updated list",
    "scroll one page",
    "TUI peak RSS",
    "tuicrm due",
    "tuicrm find",
    "tuicrm show",
    "tuicrm due --json",
    "import",
)
# Keys come at a typist's pace: a fast typist's keys are 100 ms or more apart, and a held key
# repeats every 30-50 ms. (Back to back, each key would also wait out Textual's frame cap.)
TYPING_GAP = 0.1  # seconds before each typed key
REPEAT_GAP = 0.05  # seconds before each page down
TYPED = ["acme", "精密", "5678"]  # typed one character at a time: Latin, Chinese, phone digits


@dataclass
class Figure:
    name: str
    unit: str  # "s", "ms", "MB"
    samples: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    target: str = ""
    limit: float | None = None  # absolute target in `unit`
    ratio_limit: float | None = None  # target as a ratio to the baseline
    note: str = ""
    available: bool = True

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def base(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.base:
            return None
        return self.median / self.base

    @property
    def passed(self) -> bool | None:
        if not self.available or self.median is None:
            return None
        if self.ratio_limit is not None:
            return self.ratio is not None and self.ratio <= self.ratio_limit
        if self.limit is not None:
            return self.median <= self.limit
        return None


# -- processes ----------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = dict(os.environ, TUICRM_NOW=NOW, COLUMNS="120", LINES="40", PYTHONUNBUFFERED="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a rep's installed tuicrm has its bytecode cached
    env.pop("TUICRM_CONFIG", None)
    return env


def tuicrm_cmd() -> list[str]:
    return [sys.executable, "-m", "tuicrm"]


def wall(cmd: list[str], env: dict, *, check: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if check and result.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd[2:])} exited {result.returncode}: {result.stderr.strip()[:300]}")
    return elapsed


def until_ready(cmd: list[str], env: dict, timeout: float = 120) -> tuple[float, dict]:
    """Wall time from spawning ``cmd`` to its first ``READY {json}`` line, and that json."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        if not line.startswith("READY"):
            err = proc.stderr.read() if proc.poll() is not None else ""
            raise RuntimeError(f"no READY line: {line.strip()[:200]} {err.strip()[-400:]}")
        return elapsed, json.loads(line[len("READY") :].strip() or "{}")
    finally:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- child programs (run as `python -c`) ------------------------------------------------------------

CHILD_PAINT = r"""
import asyncio, importlib, json, os, resource, sys
mode, db, width, height = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
textual_app = importlib.import_module("textual.app")

def report():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write("READY " + json.dumps({"rss_mb": rss}) + "\n")
    sys.stdout.flush()
    os._exit(0)

def ready(app):
    if mode == "empty":
        return True
    from tuicrm.ui.screens.customers import CustomersScreen
    s = app.screen
    if not isinstance(s, CustomersScreen):
        return False
    t, p = s.table, s.panel
    return (p.data is not None and (p.display or not p.data.count) and t.total is not None
            and (t.total == 0 or t.row_at(0) is not None) and not t.busy)

original_run = textual_app.App.run

def run(self, **_kw):
    # The real program, headless at a fixed size, reporting the first paint with the data in.
    async def pilot(_p):
        while not ready(self):
            await asyncio.sleep(0.002)
        self.call_after_refresh(report)
    return original_run(self, headless=True, size=(width, height), auto_pilot=pilot)

textual_app.App.run = run
if mode == "empty":
    Static = importlib.import_module("textual.widgets").Static

    class Empty(textual_app.App):
        def compose(self):
            yield Static("tuicrm")

    Empty().run()
else:
    sys.argv = ["tuicrm", "--db", db]  # exactly what the rep types
    from tuicrm.cli import main
    main()
"""

CHILD_INTERACT = r'''
import asyncio, importlib, json, os, resource, sys, time
db, width, height, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
words = json.loads(sys.argv[5])
typing_gap, repeat_gap = float(sys.argv[6]), float(sys.argv[7])
from tuicrm.cli import open_store, state
state.db = db
store = open_store()
from tuicrm.ui.app import make_app
from tuicrm.ui.screens.customers import CustomersScreen
app = make_app(store, store.config)

events = importlib.import_module("textual.events")

def send(key):
    """A key as the terminal driver delivers it, without Pilot's waiting for the app to go idle."""
    char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app.post_message(event)

async def painted():
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()

async def settle(table, text=None, timeout=30.0):
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if (text is None or table.filter.text == text) and not table.busy and table.total is not None \
                and (table.total == 0 or table.row_at(table.cursor) is not None):
            await painted()
            return
        await asyncio.sleep(0.001)
    raise TimeoutError("the list did not update")

async def pilot(p):
    out = {"keys": [], "pages": [], "errors": []}
    try:
        while not isinstance(app.screen, CustomersScreen) or app.screen.table.total is None:
            await asyncio.sleep(0.005)
        screen = app.screen
        table = screen.table
        await settle(table)
        # Startup work in workers (opening the store, quick_check, counts read ahead) finishes
        # first: a rep reads the panel before typing; this measures typing, not startup.
        end = time.perf_counter() + 60
        while time.perf_counter() < end and any(w.is_running for w in app.workers):
            await asyncio.sleep(0.01)
        await p.pause(0.3)
        for word in words:
            screen.focus_search()
            await p.pause()
            typed = ""
            for ch in word:
                typed += ch
                await asyncio.sleep(typing_gap)
                start = time.perf_counter()
                send(ch)
                await settle(table, typed)
                out["keys"].append(time.perf_counter() - start)
            screen.search.value = ""
            await settle(table, "")
        table.focus()
        await p.pause()
        for _ in range(pages):
            before = table.cursor
            await asyncio.sleep(repeat_gap)
            start = time.perf_counter()
            send("pagedown")
            while table.cursor == before:
                await asyncio.sleep(0.001)
            await settle(table)
            out["pages"].append(time.perf_counter() - start)
    except Exception as exc:  # reported, the parent prints "not available" with the reason
        out["errors"].append(f"{type(exc).__name__}: {exc}")
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write("READY " + json.dumps(out) + "\n")
    sys.stdout.flush()
    os._exit(0)

app.run(headless=True, size=(width, height), auto_pilot=pilot)
'''

CHILD_SQL = r"""
import json, sqlite3, sys
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for statement in json.load(open(sys.argv[2], encoding="utf-8")):
    conn.execute(statement).fetchall()
"""


# -- the steps ---------------------------------------------------------------------------------------


def build(db: Path, customers: int, env: dict, log) -> Figure:
    fig = Figure(
        f"demo build ({customers:,} customers)".replace(",", " "),
        "s",
        target="≤ 60 s",
        limit=60.0 if customers >= 100_000 else None,
    )
    if db.exists():
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            have = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
        if have == customers:
            log(f"reusing {db} ({have} customers)")
            fig.available = False
            fig.note = "reused an existing database (not timed)"
            return fig
        raise SystemExit(f"{db} exists with {have} customers; remove it or give another --db.")
    log(f"building {db} with {customers} customers …")
    fig.samples.append(
        wall(tuicrm_cmd() + ["--db", str(db), "demo", "--customers", str(customers), "--seed", "1"], env)
    )
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("customer", "contact", "followup", "opportunity", "tierassessment", "stagechange")
        }
    fig.note = ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items())
    return fig


def captured_sql(db: Path, command: list[str]) -> list[str]:
    """The statements the fast path runs for ``command``, with their values inlined."""
    from tuicrm import cli
    from tuicrm.query import cards, customers, followups
    from tuicrm.query.connect import connect
    from tuicrm.query.connect import today as light_today

    statements: list[str] = []
    conn = connect(str(db))
    if conn is None:
        raise RuntimeError("the fast path cannot read the benchmark database")
    conn.set_trace_callback(statements.append)
    today = light_today()
    try:
        if command[0] == "due":
            from tuicrm.config import load_config

            config = load_config()
            followups.due_counts(conn, today, 0)
            followups.due_top(conn, config, today, 0, cli.DUE_SHOWN)
        elif command[0] == "find":
            customers.find(conn, command[1], 50)
        else:
            cards.card(conn, customers.resolve(conn, command[1]), today)
    finally:
        conn.close()
    return [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def cli_figures(db: Path, env: dict, runs: int, work: Path, log, warm_up: bool = True) -> list[Figure]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        code = conn.execute(
            "SELECT code FROM customer ORDER BY id LIMIT 1 OFFSET ?",
            (conn.execute("SELECT count(*) FROM customer").fetchone()[0] // 2,),
        ).fetchone()[0]
    fragment = "精密"
    figures = []
    for command in (["due"], ["find", fragment], ["show", code]):
        label = "tuicrm " + " ".join(command)
        fig = Figure(label, "s", target="≤ 0.15 s", limit=0.15, note="baseline: python + sqlite3, same SQL")
        sql_file = work / f"sql-{command[0]}.json"
        sql_file.write_text(json.dumps(captured_sql(db, command), ensure_ascii=False), encoding="utf-8")
        base_cmd = [sys.executable, "-c", CHILD_SQL, str(db), str(sql_file)]
        cmd = tuicrm_cmd() + ["--db", str(db), *command]
        if warm_up:  # bytecode, page cache
            wall(cmd, env)
            wall(base_cmd, env)
        for _ in range(runs):
            fig.samples.append(wall(cmd, env))
            fig.baseline.append(wall(base_cmd, env))
        log(f"{label}: {fig.median:.3f} s (baseline {fig.base:.3f} s)")
        figures.append(fig)
    fig = Figure("tuicrm due --json (every item)", "s", note="informational, no target")
    cmd = tuicrm_cmd() + ["--db", str(db), "due", "--json"]
    for _ in range(max(1, runs // 2)):
        fig.samples.append(wall(cmd, env))
    figures.append(fig)
    return figures


def tui_available() -> str | None:
    """Whether the TUI exists (found, not imported: this process stays free of Textual)."""
    from importlib.util import find_spec

    for name in ("tuicrm.ui.app", "tuicrm.ui.screens.customers"):
        if find_spec(name) is None:
            return f"{name} does not exist yet"
    return None


def tui_figures(db: Path, env: dict, runs: int, pages: int, log, warm_up: bool = True) -> list[Figure]:
    paint = Figure(
        "TUI first paint (overdue panel + list)",
        "s",
        target="≤ 3× empty app",
        ratio_limit=3.0,
        note="baseline: empty Textual app, headless 120×40",
    )
    keys = Figure(
        "keystroke → updated list",
        "ms",
        target="≤ 30 ms",
        limit=30.0,
        note="typing " + ", ".join(TYPED) + "; baseline: the same count + first window queries alone "
        "(sqlite3, in process)",
    )
    scroll = Figure("scroll one page (pagedown)", "ms", target="≤ 16 ms", limit=16.0)
    rss = Figure("TUI peak RSS", "MB", target="≤ 150 MB", limit=150.0)
    figures = [paint, keys, scroll, rss]
    reason = tui_available()
    if reason:
        for f in figures:
            f.available = False
            f.note = f"not available: {reason}"
        return figures
    width, height = SIZE
    app_cmd = [sys.executable, "-c", CHILD_PAINT, "app", str(db), str(width), str(height)]
    empty_cmd = [sys.executable, "-c", CHILD_PAINT, "empty", str(db), str(width), str(height)]
    try:
        if warm_up:
            until_ready(app_cmd, env)
            until_ready(empty_cmd, env)
        peak = 0.0
        for _ in range(runs):
            elapsed, info = until_ready(app_cmd, env)
            paint.samples.append(elapsed)
            peak = max(peak, info.get("rss_mb", 0.0))
            paint.baseline.append(until_ready(empty_cmd, env)[0])
        log(f"TUI first paint: {paint.median:.3f} s (empty app {paint.base:.3f} s)")

        def interact(typing_gap: float, repeat_gap: float) -> dict:
            _elapsed, info = until_ready(
                [
                    sys.executable,
                    "-c",
                    CHILD_INTERACT,
                    str(db),
                    str(width),
                    str(height),
                    str(pages),
                    json.dumps(TYPED),
                    str(typing_gap),
                    str(repeat_gap),
                ],
                env,
                timeout=300,
            )
            if info.get("errors"):
                raise RuntimeError("; ".join(info["errors"]))
            return info

        info = interact(TYPING_GAP, REPEAT_GAP)
        keys.samples = [t * 1000 for t in info["keys"]]
        keys.baseline = search_alone(db, runs=3)
        scroll.samples = [t * 1000 for t in info["pages"]]
        # The same keys back to back (the next one as soon as the last is painted): that adds
        # the wait for Textual's next frame slot (at most 60 a second), which no typist sees.
        burst = interact(0.0, 0.0)
        burst_keys = statistics.median(burst["keys"]) * 1000 if burst["keys"] else float("nan")
        burst_pages = statistics.median(burst["pages"]) * 1000 if burst["pages"] else float("nan")
        keys.note += (
            (
                f"; a key {TYPING_GAP * 1000:.0f} ms after the last; worst {max(keys.samples):.0f} ms; "
                f"back to back: median {burst_keys:.1f} ms"
            )
            if keys.samples
            else ""
        )
        scroll.note = (
            (
                f"{len(scroll.samples)} pages from the top, {REPEAT_GAP * 1000:.0f} ms apart (key repeat); "
                f"worst {max(scroll.samples):.0f} ms; back to back: median {burst_pages:.1f} ms"
            )
            if scroll.samples
            else ""
        )
        rss.samples = [max(peak, info.get("rss_mb", 0.0), burst.get("rss_mb", 0.0))]
        rss.note = "first paint, typing and scrolling"
    except Exception as exc:
        for f in figures:
            if not f.samples:
                f.available = False
                f.note = f"not available: {str(exc)[:200]}"
    return figures


def search_alone(db: Path, runs: int) -> list[float]:
    """Milliseconds of the list's own queries (count + a 120-row window) for each typed prefix."""
    from tuicrm.query.connect import connect
    from tuicrm.query.customers import list_window
    from tuicrm.query.filters import CustomerFilter

    conn = connect(str(db))
    if conn is None:
        return []
    out = []
    try:
        for word in TYPED:
            for n in range(1, len(word) + 1):
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    list_window(conn, CustomerFilter(text=word[:n]), offset=0, limit=120)
                    times.append((time.perf_counter() - start) * 1000)
                out.append(statistics.median(times))
    finally:
        conn.close()
    return out


def import_available(env: dict) -> str | None:
    result = subprocess.run(tuicrm_cmd() + ["import", "--help"], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        return "tuicrm import does not exist yet"
    return None


def write_csv(path: Path, rows: int) -> None:
    import csv
    import random

    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "alias", "industry", "status", "tier", "phone", "email", "source", "notes"])
        for n in range(rows):
            w.writerow(
                [
                    f"Import Test {n:06d} {rng.choice(['Ltd', 'GmbH', '有限公司'])}",
                    f"IT{n}",
                    rng.choice(["制造业", "Software", "Retail"]),
                    rng.choice(["potential", "intent", "won"]),
                    rng.choice("ABCD"),
                    f"139{n:08d}",
                    f"it{n}@import.example",
                    "import",
                    "",
                ]
            )


def import_figure(rows: int, env: dict, work: Path, log) -> Figure:
    fig = Figure(
        f"import {rows:,}-row CSV".replace(",", " "),
        "s",
        target="≤ 10 s",
        limit=10.0 if rows >= 100_000 else None,
        note="into an empty database",
    )
    reason = import_available(env)
    if reason:
        fig.available = False
        fig.note = f"not available: {reason}"
        return fig
    csv_path = work / "import.csv"
    write_csv(csv_path, rows)
    for n in range(2):
        target = work / f"import-{n}.db"
        try:
            fig.samples.append(wall(tuicrm_cmd() + ["--db", str(target), "import", str(csv_path)], env))
        except RuntimeError as exc:
            fig.available = False
            fig.note = f"not available: {str(exc)[:200]}"
            break
    if fig.samples:
        log(f"import: {fig.median:.2f} s")
    return fig


# -- report ------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load": load,
    }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def render(figures: list[Figure], info: dict, started: datetime, customers: int) -> str:
    head = (
        f"tuicrm benchmark — {started:%Y-%m-%d %H:%M} — {customers:,} customers".replace(",", " ")
        + f"\nmachine: {info['cpus']} CPUs, {info['cpu']}, {info['ram']} RAM; Python {info['python']}, "
        f"SQLite {info['sqlite']}; load average at the start {info['load']}"
    )
    header = ["figure", "median", "baseline", "ratio", "target", "result"]
    rows = []
    for f in figures:
        if not f.available and not f.samples:
            rows.append([f.name, "not available", "—", "—", f.target or "—", "n/a"])
            continue
        result = {True: "pass", False: "FAIL", None: "—"}[f.passed]
        rows.append(
            [
                f.name,
                fmt(f.median, f.unit),
                fmt(f.base, f.unit),
                f"{f.ratio:.2f}×" if f.ratio is not None else "—",
                f.target or "—",
                result,
            ]
        )
    from tuicrm.cli import _cell_width, _pad

    widths = [max(_cell_width(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = [head, ""]
    for r in [header, ["-" * w for w in widths]] + rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    if notes:
        lines += ["", "notes:"] + notes
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tuicrm.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--small", action="store_true", help="A quick run on a tiny database (the test suite's)."
    )
    parser.add_argument("--customers", type=int, help="Demo size (default 100 000; --small: 300).")
    parser.add_argument("--runs", type=int, help="Runs per figure (default 7; --small: 3).")
    parser.add_argument("--db", help="Build the database here, or reuse it if it has that many customers.")
    parser.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    args = parser.parse_args(argv)
    cfg = dict(SMALL if args.small else FULL)
    if args.customers:
        cfg["customers"] = args.customers
    if args.runs:
        cfg["runs"] = cfg["tui_runs"] = args.runs
    started = datetime.now()
    info = machine()
    env = child_env()

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="tuicrm-bench-") as tmp:
        work = Path(tmp)
        env.update(
            HOME=str(work / "home"), XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config")
        )
        db = Path(args.db).expanduser().resolve() if args.db else work / "bench.db"
        os.environ.update(TUICRM_NOW=NOW)  # captured_sql runs the fast path in this process
        figures = [build(db, cfg["customers"], env, log)]
        figures += tui_figures(db, env, cfg["tui_runs"], cfg["pages"], log, cfg["warm_up"])
        figures += cli_figures(db, env, cfg["runs"], work, log, cfg["warm_up"])
        figures.append(import_figure(cfg["import_rows"], env, work, log))
    text = render(figures, info, started, cfg["customers"])
    print(text)
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(
                {
                    "started": started.isoformat(timespec="seconds"),
                    "machine": info,
                    "config": cfg,
                    "figures": [
                        {
                            "name": f.name,
                            "unit": f.unit,
                            "median": f.median,
                            "baseline": f.base,
                            "ratio": f.ratio,
                            "target": f.target,
                            "passed": f.passed,
                            "available": f.available,
                            "note": f.note,
                            "samples": f.samples,
                            "baseline_samples": f.baseline,
                        }
                        for f in figures
                    ],
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
