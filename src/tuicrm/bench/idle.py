"""The idle-CPU figure: what an open TUI costs while the rep does nothing (issue #14).

The TUI looks for other processes' commits once a second (``PRAGMA data_version``); the target
is that an idle TUI costs no measurable CPU, at most 1 % of one core. The child is the TUI as
the first-paint figure starts it (``children.PAINT``, headless 120×40), told to stay: it reports
once its startup workers are done, the bench lets it settle, then reads the process's CPU time
(user + system, every thread: ``/proc/PID/stat`` counts the whole thread group) at the start and
the end of the idle window. The baseline is an empty Textual app measured the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from tuicrm.bench import children
from tuicrm.bench.figures import SIZE, Figure

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.bench.steps import Log, Target


def stat_cpu_ticks(stat: str) -> int:
    """utime + stime, in clock ticks, from the text of ``/proc/PID/stat``.

    The second field (the command name, in parentheses) may hold spaces and parentheses itself,
    so the fields are counted after its last ``)``: state is field 3, utime 14, stime 15.
    """
    rest = stat[stat.rindex(")") + 2 :].split()
    return int(rest[11]) + int(rest[12])


def cpu_percent(cpu_seconds: float, wall_seconds: float) -> float:
    """CPU time used over a wall-clock window, as a percentage of one core."""
    if wall_seconds <= 0:
        raise ValueError("the window must last some time")
    return 100.0 * cpu_seconds / wall_seconds


def tick_percent(seconds: float) -> float:
    """What one clock tick (the kernel's unit of CPU time, 10 ms at 100 Hz) is over the window."""
    return cpu_percent(1 / os.sysconf("SC_CLK_TCK"), seconds)


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system, all its threads), in seconds."""
    ticks = stat_cpu_ticks(Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace"))
    return ticks / os.sysconf("SC_CLK_TCK")


def idle_cpu(cmd: list[str], env: dict[str, str], settle: float, seconds: float) -> float:
    """Percent of one core the child ``cmd`` uses over ``seconds`` of idle, once it has reported
    ``READY`` and ``settle`` seconds more have passed. The child is killed afterwards."""
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert proc.stdout is not None  # piped
        try:
            line = proc.stdout.readline()
            if not line.startswith("READY"):
                proc.wait(timeout=10)
                errors.seek(0)
                raise RuntimeError(f"no READY line: {line.strip()[:200]} {errors.read().strip()[-400:]}")
            pid = json.loads(line[len("READY") :].strip() or "{}").get("pid", proc.pid)
            time.sleep(settle)
            start_cpu, start = cpu_seconds(pid), time.perf_counter()
            time.sleep(seconds)
            end_cpu, end = cpu_seconds(pid), time.perf_counter()
            if proc.poll() is not None:
                raise RuntimeError(f"the TUI exited while idle (code {proc.returncode})")
            return cpu_percent(end_cpu - start_cpu, end - start)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def idle_figure(db: Path, target: Target, seconds: float, settle: float, log: Log) -> Figure:
    fig = Figure(
        f"idle CPU ({seconds:g} s)",
        "%",
        target="≤ 1 % of a core",
        limit=1.0,
        note=(
            f"% of one core over {seconds:g} s of idle, {settle:g} s after the startup workers "
            "finished; user + system time of the whole process (every thread) from /proc/PID/stat; "
            f"headless 120×40; resolution one clock tick, {tick_percent(seconds):.2f} %; "
            "baseline: an empty Textual app the same way"
        ),
    )
    from tuicrm.bench.steps import tui_available

    reason = tui_available(target) or ("" if Path("/proc/self/stat").exists() else "no /proc on this system")
    if reason:
        fig.available = False
        fig.note = f"not available: {reason}"
        return fig
    width, height = SIZE
    try:
        for mode, into in (("app", fig.samples), ("empty", fig.baseline)):
            cmd = target.child(children.PAINT, mode, str(db), str(width), str(height), "idle")
            into.append(idle_cpu(cmd, target.env, settle, seconds))
        log(f"idle CPU: {fig.median:.2f} % of a core (empty app {fig.base:.2f} %)")
    except (OSError, RuntimeError, ValueError) as exc:
        fig.available = bool(fig.samples)
        fig.note = f"not available: {str(exc)[:200]}"
    return fig
