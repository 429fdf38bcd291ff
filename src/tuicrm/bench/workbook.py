"""The .xlsx import figures (issue #15): the same rows as the CSV step, written as a workbook,
imported into an empty database: wall time and the import process's peak RSS."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tuicrm.bench.figures import Figure
from tuicrm.bench.steps import Log, Target, import_available


def write_xlsx(path: Path, rows: int) -> None:
    """The CSV step's rows (``steps.write_csv``) in a one-sheet workbook, streamed by openpyxl."""
    import csv

    from openpyxl import Workbook

    from tuicrm.bench.steps import write_csv

    csv_path = path.with_suffix(".csv")
    write_csv(csv_path, rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Customers")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(path)
    csv_path.unlink()


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process, from its own rusage (Linux: KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[2:])} failed: {err.strip()[:300]}")
    return elapsed, usage.ru_maxrss / 1024


def xlsx_import_figures(rows: int, target: Target, work: Path, log: Log) -> list[Figure]:
    big = rows >= 100_000
    label = f"{rows:,}".replace(",", " ")
    wall = Figure(
        f"import {label}-row .xlsx",
        "s",
        target="≤ 15 s",
        limit=15.0 if big else None,
        note="dry run excluded",
    )
    rss = Figure(f"import {label}-row .xlsx peak RSS", "MB", target="≤ 300 MB", limit=300.0 if big else None)
    reason = import_available(target)
    if reason:
        for fig in (wall, rss):
            fig.available, fig.note = False, f"not available: {reason}"
        return [wall, rss]
    path = work / "import.xlsx"
    write_xlsx(path, rows)
    for n in range(2 if big else 1):  # a small run only shows the step works
        db = work / f"import-xlsx-{n}.db"
        try:
            seconds, mb = run_measured(target.tuicrm("--db", str(db), "import", str(path)), target.env)
        except RuntimeError as exc:
            for fig in (wall, rss):
                fig.available, fig.note = False, f"not available: {str(exc)[:200]}"
            break
        wall.samples.append(seconds)
        rss.samples.append(mb)
    if wall.samples:
        log(f"import .xlsx: {wall.median:.2f} s, peak RSS {rss.median:.0f} MB")
    return [wall, rss]
