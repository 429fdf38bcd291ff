"""The issue #5 benchmark runs and prints every figure (a small run; the times are not checked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tuicrm import bench


@pytest.mark.slow(seconds=35)  # the small bench now runs reports, exports and plan reads too
def test_small_benchmark_prints_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "tuicrm.bench",
            "--small",
            "--runs",
            "1",
            "--customers",
            "100",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=420,  # the reports, exports and plan reads (issues #17, #20) added ~25 short runs
        env=env,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    table = r.stdout
    assert "machine:" in table and "Python" in table and "SQLite" in table
    for name in bench.FIGURES:
        assert name in table, name
    figures = {f["name"]: f for f in json.loads(out.read_text(encoding="utf-8"))["figures"]}
    for name in bench.FIGURES:
        found = [f for n, f in figures.items() if n.startswith(name)]
        assert found, name
        for f in found:
            # a number, or the reason it could not be measured (TUI or import not built yet)
            assert f["median"] is not None or f["note"].startswith("not available"), f
    for name in ("demo build", "tuicrm due", "tuicrm find", "tuicrm show"):  # ours: always measured
        f = next(f for n, f in figures.items() if n.startswith(name))
        assert f["median"] is not None and f["median"] > 0, f
    for name in ("tuicrm due", "tuicrm find", "tuicrm show"):
        f = next(f for n, f in figures.items() if n.startswith(name))
        assert f["baseline"] is not None and f["ratio"] is not None, f
    for name, f in figures.items():  # issues #17 and #20: the plan reads, reports and exports
        if name.startswith(("report ", "export .", "tuicrm agenda", "tuicrm lead")):
            assert f["median"] is not None and f["median"] > 0, f
    for name in ("report value --json", "report receivables --json"):  # timed against their floor
        assert figures[name]["baseline"] is not None and figures[name]["baseline"] > 0, figures[name]
    assert figures["export .csv peak RSS"]["unit"] == "MB"
    idle = next(f for n, f in figures.items() if n.startswith("idle CPU"))  # issue #14
    assert idle["unit"] == "%" and idle["median"] is not None and idle["baseline"] is not None, idle
    assert "idle CPU (1 s)" in table and "/proc/PID/stat" in idle["note"]


def test_the_report_says_not_available_plainly():
    figures = [
        bench.Figure("tuicrm due", "s", samples=[0.05], baseline=[0.03], target="≤ 0.15 s", limit=0.15),
        bench.Figure(
            "import 100 000-row CSV",
            "s",
            target="≤ 10 s",
            available=False,
            note="not available: tuicrm import does not exist yet",
        ),
    ]
    from datetime import datetime

    text = bench.render(figures, bench.machine(), datetime(2026, 11, 22, 9, 0), 100_000)
    assert "2026-11-22 09:00" in text and "100 000 customers" in text
    line = next(x for x in text.splitlines() if x.startswith("tuicrm due"))
    assert "0.050 s" in line and "0.030 s" in line and "1.67×" in line and "pass" in line
    line = next(x for x in text.splitlines() if x.startswith("import"))
    assert "not available" in line and "n/a" in line


def test_the_code_under_test_is_chosen_by_src_and_python(tmp_path):
    """``--src`` puts a tree's ``src/`` first on the children's path; the table names what ran."""
    from pathlib import Path

    import tuicrm
    from tuicrm.bench import Target

    repo = Path(tuicrm.__file__).resolve().parents[2]
    target = Target(sys.executable, repo)
    assert target.env["PYTHONPATH"].split(os.pathsep)[0] == str(repo / "src")
    assert target.describe() == f"{repo / 'src' / 'tuicrm'} with {sys.executable}"
    assert Target(sys.executable, repo / "src").env["PYTHONPATH"].split(os.pathsep)[0] == str(repo / "src")
    with pytest.raises(SystemExit, match="no tuicrm package"):
        Target(sys.executable, tmp_path)
    r = subprocess.run([sys.executable, "-m", "tuicrm.bench", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "--src" in r.stdout and "--python" in r.stdout
