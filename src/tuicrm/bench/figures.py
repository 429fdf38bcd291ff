"""The benchmark's figures: what is measured, against what, and the table that reports it."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

NOW = "2026-11-22T09:00"
SIZE = (120, 40)
FULL: dict[str, Any] = {
    "customers": 100_000,
    "runs": 7,
    "tui_runs": 5,
    "import_rows": 100_000,
    "pages": 12,
    "warm_up": True,
    "idle_seconds": 20.0,
    "idle_settle": 2.0,
    "app_children": 3,  # app processes for the screen switches: one first visit of each screen each
}
SMALL: dict[str, Any] = {
    "customers": 300,
    "runs": 2,
    "tui_runs": 1,
    "import_rows": 500,
    "pages": 3,
    "warm_up": False,
    "idle_seconds": 1.0,
    "idle_settle": 1.0,
    "app_children": 1,
}
FIGURES = (
    "demo build",
    "TUI first paint",
    "keystroke → updated list",
    "keystroke → updated list (pinyin bjhx)",
    "scroll one page",
    "TUI peak RSS",
    "idle CPU",
    "tuicrm due",
    "tuicrm find",
    "tuicrm show",
    "tuicrm due --json",
    "tuicrm agenda --week",
    "tuicrm due --count",
    "tuicrm lead list",
    *(f"report {kind}" for kind in ("weekly", "funnel", "value", "forecast", "lost", "leads")),
    *(f"export .{fmt}" for fmt in ("csv", "json", "xlsx", "ics", "vcf")),
    "import",
)
# Keys come at a typist's pace: a fast typist's keys are 100 ms or more apart, and a held key
# repeats every 30-50 ms. (Back to back, each key would also wait out Textual's frame cap.)
TYPING_GAP = 0.1  # seconds before each typed key
REPEAT_GAP = 0.05  # seconds before each page down
PINYIN = "bjhx"  # pinyin initials of 北京华信: reported on a line of its own (issue #19)
TYPED = [
    "acme",
    "精密",
    "5678",
    PINYIN,
]  # one character at a time: Latin, Chinese, phone digits, pinyin initials (last: split off)


@dataclass
class Figure:
    name: str
    unit: str  # "s", "ms", "MB", "%" (of one core)
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "median": self.median,
            "baseline": self.base,
            "ratio": self.ratio,
            "target": self.target,
            "passed": self.passed,
            "available": self.available,
            "note": self.note,
            "samples": self.samples,
            "baseline_samples": self.baseline,
        }


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
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:.0f} {unit}"


def cell_width(text: str) -> int:
    """Terminal cells: East Asian wide/full-width characters take two, combining marks none.

    The bench's own copy (the CLI's is the code under test, which the bench never imports).
    """
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else (2 if east_asian_width(ch) in "WF" else 1) for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def render(figures: list[Figure], info: dict[str, str], started: datetime, customers: int) -> str:
    head = (
        f"tuicrm benchmark — {started:%Y-%m-%d %H:%M} — {customers:,} customers".replace(",", " ")
        + f"\nmachine: {info['cpus']} CPUs, {info['cpu']}, {info['ram']} RAM; Python {info['python']}, "
        f"SQLite {info['sqlite']}; load average at the start {info['load']}"
    )
    if info.get("code"):
        head += f"\ncode: {info['code']}"
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
    widths = [max(cell_width(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = [head, ""]
    for r in [header, ["-" * w for w in widths]] + rows:
        lines.append("  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    if notes:
        lines += ["", "notes:"] + notes
    return "\n".join(lines)
