"""Everything out: .json (all of it), .csv (one kind), .xlsx (one sheet per entity),
.vcf (contacts), .ics (pending follow-ups).

The .csv and .xlsx headers are ones the importer recognises (``tuicrm.io.headers``
labels, English or Chinese), so ``export x.xlsx`` then ``import x.xlsx`` into an
empty database gives the same customers, contacts, follow-ups, tier assessments
and opportunities (exported ``--unmasked``; masked phones cannot come back).

Phones are masked unless ``unmasked``. Files are created mode 0600 (the rep's
customers are private), written to a temporary name and renamed into place, so
a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tuicrm import clock
from tuicrm.domain.privacy import mask_phone
from tuicrm.io.fields import export_columns

FORMATS = (".json", ".csv", ".xlsx", ".vcf", ".ics")
KINDS = ("customers", "contacts", "followups", "tiers", "opportunities")
SHEET_TITLES = {
    "en": {
        "customers": "Customers",
        "contacts": "Contacts",
        "followups": "Follow-ups",
        "tiers": "Tier assessments",
        "opportunities": "Opportunities",
    },
    "zh": {
        "customers": "客户信息",
        "contacts": "联系人",
        "followups": "跟进记录",
        "tiers": "客户分级评估",
        "opportunities": "销售机会",
    },
}

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
# One list of fields for both directions (tuicrm.io.fields): what the importer writes is what
# an export carries, so a new field cannot be exported without coming back in (or vice versa).
COLUMNS = {kind: export_columns(kind) for kind in KINDS}
PHONE_FIELDS = {"phone", "mobile"}


class ExportError(Exception):
    """The export cannot be written; one plain sentence."""


def label(kind: str, field_name: str, lang: str = "en") -> str:
    from tuicrm.io.headers import LABELS_EN, LABELS_ZH

    table = LABELS_ZH if lang == "zh" else LABELS_EN
    if field_name in table.get(kind, {}):
        return table[kind][field_name]
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
        parts = ", ".join(
            f"{n:,} {k.replace('followups', 'follow-ups').replace('tiers', 'tier assessments')}"
            for k, n in self.counts.items()
        )
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


# ---------------------------------------------------------------------------
# Reading the database (Core queries: fast at 100 000 customers)


def _local(value: datetime | None) -> datetime | None:
    """A stored UTC time as local wall-clock time, to the second (what a spreadsheet shows)."""
    if value is None:
        return None
    local = clock.to_local(value)
    return datetime(local.year, local.month, local.day, local.hour, local.minute, local.second)


class Snapshot:
    """All rows of the database as plain dicts, with the links resolved to names and codes."""

    def __init__(self, session: Any, *, include_archived: bool = True):
        from sqlmodel import SQLModel

        import tuicrm.models  # noqa: F401  (defines the tables)

        tables = SQLModel.metadata.tables

        conn = session.connection()

        def rows(table: Any, order: list[Any]) -> list[dict[str, Any]]:
            return [dict(r) for r in conn.execute(sa.select(table).order_by(*order)).mappings()]

        C = tables["customer"]
        self.customers = rows(C, [C.c.id])
        if not include_archived:
            self.customers = [c for c in self.customers if c["archived_at"] is None]
        by_id = {c["id"]: c for c in self.customers}
        self.by_id = by_id
        X = tables["contact"]
        self.contacts = [x for x in rows(X, [X.c.customer_id, X.c.id]) if x["customer_id"] in by_id]
        O = tables["opportunity"]  # noqa: E741
        self.opportunities = [o for o in rows(O, [O.c.customer_id, O.c.id]) if o["customer_id"] in by_id]
        F = tables["followup"]
        self.followups = [f for f in rows(F, [F.c.customer_id, F.c.at, F.c.id]) if f["customer_id"] in by_id]
        T = tables["tierassessment"]
        self.tiers = [
            t for t in rows(T, [T.c.customer_id, T.c.assessed_on, T.c.id]) if t["customer_id"] in by_id
        ]
        opp_ids = {o["id"] for o in self.opportunities}
        S = tables["stagechange"]
        self.stage_changes = [
            s for s in rows(S, [S.c.opportunity_id, S.c.at, S.c.id]) if s["opportunity_id"] in opp_ids
        ]
        Z = tables["snooze"]
        self.snoozes = [z for z in rows(Z, [Z.c.customer_id, Z.c.at, Z.c.id]) if z["customer_id"] in by_id]
        self.contact_name = {x["id"]: x["name"] for x in self.contacts}
        self.opp_name = {o["id"]: o["name"] for o in self.opportunities}

    def counts(self) -> dict[str, int]:
        return {
            "customers": len(self.customers),
            "contacts": len(self.contacts),
            "followups": len(self.followups),
            "tiers": len(self.tiers),
            "opportunities": len(self.opportunities),
        }

    def records(self, kind: str, *, unmasked: bool) -> list[dict[str, Any]]:
        """Rows of one kind as {field: value} with the export's columns."""
        out = []
        source = {
            "customers": self.customers,
            "contacts": self.contacts,
            "followups": self.followups,
            "tiers": self.tiers,
            "opportunities": self.opportunities,
        }[kind]
        for r in source:
            rec = dict(r)
            if kind != "customers":
                c = self.by_id[r["customer_id"]]
                rec["customer_code"], rec["customer_name"] = c["code"], c["name"]
            if kind == "followups":
                rec["contact_name"] = self.contact_name.get(r["contact_id"])
                rec["opportunity_name"] = self.opp_name.get(r["opportunity_id"])
                rec["at"] = _local(r["at"])
            if kind == "opportunities":
                rec["contact_name"] = self.contact_name.get(r["decision_maker_id"])
            if "archived_at" in rec:
                rec["archived_at"] = _local(rec["archived_at"])
            rec["ref"] = f"{kind[:3]}-{r['id']}" if kind != "customers" else None
            if not unmasked:
                for p in PHONE_FIELDS:
                    if rec.get(p):
                        rec[p] = mask_phone(rec[p])
            out.append(rec)
        return out


