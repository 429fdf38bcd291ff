"""The benchmark's figures for reports, exports and the plan tables (issue #20 items 4 and 5,
issue #17): each report kind as a table and as ``--json``; each export format of the whole
database with its peak RSS; ``agenda --week``, ``due --count`` and ``lead list`` with the bench's
activities and leads in the database."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tuicrm.bench.figures import Figure
from tuicrm.bench.steps import Log, Target, wall

# Every ``tuicrm report`` kind (the current week and a finished one rebuilt from history), each
# as a table and as ``--json``: ≤ 0.5 s (issue #20).
REPORTS = (
    ("weekly",),
    ("weekly", "--week", "last"),
    ("funnel",),
    ("value",),
    ("forecast",),
    ("lost",),
    ("leads",),
    ("complaints",),
    ("receivables",),
)
REPORT_LIMIT = 0.5
# Reports timed against the least one process can do for their output (``bench.floors``).
FLOORS = ("value", "receivables")
# Run by path: importing the bench package first would add its own start-up to the floor.
_FLOOR = (
    "import runpy, sys; sys.argv[0] = 'floors'; "
    f"runpy.run_path({str(Path(__file__).with_name('floors.py'))!r}, run_name='__main__')"
)
# format -> (time target in s, or None: no target in the issue)
EXPORTS = {"csv": 5.0, "json": 10.0, "xlsx": 60.0, "ics": None, "vcf": None}
EXPORT_RSS_MB = 200.0


def timed_rss(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process, from its own rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[2:])} exited {proc.returncode}: {err.strip()[-300:]}")
    return elapsed, usage.ru_maxrss / 1024


def timed_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys) of one child process: on a shared machine the CPU
    time says what the command costs when the wall time also holds the wait for a core."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(
            f"{' '.join(cmd[2:])} exited {os.waitstatus_to_exitcode(status)}: {err.strip()[-300:]}"
        )
    return elapsed, usage.ru_utime + usage.ru_stime


def report_figures(db: Path, target: Target, runs: int, log: Log, warm_up: bool = True) -> list[Figure]:
    figures = []
    for args in REPORTS:
        for as_json in (False, True):
            label = "report " + " ".join(args) + (" --json" if as_json else "")
            fig = Figure(label, "s", target=f"≤ {REPORT_LIMIT:g} s", limit=REPORT_LIMIT)
            cmd = target.tuicrm("--db", str(db), "report", *args, *(["--json"] if as_json else []))
            floor = target.child(_FLOOR, args[0], str(db)) if as_json and args[0] in FLOORS else None
            try:
                if warm_up:
                    wall(cmd, target.env)
                timings = []
                for _ in range(runs):  # the floor's runs between the report's: the same moments
                    timings.append(timed_cpu(cmd, target.env))
                    if floor is not None:
                        fig.baseline.append(timed_cpu(floor, target.env)[0])
                fig.samples = [elapsed for elapsed, _cpu in timings]
                cpu = sorted(c for _elapsed, c in timings)[len(timings) // 2]
                fig.note = f"CPU {cpu:.2f} s" + (
                    "; baseline: bench.floors, its query and one f-string per row" if floor else ""
                )
                log(
                    f"{label}: {fig.median:.3f} s (CPU {cpu:.2f} s)"
                    + (f", floor {fig.base:.3f} s" if floor else "")
                )
            except RuntimeError as exc:
                fig.available = False
                fig.note = f"not available: {str(exc)[:200]}"
            figures.append(fig)
    return figures


def export_figures(db: Path, target: Target, work: Path, log: Log, runs: int = 1) -> list[Figure]:
    figures = []
    for fmt, limit in EXPORTS.items():
        fig = Figure(
            f"export .{fmt} (whole database)",
            "s",
            target=f"≤ {limit:g} s" if limit else "",
            limit=limit,
        )
        rss = Figure(f"export .{fmt} peak RSS", "MB", target=f"≤ {EXPORT_RSS_MB:g} MB", limit=EXPORT_RSS_MB)
        out = work / f"export.{fmt}"
        try:
            peak = 0.0
            for _ in range(runs):
                out.unlink(missing_ok=True)
                elapsed, mb = timed_rss(target.tuicrm("--db", str(db), "export", str(out)), target.env)
                fig.samples.append(elapsed)
                peak = max(peak, mb)
            rss.samples = [peak]
            fig.note = f"{out.stat().st_size / 1e6:.0f} MB file"
            log(f"export .{fmt}: {fig.median:.2f} s, {peak:.0f} MB")
        except RuntimeError as exc:
            for f in (fig, rss):
                f.available = False
                f.note = f"not available: {str(exc)[:200]}"
        finally:
            out.unlink(missing_ok=True)
        figures += [fig, rss]
    return figures


def plan_figures(db: Path, target: Target, runs: int, log: Log, warm_up: bool = True) -> list[Figure]:
    """The morning's reads with the activities and leads in: agenda, due count, lead list."""
    figures = []
    for args, limit in ((["agenda", "--week"], None), (["due", "--count"], 0.15), (["lead", "list"], None)):
        label = "tuicrm " + " ".join(args) + " (with activities and leads)"
        fig = Figure(label, "s", target="≤ 0.15 s" if limit else "", limit=limit)
        cmd = target.tuicrm("--db", str(db), *args)
        try:
            if warm_up:
                wall(cmd, target.env)
            fig.samples = [wall(cmd, target.env) for _ in range(runs)]
            log(f"{label}: {fig.median:.3f} s")
        except RuntimeError as exc:
            fig.available = False
            fig.note = f"not available: {str(exc)[:200]}"
        figures.append(fig)
    return figures
