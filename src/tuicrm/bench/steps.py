"""The benchmark's steps: build the database, then time the TUI, the commands and the import.

Every measurement runs in a child process started by a ``Target``: the interpreter and source
tree under test (``--python``, ``--src``), so the bench itself never imports the code it times.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuicrm.bench import children
from tuicrm.bench.figures import NOW, PINYIN, REPEAT_GAP, SIZE, TYPED, TYPING_GAP, Figure

Log = Callable[[str], None]


@dataclass
class Target:
    """The code under test: an interpreter (a venv's ``python``) and, optionally, a source tree
    put first on the children's ``PYTHONPATH`` (its ``src/`` when it has one)."""

    python: str = sys.executable
    src: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = dict(os.environ, TUICRM_NOW=NOW, COLUMNS="120", LINES="40", PYTHONUNBUFFERED="1")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a rep's installed tuicrm has its bytecode cached
        env.pop("TUICRM_CONFIG", None)
        if self.src is not None:
            root = self.src / "src" if (self.src / "src" / "tuicrm").is_dir() else self.src
            if not (root / "tuicrm").is_dir():
                raise SystemExit(f"{self.src} holds no tuicrm package (looked in {root}).")
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
        env.update(self.env)
        self.env = env

    def tuicrm(self, *args: str) -> list[str]:
        return [self.python, "-m", "tuicrm", *args]

    def child(self, program: str, *args: str) -> list[str]:
        return [self.python, "-c", program, *args]

    def probe(self, what: str, db: Path | str, arg: Any = None) -> Any:
        """Run ``children.PROBE`` under the target and return its JSON answer."""
        r = subprocess.run(
            self.child(children.PROBE, what, str(db), json.dumps(arg, ensure_ascii=False)),
            env=self.env,
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            raise RuntimeError(f"probe {what} exited {r.returncode}: {r.stderr.strip()[-400:]}")
        return json.loads(r.stdout.strip().splitlines()[-1])

    def describe(self) -> str:
        """Which tuicrm the children import, with which interpreter."""
        try:
            where = self.probe("code", "")
        except RuntimeError as exc:
            where = f"(cannot import tuicrm: {exc})"
        return f"{Path(where).parent} with {self.python}"


def wall(cmd: list[str], env: dict[str, str], *, check: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if check and result.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd[2:])} exited {result.returncode}: {result.stderr.strip()[:300]}")
    return elapsed


def until_ready(cmd: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, dict[str, Any]]:
    """Wall time from spawning ``cmd`` to its first ``READY {json}`` line, and that json."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None  # both piped
    try:
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        if not line.startswith("READY"):
            err = proc.stderr.read() if proc.poll() is not None else ""
            raise RuntimeError(f"no READY line: {line.strip()[:200]} {err.strip()[-400:]}")
        info: dict[str, Any] = json.loads(line[len("READY") :].strip() or "{}")
        return elapsed, info
    finally:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the steps ---------------------------------------------------------------------------------------


def build(db: Path, customers: int, target: Target, log: Log) -> Figure:
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
        wall(target.tuicrm("--db", str(db), "demo", "--customers", str(customers), "--seed", "1"), target.env)
    )
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("customer", "contact", "followup", "opportunity", "tierassessment", "stagechange")
        }
    fig.note = ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items())
    return fig


def captured_sql(db: Path, command: list[str], target: Target) -> list[str]:
    """The statements the fast path runs for ``command``, with their values inlined."""
    statements: list[str] = target.probe("capture", db, command)
    return statements


def cli_figures(
    db: Path, target: Target, runs: int, work: Path, log: Log, warm_up: bool = True
) -> list[Figure]:
    env = target.env
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
        sql_file.write_text(
            json.dumps(captured_sql(db, command, target), ensure_ascii=False), encoding="utf-8"
        )
        base_cmd = target.child(children.SQL, str(db), str(sql_file))
        cmd = target.tuicrm("--db", str(db), *command)
        if warm_up:  # bytecode, page cache
            wall(cmd, env)
            wall(base_cmd, env)
        for _ in range(runs):
            fig.samples.append(wall(cmd, env))
            fig.baseline.append(wall(base_cmd, env))
        log(f"{label}: {fig.median:.3f} s (baseline {fig.base:.3f} s)")
        figures.append(fig)
    fig = Figure("tuicrm due --json (every item)", "s", note="informational, no target")
    cmd = target.tuicrm("--db", str(db), "due", "--json")
    for _ in range(max(1, runs // 2)):
        fig.samples.append(wall(cmd, env))
    figures.append(fig)
    return figures


def tui_available(target: Target) -> str | None:
    """Whether the TUI exists in the target (found, not imported)."""
    missing = target.probe("missing", "", ["tuicrm.ui.app", "tuicrm.ui.screens.customers"])
    return f"{missing[0]} does not exist yet" if missing else None


def tui_figures(
    db: Path, target: Target, runs: int, pages: int, log: Log, warm_up: bool = True
) -> list[Figure]:
    env = target.env
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
        note="typing " + ", ".join(TYPED[:-1]) + "; baseline: the same count + first window queries alone "
        "(sqlite3, in process)",
    )
    # The same typing run's last word, the pinyin initials: its keys reported apart (issue #19).
    pinyin = Figure(
        f"keystroke → updated list (pinyin {PINYIN})",
        "ms",
        target="≤ 30 ms",
        limit=30.0,
        note=f"typing {PINYIN} (北京华信) after the others; baseline: its count + first window queries alone",
    )
    scroll = Figure("scroll one page (pagedown)", "ms", target="≤ 16 ms", limit=16.0)
    rss = Figure("TUI peak RSS", "MB", target="≤ 150 MB", limit=150.0)
    figures = [paint, keys, pinyin, scroll, rss]
    reason = tui_available(target)
    if reason:
        for f in figures:
            f.available = False
            f.note = f"not available: {reason}"
        return figures
    width, height = SIZE
    app_cmd = target.child(children.PAINT, "app", str(db), str(width), str(height))
    empty_cmd = target.child(children.PAINT, "empty", str(db), str(width), str(height))
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

        def interact(typing_gap: float, repeat_gap: float) -> dict[str, Any]:
            _elapsed, info = until_ready(
                target.child(
                    children.INTERACT,
                    str(db),
                    str(width),
                    str(height),
                    str(pages),
                    json.dumps(TYPED),
                    str(typing_gap),
                    str(repeat_gap),
                ),
                env,
                timeout=300,
            )
            if info.get("errors"):
                raise RuntimeError("; ".join(info["errors"]))
            return info

        info = interact(TYPING_GAP, REPEAT_GAP)
        split = -len(PINYIN)  # TYPED's last word is the pinyin one
        typed = [t * 1000 for t in info["keys"]]
        keys.samples, pinyin.samples = typed[:split], typed[split:]
        alone = search_alone(db, target, runs=3)
        keys.baseline, pinyin.baseline = alone[:split], alone[split:]
        scroll.samples = [t * 1000 for t in info["pages"]]
        # The same keys back to back (the next one as soon as the last is painted): that adds
        # the wait for Textual's next frame slot (at most 60 a second), which no typist sees.
        burst = interact(0.0, 0.0)
        burst_keys = statistics.median(burst["keys"][:split]) * 1000 if burst["keys"] else float("nan")
        burst_pinyin = statistics.median(burst["keys"][split:]) * 1000 if burst["keys"] else float("nan")
        burst_pages = statistics.median(burst["pages"]) * 1000 if burst["pages"] else float("nan")
        keys.note += (
            (
                f"; a key {TYPING_GAP * 1000:.0f} ms after the last; worst {max(keys.samples):.0f} ms; "
                f"back to back: median {burst_keys:.1f} ms"
            )
            if keys.samples
            else ""
        )
        if pinyin.samples:
            pinyin.note += (
                f"; a key {TYPING_GAP * 1000:.0f} ms after the last; worst {max(pinyin.samples):.0f} ms; "
                f"back to back: median {burst_pinyin:.1f} ms"
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


def search_alone(db: Path, target: Target, runs: int) -> list[float]:
    """Milliseconds of the list's own queries (count + a 120-row window) for each typed prefix."""
    times: list[float] = target.probe("search", db, {"words": TYPED, "runs": runs})
    return times


def import_available(target: Target) -> str | None:
    result = subprocess.run(target.tuicrm("import", "--help"), env=target.env, capture_output=True, text=True)
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


def import_figure(rows: int, target: Target, work: Path, log: Log) -> Figure:
    fig = Figure(
        f"import {rows:,}-row CSV".replace(",", " "),
        "s",
        target="≤ 10 s",
        limit=10.0 if rows >= 100_000 else None,
        note="into an empty database",
    )
    reason = import_available(target)
    if reason:
        fig.available = False
        fig.note = f"not available: {reason}"
        return fig
    csv_path = work / "import.csv"
    write_csv(csv_path, rows)
    for n in range(2):
        db = work / f"import-{n}.db"
        try:
            fig.samples.append(wall(target.tuicrm("--db", str(db), "import", str(csv_path)), target.env))
        except RuntimeError as exc:
            fig.available = False
            fig.note = f"not available: {str(exc)[:200]}"
            break
    if fig.samples:
        log(f"import: {fig.median:.2f} s")
    return fig
