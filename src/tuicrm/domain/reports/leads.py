"""Lead → customer conversion by source (issue #17; template 004's 复盘: "展会线索 → 24 h 内跟进 →
成交率 35%"): per source, the leads taken in, how many became customers, how many of those
deals were won, and the two rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tuicrm.domain.reports.shared import rate

NO_SOURCE = "(no source)"


@dataclass(frozen=True)
class LeadSourceRow:
    source: str
    leads: int
    converted: int  # became a customer (status converted)
    won: int  # of those, the opportunity made from the lead is won
    answered_in_time: int  # first contact before the class's response deadline

    @property
    def conversion_rate(self) -> float | None:
        return rate(self.converted, self.leads)

    @property
    def win_rate(self) -> float | None:
        return rate(self.won, self.leads)


@dataclass(frozen=True)
class LeadReport:
    start: date | None
    end: date | None
    rows: list[LeadSourceRow]

    @property
    def total(self) -> LeadSourceRow:
        return LeadSourceRow(
            "total",
            sum(r.leads for r in self.rows),
            sum(r.converted for r in self.rows),
            sum(r.won for r in self.rows),
            sum(r.answered_in_time for r in self.rows),
        )


def lead_report(
    counts: list[tuple[str | None, int, int, int, int]], *, start: date | None, end: date | None
) -> LeadReport:
    """From (source, leads, converted, won, answered in time) per source: most leads first."""
    merged: dict[str, list[int]] = {}
    for source, *figures in counts:
        key = (source or "").strip() or NO_SOURCE
        row = merged.setdefault(key, [0, 0, 0, 0])
        for k, n in enumerate(figures):
            row[k] += int(n or 0)
    rows = [LeadSourceRow(s, *f) for s, f in merged.items()]
    rows.sort(key=lambda r: (-r.leads, r.source))
    return LeadReport(start, end, rows)


def _row_dict(r: LeadSourceRow) -> dict[str, Any]:
    return {
        "source": r.source,
        "leads": r.leads,
        "converted": r.converted,
        "won": r.won,
        "answered_in_time": r.answered_in_time,
        "conversion_rate": r.conversion_rate,
        "win_rate": r.win_rate,
    }


def leads_to_dict(r: LeadReport) -> dict[str, Any]:
    return {
        "from": r.start.isoformat() if r.start else None,
        "to": r.end.isoformat() if r.end else None,
        "sources": [_row_dict(x) for x in r.rows],
        "total": _row_dict(r.total),
    }
