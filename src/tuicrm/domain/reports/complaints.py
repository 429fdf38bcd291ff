"""The complaints report (issue #18; template 001's measure 投诉处理及时率): opened and resolved
in a period, the share resolved by the deadline, and counts by cause."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from tuicrm.i18n import _


class ComplaintLike(Protocol):
    opened_at: datetime
    resolved_at: datetime | None
    deadline_at: datetime | None
    cause: str | None
    severity: str


@dataclass(frozen=True)
class ComplaintReport:
    start: date
    end: date
    opened: int
    resolved: int
    resolved_on_time: int
    by_cause: list[tuple[str, int]] = field(default_factory=list)
    satisfaction_avg: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        """Resolved by the deadline, of those resolved in the period (None: none resolved)."""
        return None if self.resolved == 0 else round(100.0 * self.resolved_on_time / self.resolved, 1)


NO_CAUSE = "—"


def complaints_report(rows: Iterable[Any], start: date, end: date) -> ComplaintReport:
    """Opened: complaints opened from ``start`` to ``end`` (inclusive, by their UTC day);
    resolved: those resolved then; on time: resolved no later than the deadline; by cause:
    the opened ones, the most frequent cause first."""
    opened = resolved = on_time = 0
    causes: Counter[str] = Counter()
    scores: list[int] = []
    for row in rows:
        if start <= row.opened_at.date() <= end:
            opened += 1
            causes[row.cause or NO_CAUSE] += 1
        if row.resolved_at is not None and start <= row.resolved_at.date() <= end:
            resolved += 1
            if row.deadline_at is None or row.resolved_at <= row.deadline_at:
                on_time += 1
            if getattr(row, "satisfaction", None) is not None:
                scores.append(int(row.satisfaction))
    by_cause = sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
    avg = round(sum(scores) / len(scores), 1) if scores else None
    return ComplaintReport(start, end, opened, resolved, on_time, by_cause, avg)


def to_dict(report: ComplaintReport) -> dict[str, Any]:
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "opened": report.opened,
        "resolved": report.resolved,
        "resolved_on_time": report.resolved_on_time,
        "on_time_rate": report.on_time_rate,
        "satisfaction_avg": report.satisfaction_avg,
        "by_cause": [{"cause": c, "count": n} for c, n in report.by_cause],
    }


def to_lines(report: ComplaintReport) -> list[str]:
    rate = "—" if report.on_time_rate is None else f"{report.on_time_rate:g}%"
    lines = [
        _("Complaints {start} – {end}").format(start=report.start.isoformat(), end=report.end.isoformat()),
        _("opened {opened} · resolved {resolved} · resolved on time {on_time} ({rate})").format(
            opened=report.opened, resolved=report.resolved, on_time=report.resolved_on_time, rate=rate
        ),
    ]
    if report.satisfaction_avg is not None:
        lines.append(_("average satisfaction {avg} / 5").format(avg=report.satisfaction_avg))
    if report.by_cause:
        lines.append(_("By cause:"))
        lines += [f"  {cause}  {count}" for cause, count in report.by_cause]
    return lines
