"""What every export format shares: the kinds, their columns and labels, the report, the cell
rules (formula guard, CSV text) and the error."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from tuicrm import clock
from tuicrm.io.fields import export_columns

FORMATS = (".json", ".csv", ".xlsx", ".vcf", ".ics")
KINDS = (
    "customers",
    "contacts",
    "followups",
    "tiers",
    "opportunities",
    "activities",
    "leads",
    "receivables",
    "payments",
    "complaints",
)
# The kinds a workbook held before activities and leads existed: an .xlsx export without
# --kind carries every kind; these are the first sheets, in this order.
SHEET_TITLES = {
    "en": {
        "customers": "Customers",
        "contacts": "Contacts",
        "followups": "Follow-ups",
        "tiers": "Tier assessments",
        "opportunities": "Opportunities",
        "activities": "Activity plan",
        "leads": "Leads",
        "receivables": "Receivables",
        "payments": "Payments",
        "complaints": "Complaints",
    },
    "zh": {
        "customers": "客户信息",
        "contacts": "联系人",
        "followups": "跟进记录",
        "tiers": "客户分级评估",
        "opportunities": "销售机会",
        "activities": "销售活动计划表",
        "leads": "线索管理表",
        "receivables": "客户结算收款表",
        "payments": "付款记录",
        "complaints": "客户投诉记录表",
    },
}
WORDS = {"followups": "follow-ups", "tiers": "tier assessments"}

# Column labels come from the header tables (tuicrm.io.headers.labels) where they have one;
# the rest are extra columns the importer knows (see
# tuicrm.io.importing.columns.EXTRA). "ref" is the row's id in this database: it tells rows
# apart on the way back in (two identical follow-ups stay two) and is otherwise ignored.
_EXTRA_LABELS = {
    "customer_code": ("Customer code", "客户编号"),
    "next_action": ("Next action", "下一步行动"),
    "archived_at": ("Archived on", "归档时间"),
    "is_primary": ("Primary", "首要联系人"),
    "is_key_decision_maker": ("Key decision maker", "关键决策人"),
    "ref": ("tuicrm id", "tuicrm id"),
}
PHONE_FIELDS = ("phone", "mobile")
T = TypeVar("T")


def columns(kind: str) -> tuple[str, ...]:
    """The .csv/.xlsx columns of one kind (tuicrm.io.fields: one list for both directions)."""
    if kind in ("activities", "leads"):
        from tuicrm.io.export.plans import PLAN_COLUMNS

        return PLAN_COLUMNS[kind]
    if kind in ("receivables", "payments", "complaints"):
        from tuicrm.io.export.care import CARE_COLUMNS

        return CARE_COLUMNS[kind]
    return export_columns(kind)


class ExportError(Exception):
    """The export cannot be written; one plain sentence."""


def label(kind: str, field_name: str, lang: str = "en") -> str:
    from tuicrm.io.headers import LABELS_EN, LABELS_ZH

    table = LABELS_ZH if lang == "zh" else LABELS_EN
    if field_name in table.get(kind, {}):
        return table[kind][field_name]
    if kind in ("activities", "leads"):
        from tuicrm.io.export.plans import PLAN_LABELS

        labels = PLAN_LABELS[kind].get(field_name)
        if labels:
            return labels[1 if lang == "zh" else 0]
    if kind in ("receivables", "payments", "complaints"):
        from tuicrm.io.export.care import CARE_LABELS

        labels = CARE_LABELS[kind].get(field_name)
        if labels:
            return labels[1 if lang == "zh" else 0]
    if field_name in _EXTRA_LABELS:
        return _EXTRA_LABELS[field_name][1 if lang == "zh" else 0]
    return field_name


@dataclass
class ExportReport:
    path: str
    format: str
    counts: dict[str, int] = field(default_factory=dict)
    masked: bool = True

    def summary(self) -> str:
        parts = ", ".join(f"{n:,} {WORDS.get(k, k)}" for k, n in self.counts.items())
        phones = "phones masked (add --unmasked for full numbers)" if self.masked else "phones unmasked"
        return f"Exported {parts or 'nothing'} to {self.path} ({phones})."

    def masked_notice(self) -> str | None:
        """One sentence for stderr when the file's phones are masked (they cannot come back)."""
        if not self.masked or self.format not in ("csv", "xlsx", "json", "vcf", "ics"):
            return None
        return (
            f"{self.path}: phone numbers are masked (138****5678); importing this file brings "
            "no phone back. Use --unmasked, or tuicrm backup, for a lossless copy."
        )

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "counts": self.counts, "masked": self.masked}


def local(value: datetime | None) -> datetime | None:
    """A stored UTC time as local wall-clock time, to the second (what a spreadsheet shows)."""
    if value is None:
        return None
    moment = clock.to_local(value)
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (starting with ``= + - @``, TAB or CR) gets a
    leading apostrophe, the OWASP rule; the importer drops it again. Numbers stay numbers."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def cell(value: Any, *, for_csv: bool) -> Any:
    """A value as a spreadsheet cell: yes/no for booleans; for CSV, text for everything."""
    if value is None:
        return "" if for_csv else None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f") if for_csv else value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if for_csv else value
    if isinstance(value, date):
        return value.isoformat() if for_csv else value
    return value


class Progress(Protocol):
    """What an export reports while it writes (the CLI's bar on a terminal)."""

    def start(self, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...


STEP = 2000


def counted(rows: Iterable[T], progress: Progress | None) -> Iterator[T]:
    """``rows`` unchanged, telling ``progress`` every ``STEP`` rows."""
    if progress is None:
        yield from rows
        return
    n = 0
    for row in rows:
        yield row
        n += 1
        if n == STEP:
            progress.advance(n)
            n = 0
    if n:
        progress.advance(n)