# ---------------------------------------------------------------------------
# Writing files privately


def _private_write(path: Path, data: bytes, *, force: bool, database: str | None) -> None:
    """Write ``data`` to ``path`` as a 0600 file: an exclusive temporary file with an
    unpredictable name beside it, then an atomic rename (``tuicrm.safefiles``)."""
    from tuicrm import safefiles

    try:
        safefiles.write_bytes(path, data, force=force, database=database)
    except safefiles.FileRefused as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(safefiles.describe_os_error(exc, path)) from None


def _cell(value: Any, *, for_csv: bool) -> Any:
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (starting with ``= + - @``, TAB or CR) gets a
    leading apostrophe, the OWASP rule; the importer drops it again. Numbers stay numbers."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_bytes(kind: str, records: list[dict[str, Any]], lang: str) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    cols = COLUMNS[kind]
    w.writerow([label(kind, c, lang) for c in cols])
    for r in records:
        w.writerow([_cell(guard(r.get(c)), for_csv=True) for c in cols])
    # UTF-8 with a BOM: Excel opens Chinese text correctly; the importer strips the BOM.
    return buf.getvalue().encode("utf-8-sig")


def _xlsx_bytes(snapshot: Snapshot, kinds: tuple[str, ...], lang: str, unmasked: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for kind in kinds:
        ws = wb.create_sheet(SHEET_TITLES[lang][kind])
        cols = COLUMNS[kind]
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=label(kind, c, lang))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for r in snapshot.records(kind, unmasked=unmasked):
            values = []
            for c in cols:
                v = _cell(guard(r.get(c)), for_csv=False)
                if isinstance(v, str) and v.startswith("="):
                    cell = WriteOnlyCell(ws, value=v)
                    cell.data_type = "s"  # text that looks like a formula stays text
                    v = cell
                values.append(v)
            ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _json_bytes(snapshot: Snapshot, unmasked: bool) -> bytes:
    def clean(rows: list[dict[str, Any]], *, phones: bool = False) -> list[dict[str, Any]]:
        out = []
        for r in rows:
            # search_text is derived (and holds phone digits): not part of an export.
            d = {k: _json_value(v) for k, v in r.items() if k != "search_text"}
            if phones and not unmasked:
                for p in PHONE_FIELDS:
                    if d.get(p):
                        d[p] = mask_phone(d[p])
            out.append(d)
        return out

    data = {
        "format": "tuicrm-export",
        "version": 1,
        "exported_at": clock.utcnow().isoformat(),
        "phones_masked": not unmasked,
        "customers": clean(snapshot.customers, phones=True),
        "contacts": clean(snapshot.contacts, phones=True),
        "followups": clean(snapshot.followups),
        "tier_assessments": clean(snapshot.tiers),
        "opportunities": clean(snapshot.opportunities),
        "stage_changes": clean(snapshot.stage_changes),
        "snoozes": clean(snapshot.snoozes),
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _vcf_bytes(snapshot: Snapshot, unmasked: bool, version: str) -> tuple[bytes, int]:
    from tuicrm.io.vcard import write_vcards

    items = []
    for x in snapshot.contacts:
        if x["archived_at"] is not None:
            continue
        c = snapshot.by_id[x["customer_id"]]
        items.append(
            {
                "name": x["name"],
                "customer_name": c["name"],
                "department": x["department"],
                "title": x["title"],
                "phone": x["phone"] if unmasked else mask_phone(x["phone"]) or None,
                "mobile": x["mobile"] if unmasked else mask_phone(x["mobile"]) or None,
                "email": x["email"],
                "im": x["im"],
                "birthday": x["birthday"],
                "notes": x["notes"],
                "role": x["role"],
                "uid": f"contact-{x['id']}-{c['code']}@tuicrm",
            }
        )
    return write_vcards(items, version).encode("utf-8"), len(items)


def _ics_bytes(
    snapshot: Snapshot, unmasked: bool, events: bool, activities: list[Any], reminder_hours: int
) -> tuple[bytes, int]:
    from tuicrm.io.ics import PendingFollowUp, exportable, write_ics

    items = [
        PendingFollowUp(
            c["code"],
            c["name"],
            c["tier"],
            c["status"],
            c["next_follow_up_on"],
            c["next_action"],
            (c["phone"] if unmasked else mask_phone(c["phone"])) or None,
            c["email"],
        )
        for c in snapshot.customers
        if c["archived_at"] is None and c["next_follow_up_on"] is not None
    ]
    items.sort(key=lambda i: (i.next_on, i.name))
    data = write_ics(
        items, now=clock.utcnow(), events=events, activities=activities, reminder_hours=reminder_hours
    )
    return data, len(exportable(items))


def export_file(
    store: Any,
    path: str | Path,
    *,
    kind: str | None = None,
    unmasked: bool = False,
    lang: str = "en",
    events: bool = False,
    vcard_version: str = "3.0",
    include_archived: bool = True,
    force: bool = False,
) -> ExportReport:
    """Write the export named by ``path``'s suffix. Raises ExportError with one sentence.

    An existing ``path`` is kept unless ``force``; the live database (and its -wal/-shm/-journal)
    is never a destination."""
    p = Path(path).expanduser()
    fmt = p.suffix.lower()
    if fmt not in FORMATS:
        raise ExportError(f"cannot export to '{p.suffix or p.name}'; use one of {', '.join(FORMATS)}.")
    if kind is not None and kind not in KINDS:
        raise ExportError(f"'{kind}' is not a kind; use one of: {', '.join(KINDS)}.")
    if kind is not None and fmt not in (".csv", ".xlsx"):
        raise ExportError(f"--kind applies to .csv and .xlsx exports, not {fmt}.")
    if lang not in ("en", "zh"):
        raise ExportError("the header language is en or zh.")
    if vcard_version not in ("3.0", "4.0"):
        raise ExportError("the vCard version is 3.0 or 4.0.")
    from tuicrm import safefiles

    try:  # refused before any work: the live database, an existing file without force
        safefiles.refuse_live_destination(p, getattr(store, "path", None))
        safefiles.check_destination(p, force=force)
    except safefiles.FileRefused as exc:
        raise ExportError(str(exc)) from None
    with store.read() as session:
        snap = Snapshot(session, include_archived=include_archived)
        if fmt == ".ics":
            from tuicrm.io.ics_activities import planned_activities

            activities = planned_activities(session, store.config, unmasked=unmasked)
    report = ExportReport(path=str(p), format=fmt.lstrip("."), masked=not unmasked)
    if fmt == ".json":
        data = _json_bytes(snap, unmasked)
        report.counts = snap.counts()
        report.counts["stage_changes"] = len(snap.stage_changes)
    elif fmt == ".csv":
        k = kind or "customers"
        data = _csv_bytes(k, snap.records(k, unmasked=unmasked), lang)
        report.counts = {k: snap.counts()[k]}
    elif fmt == ".xlsx":
        kinds = (kind,) if kind else KINDS
        data = _xlsx_bytes(snap, kinds, lang, unmasked)
        report.counts = {k: snap.counts()[k] for k in kinds}
    elif fmt == ".vcf":
        data, n = _vcf_bytes(snap, unmasked, vcard_version)
        report.counts = {"contacts": n}
    else:
        data, n = _ics_bytes(snap, unmasked, events, activities, store.config.agenda.reminder_hours)
        report.counts = {"pending follow-ups": n}
        if activities:
            report.counts["activities"] = len(activities)
    _private_write(p, data, force=force, database=getattr(store, "path", None))
    return report
