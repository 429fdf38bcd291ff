"""Step 5's account: what an import did, sheet by sheet and row by row (SPEC §9)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

KIND_ORDER = ("customers", "contacts", "opportunities", "followups", "tiers")
KIND_LABELS = {
    "customers": "customers",
    "contacts": "contacts",
    "followups": "follow-ups",
    "tiers": "tier assessments",
    "opportunities": "opportunities",
    "activities": "activities",
    "leads": "leads",
    "receivables": "receivables",
    "complaints": "complaints",
}
TABLE_LABELS = {
    "customer": ("customer", "customers"),
    "contact": ("contact", "contacts"),
    "opportunity": ("opportunity", "opportunities"),
    "stagechange": ("stage change", "stage changes"),
    "followup": ("follow-up", "follow-ups"),
    "tierassessment": ("tier assessment", "tier assessments"),
    "activity": ("activity", "activities"),
    "lead": ("lead", "leads"),
    "receivable": ("receivable", "receivables"),
    "payment": ("payment", "payments"),
    "complaint": ("complaint", "complaints"),
    "complaintstep": ("complaint step", "complaint steps"),
}


def plural(n: int, table: str) -> str:
    one, many = TABLE_LABELS.get(table, (table, table))
    return f"{n:,} {one if n == 1 else many}"


NO_ACCOUNT = "(no account)"
ProgressFn = Callable[[int], None]


@dataclass
class Issue:
    """One thing to tell the rep about a row (or a sheet when ``row`` is None)."""

    source: str
    sheet: str
    row: int | None
    message: str
    level: str = "rejected"  # rejected | warning | note

    @property
    def where(self) -> str:
        return f"{self.sheet}, row {self.row}" if self.row is not None else self.sheet

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "sheet": self.sheet,
            "row": self.row,
            "level": self.level,
            "message": self.message,
        }


@dataclass
class SheetResult:
    source: str
    sheet: str  # a display label: "file.xlsx [Sheet]" or "file.csv"
    kind: str | None
    reason: str = ""
    header_row: int | None = None
    encoding: str | None = None
    rows: int = 0
    created: int = 0
    merged: int = 0
    skipped: int = 0
    rejected: int = 0
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, field)
    kept_in_notes: list[str] = field(default_factory=list)  # unknown headers whose values go to notes
    ignored: list[str] = field(default_factory=list)  # system columns (row numbers, audit stamps)
    not_stored: list[str] = field(default_factory=list)  # ID-card / bank-number columns, skipped
    not_imported: str | None = None  # why the whole sheet was left out

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "sheet": self.sheet,
            "kind": self.kind,
            "reason": self.reason,
            "header_row": self.header_row,
            "encoding": self.encoding,
            "rows": self.rows,
            "created": self.created,
            "merged": self.merged,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "columns": [{"header": h, "field": f} for h, f in self.columns],
            "kept_in_notes": self.kept_in_notes,
            "ignored": self.ignored,
            "not_stored": self.not_stored,
            "not_imported": self.not_imported,
        }


@dataclass
class ImportReport:
    sources: list[str]
    dry_run: bool
    sheets: list[SheetResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)  # table name -> rows inserted
    updated: Counter[str] = field(default_factory=Counter)  # table name -> existing rows changed
    seconds: float = 0.0

    @property
    def rejected(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "rejected"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def notes(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "note"]

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def totals(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for s in self.sheets:
            for k in ("rows", "created", "merged", "skipped", "rejected"):
                out[k] += getattr(s, k)
        return dict(out)

    def summary(self) -> str:
        t = self.totals()
        verb = "Would import" if self.dry_run else "Imported"
        made = ", ".join(plural(n, k) for k, n in self.created.items() if n) or "nothing new"
        line = (
            f"{verb} {t.get('rows', 0):,} row{'' if t.get('rows', 0) == 1 else 's'}: {t.get('created', 0):,} created, {t.get('merged', 0):,} merged, "
            f"{t.get('skipped', 0):,} skipped, {t.get('rejected', 0):,} rejected"
        )
        line += f" — {'would add' if self.dry_run else 'added'} {made}"
        upd = ", ".join(plural(n, k) for k, n in self.updated.items() if n)
        if upd:
            line += f"; {'would update' if self.dry_run else 'updated'} {upd}"
        line += "." + (" Nothing was written (dry run)." if self.dry_run else "")
        return line

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.sources,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "totals": self.totals(),
            "created": dict(self.created),
            "updated": dict(self.updated),
            "sheets": [s.to_dict() for s in self.sheets],
            "rejected": [i.to_dict() for i in self.rejected],
            "warnings": [i.to_dict() for i in self.warnings],
            "notes": [i.to_dict() for i in self.notes],
            "summary": self.summary(),
        }
