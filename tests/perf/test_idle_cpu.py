"""The idle-CPU figure's arithmetic (issue #14): ticks read from /proc/PID/stat, percent of a core.

No timing here: the figure itself is measured by the benchmark (``python -m tuicrm.bench``).
"""

from __future__ import annotations

import os

import pytest

from tuicrm.bench import fmt
from tuicrm.bench.idle import cpu_percent, cpu_seconds, stat_cpu_ticks

# A real /proc/PID/stat line (52 fields); utime (field 14) = 1234, stime (field 15) = 56,
# cutime/cstime (16, 17) = 7/8, which are waited-for children's and not the process's own.
STAT = (
    "4242 (python) S 4200 4242 4200 34816 4242 4194304 12001 0 3 0 1234 56 7 8 20 0 3 0 "
    "987654 512000000 24000 18446744073709551615 1 1 0 0 0 0 0 16781312 134234626 0 0 0 17 1 0 0 "
    "0 0 0 0 0 0 0 0 0 0 0"
)


def test_utime_and_stime_are_summed():
    assert stat_cpu_ticks(STAT) == 1234 + 56


def test_a_command_name_with_spaces_and_parentheses_does_not_shift_the_fields():
    odd = STAT.replace("(python)", "(py (x) 2)")
    assert stat_cpu_ticks(odd) == 1290


@pytest.mark.parametrize(
    ("cpu", "wall", "percent"),
    [
        (0.0, 20.0, 0.0),
        (0.04, 20.0, 0.2),  # 4 ticks of 10 ms over 20 s
        (0.2, 20.0, 1.0),  # the target's edge
        (1.0, 0.5, 200.0),  # two cores busy: more than 100 % of one
        (20.0, 20.0, 100.0),
    ],
)
def test_percent_of_one_core(cpu, wall, percent):
    assert cpu_percent(cpu, wall) == pytest.approx(percent)


def test_an_empty_window_is_refused():
    with pytest.raises(ValueError):
        cpu_percent(0.1, 0.0)


def test_this_process_cpu_time_is_read_in_seconds():
    ticks = stat_cpu_ticks(open(f"/proc/{os.getpid()}/stat", encoding="ascii").read())
    assert cpu_seconds(os.getpid()) >= ticks / os.sysconf("SC_CLK_TCK") > 0


def test_percent_is_printed_with_two_decimals():
    assert fmt(0.2, "%") == "0.20 %" and fmt(None, "%") == "—"
