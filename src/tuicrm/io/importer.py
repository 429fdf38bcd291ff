"""Import a rep's workbook / CSV / vCard into the database (SPEC §9).

The flow, for one or more files in one command:

1. **Read** every file into sheets (:mod:`tuicrm.io.readers`). A file-level
   problem (empty, binary, no name column …) stops the import before anything
   is written.
2. **Prepare** each sheet: find the header row, decide what the sheet holds
   (customers / contacts / follow-ups / tiers / opportunities) from its headers
   — with the sheet or file name as a tie-breaker — and map columns to fields.
3. **Parse** each row's cells (:mod:`tuicrm.io.values`). A row with a bad cell
   (a date 2024-13-45, an amount "abc") is rejected with its sheet, row number
   and reason; the other rows go on.
4. **Plan** against the database in memory: duplicates are found through dicts
   built once (customer code, e-mail, phone digits, normalised name), so a row
   that matches an existing record fills its empty fields (never overwrites) or
   is skipped. Sheets are taken in the order customers → contacts →
   opportunities → follow-ups → tiers, linked by customer name/code.
5. **Write** the plan in one transaction (``Store.write``) with Core
   ``executemany``, recording every insert and the before-state of every
   changed row in the undo log, so ``tuicrm undo`` reverses an import.

Importing the same file twice changes nothing the second time. ``dry_run``
runs steps 1–4 only.

No Textual here; the CLI (``tuicrm.cli_io``) prints the report.
"""

from __future__ import annotations

import gc
import json
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from tuicrm import clock
from tuicrm.config import Config
from tuicrm.domain.privacy import sanitize
from tuicrm.domain.tiers import ScoreError, assess
from tuicrm.io import values as V
from tuicrm.io.headers import KINDS, match_headers, normalise_header, to_simplified
from tuicrm.io.readers import FileError, Sheet, find_header, read_file

KIND_ORDER = ("customers", "contacts", "opportunities", "followups", "tiers")
KIND_LABELS = {
    "customers": "customers",
    "contacts": "contacts",
    "followups": "follow-ups",
    "tiers": "tier assessments",
    "opportunities": "opportunities",
}
TABLE_LABELS = {
    "customer": ("customer", "customers"),
    "contact": ("contact", "contacts"),
    "opportunity": ("opportunity", "opportunities"),
    "stagechange": ("stage change", "stage changes"),
    "followup": ("follow-up", "follow-ups"),
    "tierassessment": ("tier assessment", "tier assessments"),
}


def plural(n: int, table: str) -> str:
    one, many = TABLE_LABELS.get(table, (table, table))
    return f"{n:,} {one if n == 1 else many}"


NO_ACCOUNT = "(no account)"
ProgressFn = Callable[[int], None]

__all__ = ["import_files", "ImportReport", "SheetResult", "Issue", "FileError", "NO_ACCOUNT", "KIND_ORDER"]


# ---------------------------------------------------------------------------
# The report


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

    def to_dict(self) -> dict:
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
    not_imported: str | None = None  # why the whole sheet was left out

    def to_dict(self) -> dict:
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
            "not_imported": self.not_imported,
        }


@dataclass
class ImportReport:
    sources: list[str]
    dry_run: bool
    sheets: list[SheetResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)  # table name -> rows inserted
    updated: Counter = field(default_factory=Counter)  # table name -> existing rows changed
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
        out = Counter()
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

    def to_dict(self) -> dict:
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


# ---------------------------------------------------------------------------
# Small helpers


def txt(value) -> str | None:
    """A cell as clean text: trimmed, BOM/odd spaces gone, escapes and control characters removed."""
    if type(value) is str:
        s = value.strip()
        if s[:2] in ("'=", "'@"):
            s = s[1:]  # our CSV export's guard against spreadsheet formulas
        # The common case: nothing to clean. Control characters, escapes, bidi overrides,
        # BOMs and odd spaces are all "not printable", so they take the full path below.
        if s.isprintable():
            return s or None
    s = V.clean_text(value)
    if s is None:
        return None
    s = sanitize(s).strip()
    return s or None


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=262_144)
def name_key(name: str | None) -> str:
    """Names that differ only in case, width, spacing, punctuation or script compare equal."""
    if not name:
        return ""
    s = to_simplified(unicodedata.normalize("NFKC", name)).casefold()
    key = _NON_WORD.sub("", s)
    return key or s.strip()


_PHONE_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|转|分机|#)\s*\d+\s*$", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D+")


@lru_cache(maxsize=262_144)
def phone_key(phone: str | None) -> str | None:
    """The last 10 digits of a phone number (so +86 138… and 138… match), extension dropped;
    None if too short or masked (138****5678)."""
    if not phone or "*" in phone or "•" in phone or "●" in phone:
        return None
    if phone.isdigit() and phone.isascii():
        return phone[-10:] if len(phone) >= 7 else None
    if not phone.isascii():
        phone = unicodedata.normalize("NFKC", phone)
    digits = _NOT_DIGIT.sub("", _PHONE_EXTENSION.sub("", phone))
    return digits[-10:] if len(digits) >= 7 else None


def names_compatible(a: str | None, b: str | None) -> bool:
    """Could these two names mean the same party? Equal, one inside the other, or a shared
    start of 4+ characters ("Acme Ltd" / "ACME Limited"). A phone or e-mail match between two
    incompatible names is a shared switchboard or household, not a duplicate."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb or ka == kb or ka in kb or kb in ka:
        return True
    n = 0
    for x, y in zip(ka, kb, strict=False):
        if x != y:
            break
        n += 1
    return n >= min(4, len(ka), len(kb))


def email_key(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.strip().casefold()


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OUR_CODE = re.compile(r"^[Cc](\d{6,9})$")
_MACHINE_ID = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{15,18}$")  # Salesforce-style record ids
_TRUE = {"1", "y", "yes", "true", "t", "x", "✓", "✔", "√", "是", "对", "主要", "primary"}
_FALSE = {"0", "n", "no", "false", "f", "否", "不是", "-"}


def _utc_from_local(naive: datetime) -> datetime:
    """A wall-clock time from a file (local time) as an aware UTC datetime."""
    import pendulum

    return naive.replace(tzinfo=pendulum.local_timezone()).astimezone(UTC)


def _naive_utc(value) -> datetime | None:
    """Stored datetimes compare as naive UTC, to the second."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------------------
# Sheet preparation: header row, kind, columns


# Sheet/file names that say what a sheet holds, most specific first. ASCII words
# match whole words (with an optional plural s); CJK words match anywhere.
_KIND_HINTS = (
    ("tiers", ("tier", "tiers", "assessment", "assessments", "grading", "分级", "评估", "等级")),
    (
        "followups",
        (
            "followup",
            "followups",
            "follow",
            "task",
            "tasks",
            "activity",
            "activities",
            "interaction",
            "interactions",
            "calls",
            "跟进",
            "拜访记录",
            "沟通记录",
            "联系记录",
        ),
    ),
    ("opportunities", ("opportunity", "opportunities", "deal", "deals", "pipeline", "机会", "商机")),
    ("contacts", ("contact", "contacts", "people", "persons", "addressbook", "联系人", "通讯录")),
    (
        "customers",
        (
            "account",
            "accounts",
            "customer",
            "customers",
            "client",
            "clients",
            "company",
            "companies",
            "organization",
            "organizations",
            "organisations",
            "客户",
        ),
    ),
)


def kind_hint(name: str) -> str | None:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    words = set(re.findall(r"[a-z]+", text))
    for kind, keys in _KIND_HINTS:
        for k in keys:
            if k.isascii():
                if k in words:
                    return kind
            elif to_simplified(k) in to_simplified(text):
                return kind
    return None


# Columns that are not the rep's data: row numbers and source-system audit stamps.
_IGNORED = frozenset(
    normalise_header(h)
    for h in (
        "index",
        "no",
        "no.",
        "#",
        "序号",
        "行号",
        "row",
        "isdeleted",
        "masterrecordid",
        "createdbyid",
        "lastmodifiedbyid",
        "lastmodifieddate",
        "systemmodstamp",
        "lastvieweddate",
        "lastreferenceddate",
        "photourl",
        "jigsaw",
        "jigsawcompanyid",
        "jigsawcontactid",
        "latitude",
        "longitude",
        "geocodeaccuracy",
        "billinglatitude",
        "billinglongitude",
        "billinggeocodeaccuracy",
        "shippinglatitude",
        "shippinglongitude",
        "shippinggeocodeaccuracy",
        "mailinglatitude",
        "mailinglongitude",
        "mailinggeocodeaccuracy",
        "otherlatitude",
        "otherlongitude",
        "othergeocodeaccuracy",
        "更新日期",
        "updated",
        "update time",
        "updated at",
    )
)

# Extra columns this importer understands beyond tuicrm.io.headers (our own export
# writes them; some are source-system ids used only to link rows of one import).
_EXTRA = {
    "customers": {
        "nextaction": "next_action",
        "下一步行动": "next_action",
        "下次跟进内容": "next_action",
        "archivedon": "archived_at",
        "archivedat": "archived_at",
        "archived": "archived_at",
        "归档时间": "archived_at",
        "tuicrmid": "_src",
    },
    "contacts": {
        "primary": "is_primary",
        "isprimary": "is_primary",
        "primarycontact": "is_primary",
        "首要联系人": "is_primary",
        "主联系人": "is_primary",
        "keydecisionmaker": "is_key_decision_maker",
        "iskeydecisionmaker": "is_key_decision_maker",
        "关键决策人": "is_key_decision_maker",
        "archivedon": "archived_at",
        "archivedat": "archived_at",
        "archived": "archived_at",
        "归档时间": "archived_at",
        "id": "_ext",
        "contactid": "_ext",
        "personid": "_ext",
        "tuicrmid": "_src",
    },
    "opportunities": {
        "archivedon": "archived_at",
        "archivedat": "archived_at",
        "archived": "archived_at",
        "归档时间": "archived_at",
        "id": "_ext",
        "dealid": "_ext",
        "tuicrmid": "_src",
    },
    "followups": {"id": "_ext", "whoid": "_link", "whatid": "_link", "tuicrmid": "_src"},
    "tiers": {"tuicrmid": "_src"},
}
# Extra fields whose source values are also kept in notes (another system's ids are worth keeping).
_EXTRA_KEEP_IN_NOTES = {"_ext"}

# Where each kind keeps the text of columns it has no field for.
NOTES_FIELD = {
    "customers": "notes",
    "contacts": "notes",
    "opportunities": "plan",
    "followups": "feedback",
    "tiers": "basis",
}

# Which fields say "this sheet can be imported as that kind".
_NEEDS = {
    "customers": (
        {"name", "contact_name", "first_name", "last_name"},
        "customer name column (客户名称 / Name)",
    ),
    "contacts": ({"name", "first_name", "last_name"}, "contact name column (姓名 / Name)"),
    "opportunities": (
        {"name", "customer_name", "customer_code"},
        "opportunity name or customer column (机会名称 / Opportunity name)",
    ),
    "followups": ({"at"}, "follow-up date column (跟进日期 / Date)"),
    "tiers": (
        {"potential", "willingness", "basis", "total"},
        "grading score columns (采购潜力 / 合作意愿 / 评分 / Potential / Willingness)",
    ),
}


@dataclass
class SheetPlan:
    sheet: Sheet
    kind: str
    headers: list[str]
    fields: dict[str, list[int]]
    extras: dict[int, str]  # column index -> extra field (see _EXTRA) or "note"
    header_index: int | None  # index of the header row in sheet.rows (None: no header row)
    result: SheetResult
    day_first: dict[int, bool | None] = field(default_factory=dict)
    scales: dict[int, int] = field(default_factory=dict)
    compound: dict[int, int] = field(default_factory=dict)  # address part column -> compound column
    memo: dict[int, dict] = field(default_factory=dict)  # column -> {raw cell: parsed value or error}

    def has(self, name: str) -> bool:
        return name in self.fields

    def __post_init__(self) -> None:
        # Frozen: new customers of the sheet share it as their set of "explicit" fields.
        self.present = frozenset(self.fields) | {
            e for e in self.extras.values() if e[0] != "_" and e != "note"
        }
        self.present_with_notes = self.present | {"notes"}
        # Plain text fields in one column take the fast path in parse_row.
        self.text_fields = [
            (f, idxs[0]) for f, idxs in self.fields.items() if len(idxs) == 1 and f not in _TYPED_FIELDS
        ]
        self.other_fields = [
            (f, idxs, _field_kind(f, idxs))
            for f, idxs in self.fields.items()
            if len(idxs) > 1 or f in _TYPED_FIELDS
        ]

    @property
    def data_rows(self) -> Iterable[tuple[int, int, list]]:
        """(index in sheet.rows, spreadsheet row number, cells)."""
        start = 0 if self.header_index is None else self.header_index + 1
        for i in range(start, len(self.sheet.rows)):
            yield i, self.sheet.row_numbers[i], self.sheet.rows[i]


def _field_kind(f: str, idxs: list[int]) -> str:
    """How parse_row reads a typed or several-column field (decided once per sheet)."""
    if len(idxs) > 1 or f in _JOIN:
        return "join"
    if f in _DATE_FIELDS:
        return "date"
    if f in _DATETIME_FIELDS:
        return "datetime"
    if f in _MONEY_FIELDS:
        return "money"
    if f in ("budget", "probability", "total"):
        return f
    if f in ("potential", "willingness"):
        return "score"
    if f in _WORD_MAPS and _WORD_MAPS[f] is not None:
        return "word"
    if f in _EMAIL_FIELDS:
        return "email"
    return "text"


def _usable(match, kind: str) -> bool:
    return bool(match.fields & _NEEDS[kind][0])


def _choose(header_cells: list, sheet: Sheet, forced: str | None):
    texts = [txt(c) or "" for c in header_cells]
    if forced:
        m = match_headers(texts, forced)
        m.reason = "--kind given"
        return m
    m = match_headers(texts)
    hint = kind_hint(sheet.name) or kind_hint(Path(sheet.source).stem)
    if hint and hint != m.kind:
        h = match_headers(texts, hint)
        if _usable(h, hint) and len(h.fields) >= len(m.fields):
            h.reason = f"named '{sheet.name or Path(sheet.source).name}' and its headers fit"
            return h
    return m


def prepare(sheet: Sheet, forced: str | None = None) -> SheetPlan:
    """Decide what the sheet holds and which column is which field. Raises FileError when a
    sheet that looks importable lacks its essential column."""
    result = SheetResult(source=sheet.source, sheet=sheet.label, kind=None, encoding=sheet.encoding)
    if sheet.match is not None:  # vCard: the layout is known
        m = sheet.match
        headers = [f for _i, f in sorted(m.columns.items())]
        header_index = None
    else:
        found = find_header(sheet, forced)
        if found is None:
            result.not_imported = "no row of recognised column headers"
            return SheetPlan(sheet, "", [], {}, {}, None, result)
        header_index, _m = found
        header_cells = sheet.rows[header_index]
        m = _choose(header_cells, sheet, forced)
        headers = [txt(c) or "" for c in header_cells]
        result.header_row = sheet.row_numbers[header_index]
    kind = m.kind
    result.kind = kind
    result.reason = m.reason
    fields: dict[str, list[int]] = defaultdict(list)
    for i, f in sorted(m.columns.items()):
        fields[f].append(i)
    extras: dict[int, str] = {}
    specials = _EXTRA.get(kind, {})
    dup_idx = {d[0] for d in getattr(m, "duplicates", [])}
    unknown = [(i, h) for i, h in getattr(m, "unknown", [])] + [
        (d[0], d[1]) for d in getattr(m, "duplicates", [])
    ]
    for i, header in sorted(unknown):
        key = normalise_header(header)
        if i not in dup_idx and key in specials:
            extras[i] = specials[key]
            continue
        if key in _IGNORED:
            result.ignored.append(header)
            continue
        extras[i] = "note"
        result.kept_in_notes.append(header)
    # Salesforce-style compound address cells (MailingAddress = JSON) make their parts
    # (MailingStreet, MailingCity, …) redundant.
    compound: dict[int, int] = {}
    keys = {normalise_header(headers[i]): i for i, e in extras.items() if e == "note" and i < len(headers)}
    for key, ci in keys.items():
        if key.endswith("address") and len(key) > len("address"):
            prefix = key[: -len("address")]
            for part in ("street", "city", "state", "postalcode", "country"):
                pi = keys.get(prefix + part)
                if pi is not None:
                    compound[pi] = ci
    result.columns = [(headers[i] if i < len(headers) else f, f) for i, f in sorted(m.columns.items())]
    result.columns += [(headers[i], e.lstrip("_")) for i, e in sorted(extras.items()) if e != "note"]
    plan = SheetPlan(
        sheet,
        kind,
        headers,
        dict(fields),
        extras,
        header_index,
        result,
        scales=dict(getattr(m, "scales", {}) or {}),
    )
    plan.compound = compound
    if not fields:
        result.not_imported = "no column matches a known field"
        result.kind = None
        return plan
    if not _usable(m, kind):
        shown = ", ".join(h for h in headers if h)[:300]
        raise FileError(
            f"{sheet.label} looks like a sheet of {KIND_LABELS[kind]} but has no {_NEEDS[kind][1]}; "
            f"its columns are: {shown}."
        )
    # Day/month order per date column, decided once for the whole column.
    for f in _DATE_FIELDS | _DATETIME_FIELDS:
        for i in fields.get(f, []):
            plan.day_first[i] = V.guess_day_first([r[i] for _x, _n, r in plan.data_rows if i < len(r)])
    return plan


# ---------------------------------------------------------------------------
# Row parsing (pure)

_DATE_FIELDS = frozenset(
    {
        "first_contact_on",
        "purchase_by",
        "last_deal_on",
        "next_follow_up_on",
        "birthday",
        "next_on",
        "assessed_on",
        "expected_close_on",
        "closed_on",
        "opened_on",
    }
)
_DATETIME_FIELDS = frozenset({"at", "archived_at"})
_MONEY_FIELDS = frozenset({"budget_min", "budget_max", "revenue_total", "amount"})
_WORD_MAPS = {
    "status": V.map_status,
    "tier": V.map_tier,
    "kind": V.map_kind,
    "stage": V.map_stage,
    "channel": V.map_channel,
    "attitude": V.map_attitude,
    "role": V.map_role,
    "relationship": getattr(V, "map_relationship", None),
    "prefers": getattr(V, "map_prefers", None),
}
_JOIN = {"address": ", ", "tags": ",", "notes": "\n", "summary": "\n", "feedback": "\n"}
_EMAIL_FIELDS = frozenset({"email", "contact_email"})
_BOOL_FIELDS = frozenset({"is_primary", "is_key_decision_maker"})
_TYPED_FIELDS = (
    _DATE_FIELDS
    | _DATETIME_FIELDS
    | _MONEY_FIELDS
    | set(_WORD_MAPS)
    | _EMAIL_FIELDS
    | set(_JOIN)
    | {"budget", "probability", "potential", "willingness", "total"}
)


@dataclass(slots=True)
class Row:
    plan: SheetPlan
    number: int
    data: dict
    notes: list[str] = field(default_factory=list)
    src: str | None = None  # identifies the record within this import (code / source id)
    ext_ids: list[str] = field(default_factory=list)  # source-system ids of this record
    link_ids: list[str] = field(default_factory=list)  # source-system ids this row points at
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # worth a line in the report, nothing wrong
    error: str | None = None

    @property
    def present(self) -> frozenset[str]:
        """Fields whose column exists in the sheet (even when this row's cell is empty)."""
        return self.plan.present


def _json_address(text: str) -> str | None:
    """Salesforce compound address cells: {"street": …, "city": …} → one line."""
    if not text or not text.startswith("{"):
        return None
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    keys = ("street", "city", "state", "stateCode", "postalCode", "country")
    parts = []
    for k in keys:
        v = obj.get(k)
        if v and str(v) not in parts and not (k == "stateCode" and obj.get("state")):
            parts.append(str(v))
    return ", ".join(parts) if parts else ""


def _join_address(parts: list[str]) -> str | None:
    for p in parts:
        j = _json_address(p)
        if j is not None:
            return j or None
    out: list[str] = []
    for p in parts:
        if p and not any(p in o for o in out):
            out.append(p)
    return ", ".join(out) or None


_ZERO_DATE = re.compile(r"0+([./-]0+){2}")
_ZONE = re.compile(r"(z|utc|gmt|[+-]\d{2}:?\d{2})\s*$", re.IGNORECASE)


def _datetime_cell(raw, day_first: bool | None) -> datetime | None:
    """An aware UTC datetime: a written offset is honoured, otherwise the time is local wall-clock."""
    value = V.parse_datetime(raw, day_first=day_first)
    if value is None:
        return None
    if isinstance(raw, str) and re.search(r"\d:\d", raw) and _ZONE.search(raw.strip()):
        return value.replace(tzinfo=UTC)
    return _utc_from_local(value)


def _cached(plan: SheetPlan, column: int, raw, parse, day_first: bool | None = None):
    """Parse a cell through a per-column memo: dates and status words repeat a lot in a big file."""
    memo = plan.memo.setdefault(column, {})
    try:
        hit = memo[raw]
    except (KeyError, TypeError):
        try:
            value = parse(raw, day_first=day_first) if parse is V.parse_date else parse(raw)
        except ValueError as exc:
            hit = exc
        else:
            hit = value
        try:
            if len(memo) < 50_000:
                memo[raw] = hit
        except TypeError:
            pass
    if isinstance(hit, ValueError):
        raise hit
    return hit


def _bool(value) -> bool | None:
    s = txt(value)
    if s is None:
        return None
    k = s.casefold()
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise ValueError(f"{s} is not yes or no")


def _header(plan: SheetPlan, i: int) -> str:
    headers = plan.headers
    return headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"


def _keep(row: Row, i: int, value) -> None:
    """A cell that could not be read as its field: kept as a note line."""
    t = txt(value)
    if t:
        row.notes.append(f"{_header(row.plan, i)}: {t}")


def parse_row(plan: SheetPlan, index: int, number: int, cells: list, config: Config) -> Row:
    row = Row(plan, number, {})
    if plan.sheet.row_errors and index in plan.sheet.row_errors:
        row.error = plan.sheet.row_errors[index]
        return row
    errors: list[str] = []
    n = len(cells)
    data = row.data
    for f, i in plan.text_fields:
        if i < n:
            v = cells[i]
            if v is None or v == "":
                continue
            if type(v) is str:  # txt()'s common case, inline: a clean cell needs only a strip
                t = v.strip()
                if t and t[0] != "'" and t.isprintable():
                    data[f] = t
                    continue
            t = txt(v)
            if t is not None:
                data[f] = t
    for f, idxs, kind in plan.other_fields:
        if kind == "join":
            if len(idxs) == 1:
                t = txt(cells[idxs[0]]) if idxs[0] < n else None
                if t:
                    data[f] = _join_address([t]) if f == "address" else t
                continue
            texts = [t for t in (txt(cells[i]) for i in idxs if i < n) if t]
            if not texts:
                continue
            if f == "address":
                data[f] = _join_address(texts)
            else:
                joined: list[str] = []
                for t in texts:
                    if t not in joined:
                        joined.append(t)
                data[f] = _JOIN.get(f, " ").join(joined)
            continue
        i = idxs[0]
        raw = cells[i] if i < n else None
        if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            if kind == "word":
                try:
                    value = _cached(plan, i, raw, _WORD_MAPS[f])
                except ValueError as exc:
                    row.warnings.append(f"{_header(plan, i)}: {exc}; kept in notes")
                    _keep(row, i, raw)
                    continue
            elif kind == "email":
                value = txt(raw)
                if value and not _EMAIL.match(value):
                    row.warnings.append(
                        f"{_header(plan, i)}: '{value}' is not an email address; kept in notes"
                    )
                    _keep(row, i, raw)
                    continue
            elif kind == "date":
                if isinstance(raw, str) and _ZERO_DATE.fullmatch(raw.strip()):
                    continue  # Outlook's "0.0.00": no date
                value = _cached(plan, i, raw, V.parse_date, plan.day_first.get(i))
            elif kind == "datetime":
                value = _datetime_cell(raw, plan.day_first.get(i))
            elif kind == "money":
                value = V.parse_amount(raw)
                if value is not None and plan.scales.get(i):
                    value = (value * plan.scales[i]).quantize(Decimal("0.01"))
            elif kind == "budget":
                low, high = V.parse_amount_range(raw)
                if plan.scales.get(i):
                    low = low * plan.scales[i] if low is not None else None
                    high = high * plan.scales[i] if high is not None else None
                data["budget_min"], data["budget_max"] = low, high
                continue
            elif kind == "probability":
                value = V.parse_percent(raw)
            elif kind == "score":
                value = V.parse_int(raw, config.score_min, config.score_max, "score")
            elif kind == "total":
                value = V.parse_int(raw, 0, 2 * config.score_max, "total score")
            else:
                value = txt(raw)
        except ValueError as exc:
            errors.append(f"{_header(plan, i)}: {exc}")
            continue
        if value is not None:
            data[f] = value

    for i, extra in plan.extras.items():
        raw = cells[i] if i < n else None
        t = txt(raw)
        if t is None:
            continue
        if extra == "note":
            ci = plan.compound.get(i)
            if ci is not None and ci < n and _json_address(txt(cells[ci]) or ""):
                continue  # the compound address cell says it all
            addr = _json_address(t)
            if addr is not None:
                if not addr:
                    continue
                if plan.kind == "customers" and not data.get("address"):
                    data["address"] = addr
                    continue
                if data.get("address") and _text_contains(data["address"], addr):
                    continue
                t = addr
            row.notes.append(f"{_header(plan, i)}: {t}")
        elif extra == "_src":
            row.src = row.src or f"tuicrm:{t}"
        elif extra == "_ext":
            row.ext_ids.append(t)
            row.notes.append(f"{_header(plan, i)}: {t}")
        elif extra == "_link":
            row.link_ids.append(t)
        elif extra in _BOOL_FIELDS:
            try:
                row.data[extra] = _bool(raw)
            except ValueError as exc:
                errors.append(f"{_header(plan, i)}: {exc}")
        elif extra == "archived_at":
            try:
                row.data[extra] = _datetime_cell(raw, None)
            except ValueError as exc:
                errors.append(f"{_header(plan, i)}: {exc}")
        else:
            row.data[extra] = t
    # Drop note lines that only repeat a compound address kept elsewhere on the row.
    if errors:
        row.error = "; ".join(errors)
    return row


# ---------------------------------------------------------------------------
# The planner: matching against the database and this import, in memory


CUSTOMER_TEXT = (
    "name",
    "alias",
    "industry",
    "size",
    "kind",
    "source",
    "needs",
    "address",
    "phone",
    "email",
    "tags",
    "notes",
    "owner",
    "next_action",
)
CUSTOMER_VALUES = CUSTOMER_TEXT + (
    "first_contact_on",
    "status",
    "tier",
    "budget_min",
    "budget_max",
    "purchase_by",
    "revenue_total",
    "last_deal_on",
    "next_follow_up_on",
    "archived_at",
)
CONTACT_VALUES = (
    "name",
    "title",
    "department",
    "role",
    "phone",
    "mobile",
    "email",
    "im",
    "birthday",
    "relationship",
    "prefers",
    "interests",
    "notes",
    "is_primary",
    "is_key_decision_maker",
    "archived_at",
)
OPP_VALUES = (
    "name",
    "amount",
    "expected_close_on",
    "stage",
    "probability",
    "decision_maker_id",
    "competitors",
    "risks",
    "plan",
    "owner",
    "lost_reason",
    "closed_on",
    "archived_at",
)
_CUSTOMER_VALUE_SET = frozenset(CUSTOMER_VALUES)
# Values that count as "not set" when merging (the model's defaults).
_DEFAULTS = {"status": "potential", "tier": "D"}


def _same(field_name: str, a, b) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    if field_name in ("phone", "mobile"):
        ka, kb = phone_key(str(a)), phone_key(str(b))
        return ka is not None and ka == kb
    if field_name == "email":
        return str(a).casefold() == str(b).casefold()
    if field_name == "name":
        return name_key(str(a)) == name_key(str(b))
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(a) == Decimal(b)
        except Exception:
            return False
    if isinstance(a, datetime) or isinstance(b, datetime):
        return _naive_utc(a) == _naive_utc(b)
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return False


def _text_contains(existing: str | None, addition: str) -> bool:
    if not existing:
        return False
    squash = lambda s: " ".join(s.split())  # noqa: E731
    return squash(addition) in squash(existing)


class _Record(dict):
    """A new row's values: a field never set reads as None. Holding only the fields a file
    gives (a dozen of a customer's thirty-odd) halves a large import's memory."""

    def __missing__(self, key):
        return None


class _Customers(dict):
    """Customers by id, as dicts: the new ones, and the existing ones read so far. An existing
    customer not read yet is read on first use (``load`` reads many at once); ``names`` holds
    every existing customer's name, read up front with the keys duplicates are found by.
    Reading every row whole made a small import into a database of 100 000 customers take
    ten seconds."""

    def __init__(self, read_rows: Callable[[list[int]], None]):
        super().__init__()
        self._read_rows = read_rows
        self.names: dict[int, str] = {}

    def load(self, ids: list[int]) -> None:
        if ids:
            self._read_rows(ids)

    def __missing__(self, cid):
        if cid not in self.names:
            raise KeyError(cid)
        self.load([cid])
        return dict.__getitem__(self, cid)

    def __contains__(self, cid) -> bool:
        return dict.__contains__(self, cid) or cid in self.names

    def has_row(self, cid) -> bool:
        return dict.__contains__(self, cid)

    def all_names(self) -> Iterable[tuple[int, str]]:
        yield from self.names.items()
        for cid, c in self.items():
            if cid not in self.names:
                yield cid, c["name"]


class Planner:
    """Decides, row by row, what to create, merge or skip; then writes it all at once."""

    def __init__(self, session, config: Config, report: ImportReport, progress: ProgressFn | None):
        from tuicrm.models import Contact, Customer, FollowUp, Opportunity, StageChange, TierAssessment
        from tuicrm.store.customers import current_user

        self.session = session
        self.conn = conn = session.connection()
        self.config = config
        self.report = report
        self.progress = progress
        self.now = clock.utcnow()
        self.today = clock.today()
        self.user = current_user()
        self.T = SimpleNamespace(
            customer=Customer.__table__,
            contact=Contact.__table__,
            followup=FollowUp.__table__,
            opportunity=Opportunity.__table__,
            stagechange=StageChange.__table__,
            tierassessment=TierAssessment.__table__,
        )
        self.next_id = {
            name: (conn.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0) + 1
            for name, t in vars(self.T).items()
        }
        # Customers as plain dicts: new ones, and the existing ones this import looks at (loaded
        # on first use; only the fields duplicates are found by are read for all of them).
        self._customer_cols = [
            self.T.customer.c[k] for k in ("id", "code", "search_text", "updated_at") + CUSTOMER_VALUES
        ]
        self.customers = _Customers(self._load_customers)
        self.new_customers: list[int] = []
        self.before: dict[tuple[str, int], dict] = {}  # (table, id) -> original values of changed columns
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        max_code = 0
        names = self.customers.names
        for cid, code, name, phone, email in conn.exec_driver_sql(
            "SELECT id, code, name, phone, email FROM customer ORDER BY id"
        ):
            names[cid] = name
            self._index(cid, code, name, phone, email)
            m = _OUR_CODE.match(code or "")
            if m:
                max_code = max(max_code, int(m[1]))
        self.code_counter = max_code
        self.claims: dict[tuple[str, int], str | None] = {}  # (table, id) -> src of the row that matched it
        self.registry: dict[str, tuple[str, int, int]] = {}  # source-system id -> (table, id, customer id)
        self.explicit: dict[int, set[str]] = defaultdict(set)  # new customer -> fields given by its sheet
        # Children of existing customers, loaded on demand.
        self.contacts: dict[int, list[dict]] = {}
        self.opps: dict[int, list[dict]] = {}
        self.opp_by_name: dict[int, dict[str, list[dict]]] = {}
        self.fu_keys: dict[int, Counter] = {}  # existing follow-ups not yet matched, by (at, summary)
        self.fu_latest: dict[int, datetime | None] = {}
        self.ta_keys: dict[int, list[tuple]] = {}
        self.ta_latest: dict[int, date | None] = {}
        self.new_rows: dict[str, list[dict]] = defaultdict(list)
        self.changed: dict[tuple[str, int], dict] = {}  # (table, id) -> new values for existing rows
        self.search_dirty: set[int] = set()
        # Per-customer effects gathered from child rows, applied at the end.
        self.latest_fu: dict[int, dict] = {}
        self.earliest_fu: dict[int, date] = {}
        self.won: dict[int, list[dict]] = defaultdict(list)
        self.latest_ta: dict[int, dict] = {}
        self._name_scan: dict[str, list[int]] | None = None
        self.placeholder: int | None = None
        self._shared: tuple[int, str] | None = None
        self._new_ids: set[int] = set()
        self.loaded: set[int] = set()  # customers whose children are in memory
        self.had_customers = bool(names)
        self.fu_created: dict[int, set] = defaultdict(set)  # follow-up keys created in this import

    # -- indexes ------------------------------------------------------------

    def _index_customer(self, c: dict) -> None:
        self._index(c["id"], c.get("code"), c.get("name"), c.get("phone"), c.get("email"))

    def _index(
        self, cid: int, code: str | None, name: str | None, phone: str | None, email: str | None
    ) -> None:
        """Make a customer findable by its code, and by the keys of its name, phone and e-mail."""
        if code:
            self.by_code[code] = cid
        k = name_key(name)
        if k and cid not in self.by_name[k]:
            self.by_name[k].append(cid)
        pk = phone_key(phone)
        if pk:
            self.by_phone.setdefault(pk, cid)
        ek = email_key(email)
        if ek:
            self.by_email.setdefault(ek, cid)

    def _alloc(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    def _new_code(self, wanted: str | None) -> str:
        if wanted and wanted not in self.by_code:
            m = _OUR_CODE.match(wanted)
            self.code_counter = max(self.code_counter, int(m[1]))
            return f"C{int(m[1]):06d}"
        self.code_counter += 1
        code = f"C{self.code_counter:06d}"
        while code in self.by_code:
            self.code_counter += 1
            code = f"C{self.code_counter:06d}"
        return code

    def _load_customers(self, ids: list[int]) -> None:
        """Read whole rows of existing customers into ``self.customers``, in chunks."""
        cols = self._customer_cols
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for r in self.conn.execute(sa.select(*cols).where(self.T.customer.c.id.in_(chunk))).mappings():
                dict.__setitem__(self.customers, r["id"], dict(r))

    def prefetch(self, customer_ids: Iterable[int]) -> None:
        """Load the children of existing customers this import touches (and their own rows), in chunks."""
        ids = [cid for cid in set(customer_ids) if cid not in self.loaded and cid in self.customers]
        self.loaded.update(ids)
        self.customers.load([cid for cid in ids if not self.customers.has_row(cid)])
        for cid in ids:
            self.contacts[cid] = []
            self.opps[cid] = []
            self.fu_keys[cid] = Counter()
            self.fu_latest[cid] = None
            self.ta_keys[cid] = []
            self.ta_latest[cid] = None
        T = self.T
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for r in self.conn.execute(
                sa.select(
                    *[T.contact.c[k] for k in ("id", "customer_id", "updated_at") + CONTACT_VALUES]
                ).where(T.contact.c.customer_id.in_(chunk))
            ).mappings():
                self.contacts[r["customer_id"]].append(dict(r))
            for r in self.conn.execute(
                sa.select(
                    *[T.opportunity.c[k] for k in ("id", "customer_id", "updated_at") + OPP_VALUES]
                ).where(T.opportunity.c.customer_id.in_(chunk))
            ).mappings():
                self.opps[r["customer_id"]].append(dict(r))
            for cid, at, summary in self.conn.execute(
                sa.select(T.followup.c.customer_id, T.followup.c.at, T.followup.c.summary).where(
                    T.followup.c.customer_id.in_(chunk)
                )
            ):
                at = _naive_utc(at)
                self.fu_keys[cid][(at, name_key(summary))] += 1
                if self.fu_latest[cid] is None or at > self.fu_latest[cid]:
                    self.fu_latest[cid] = at
            for cid, pot, wil, basis, on in self.conn.execute(
                sa.select(
                    T.tierassessment.c.customer_id,
                    T.tierassessment.c.potential,
                    T.tierassessment.c.willingness,
                    T.tierassessment.c.basis,
                    T.tierassessment.c.assessed_on,
                ).where(T.tierassessment.c.customer_id.in_(chunk))
            ):
                on = _as_date(on)
                self.ta_keys[cid].append((pot, wil, name_key(basis), on))
                if self.ta_latest[cid] is None or on > self.ta_latest[cid]:
                    self.ta_latest[cid] = on

    # -- changes to rows ----------------------------------------------------

    def _set(self, table: str, row: dict, key: str, value, *, new: bool) -> None:
        """Change one value of a row; for existing rows remember the before-state for undo."""
        if not new:
            ident = (table, row["id"])
            before = self.before.setdefault(ident, {"updated_at": row.get("updated_at")})
            if key not in before:
                before[key] = row.get(key)
            self.changed.setdefault(ident, {})[key] = value
        row[key] = value

    def _fill(
        self, table: str, row: dict, values: dict, *, new: bool, append_notes: str | None = None
    ) -> tuple[list[str], list[str]]:
        """Fill the row's empty fields from ``values``; return (filled, conflicts) field names."""
        filled, conflicts = [], []
        for key, value in values.items():
            if value is None:
                continue
            current = row.get(key)
            empty = (
                current is None
                or current == ""
                or (key in _DEFAULTS and current == _DEFAULTS[key] and table == "customer")
            )
            if empty:
                if key in _DEFAULTS and value == _DEFAULTS[key]:
                    continue
                self._set(table, row, key, value, new=new)
                filled.append(key)
            elif key == append_notes and isinstance(value, str):
                if not _text_contains(current, value):
                    self._set(table, row, key, f"{current}\n{value}", new=new)
                    filled.append(key)
            elif not _same(key, current, value):
                conflicts.append(key)
        return filled, conflicts

    # -- customers ----------------------------------------------------------

    def _claim_ok(self, table: str, ident: int, src: str | None) -> bool:
        claim = self.claims.get((table, ident), "\0unclaimed")
        return claim == "\0unclaimed" or src is None or claim is None or claim == src

    def find_customer(
        self, name: str | None, phone: str | None, email: str | None, code: str | None, src: str | None
    ) -> tuple[int | None, str]:
        """(customer id, how it matched) for a customer-level record, or (None, '')."""
        if code and code in self.by_code:
            cid = self.by_code[code]
            c = self.customers[cid]
            if (
                not name
                or name_key(c["name"]) == name_key(name)
                or (phone_key(phone) and phone_key(phone) == phone_key(c.get("phone")))
                or (email_key(email) and email_key(email) == email_key(c.get("email")))
            ):
                return cid, "code"
        if src and src in self.registry and self.registry[src][0] == "customer":
            return self.registry[src][2], "id"
        ek = email_key(email)
        if ek and ek in self.by_email:
            cid = self.by_email[ek]
            if names_compatible(name, self.customers[cid]["name"]):
                return cid, "email"
            self._shared = (cid, "e-mail")
        pk = phone_key(phone)
        if pk and pk in self.by_phone:
            cid = self.by_phone[pk]
            if names_compatible(name, self.customers[cid]["name"]):
                return cid, "phone"
            self._shared = (cid, "phone")
        for cid in self.by_name.get(name_key(name), []) if name else []:
            if self._claim_ok("customer", cid, src):
                return cid, "name"
        return None, ""

    def create_customer(
        self,
        values: dict,
        *,
        code: str | None = None,
        src: str | None = None,
        explicit: Iterable[str] = (),
        filtered: bool = False,
    ) -> dict:
        """A new customer from ``values`` (``filtered``: they hold only set customer fields)."""
        cid = self._alloc("customer")
        c = _Record(
            values
            if filtered
            else {k: v for k, v in values.items() if k in _CUSTOMER_VALUE_SET and v is not None}
        )
        c["id"] = cid
        c["code"] = self._new_code(code if code and _OUR_CODE.match(code) else None)
        c["status"] = c.get("status") or "potential"
        c["tier"] = c.get("tier") or "D"
        c["owner"] = c.get("owner") or self.user
        self.customers[cid] = c
        self.new_customers.append(cid)
        self._new_ids.add(cid)
        self._index_customer(c)
        self.loaded.add(cid)  # a new customer has no children in the database
        self.claims[("customer", cid)] = src
        self.explicit[cid] = explicit if isinstance(explicit, (set, frozenset)) else set(explicit)
        self._name_scan = None
        return c

    def _update_customer_indexes(self, c: dict, filled: list[str]) -> None:
        if {"phone", "email", "name", "alias"} & set(filled):
            self._index_customer(c)
            self.search_dirty.add(c["id"])

    def resolve_link(self, row: Row) -> tuple[int | None, str | None]:
        """The customer a child row belongs to: (id, None) or (None, the unresolved name)."""
        code = row.data.get("customer_code")
        if code:
            m = _OUR_CODE.match(code)
            if m and f"C{int(m[1]):06d}" in self.by_code:
                return self.by_code[f"C{int(m[1]):06d}"], None
        name = row.data.get("customer_name")
        for ref in ([name] if name else []) + row.link_ids + ([code] if code else []):
            hit = self.registry.get(ref)
            if hit:
                return hit[2], None
        if name:
            m = _OUR_CODE.match(name)
            if m and f"C{int(m[1]):06d}" in self.by_code:
                return self.by_code[f"C{int(m[1]):06d}"], None
            ids = self.by_name.get(name_key(name))
            if ids:
                return ids[0], None
        return None, name

    def customer_for_child(self, row: Row, *, allow_scan: bool) -> tuple[int, bool]:
        """Resolve (or create) the customer of a contact/opportunity/follow-up/tier row.

        Returns (customer id, created). Unresolvable rows go under a placeholder customer,
        reported; a name that is not found creates that customer, reported.
        """
        cid, name = self.resolve_link(row)
        if cid is not None:
            self.prefetch([cid])
            return cid, False
        if name and not _MACHINE_ID.match(name):
            c = self.create_customer({"name": name[:200]})
            row.notices.append(f"customer '{name}' was not in the database or the file; created it")
            return c["id"], True
        if allow_scan:
            hit = self._scan_name(row.data.get("name"))
            if hit is not None:
                self.prefetch([hit])
                row.notices.append(f"linked to customer '{self.customers[hit]['name']}' by its name")
                return hit, False
        why = (
            f"its customer '{name}' is not in this import or the database" if name else "it names no customer"
        )
        row.warnings.append(f"{why}; filed under '{NO_ACCOUNT}'")
        return self._placeholder(), False

    def _placeholder(self) -> int:
        if self.placeholder is None:
            ids = self.by_name.get(name_key(NO_ACCOUNT))
            if ids:
                self.placeholder = ids[0]
            else:
                c = self.create_customer({"name": NO_ACCOUNT, "notes": "Rows imported without a customer."})
                self.placeholder = c["id"]
        self.prefetch([self.placeholder])
        return self.placeholder

    _SUFFIXES = re.compile(
        r"(股份有限公司|集团有限公司|有限责任公司|有限公司|集团|公司|inc|ltd|llc|gmbh|corp|corporation|co|plc|group|"
        r"company|limited)$"
    )

    def _scan_name(self, text: str | None) -> int | None:
        """A customer whose (short) name appears inside ``text`` ("科技云服务器项目" → 科技有限公司)."""
        if not text:
            return None
        if self._name_scan is None:
            scan: dict[str, list[int]] = defaultdict(list)
            for cid, name in self.customers.all_names():
                k = name_key(name)
                for key in {k, self._SUFFIXES.sub("", k)}:
                    if len(key) >= 2 and cid not in scan[key]:
                        scan[key].append(cid)
            self._name_scan = scan
        k = name_key(text)[:60]
        for size in range(len(k), 1, -1):
            hits = {
                cid
                for start in range(0, len(k) - size + 1)
                for cid in self._name_scan.get(k[start : start + size], [])
            }
            if len(hits) == 1:
                return hits.pop()
            if len(hits) > 1:
                return None
        return None

    # -- per kind -----------------------------------------------------------

    def customer_row(self, row: Row) -> str:
        d = row.data
        first, last = d.get("first_name"), d.get("last_name")
        person = d.get("contact_name") or _person_name(first, last)
        name = d.get("name") or person
        linked = None
        if name and person and _MACHINE_ID.match(name) and name_key(person) != name_key(name):
            # The company cell holds another system's record id (Salesforce leads): the account
            # of this import when there is one, else the person is the customer.
            hit = self.registry.get(name)
            row.notes.insert(0, f"{_header_of(row, 'name')}: {name}")
            linked = hit[2] if hit else None
            name = self.customers[linked]["name"] if hit else person
        if not name:
            cols = [
                row.plan.headers[i]
                for f in ("name", "contact_name", "first_name", "last_name")
                for i in row.plan.fields.get(f, [])
                if i < len(row.plan.headers)
            ]
            raise _Reject(
                "no customer name"
                + (
                    f" (the {', '.join(cols)} cell is empty)"
                    if len(cols) == 1
                    else f" (the {', '.join(cols)} cells are empty)"
                    if cols
                    else ""
                )
            )
        if len(name) > 200:
            raise _Reject(f"the customer name is {len(name)} characters; at most 200 fit")
        code = d.get("code")
        our_code = None
        if code:
            m = _OUR_CODE.match(code)
            if m:
                our_code = f"C{int(m[1]):06d}"
            else:
                row.notes.insert(0, f"Code: {code}")
                row.ext_ids.append(code)
        ext = d.get("external_id")
        if ext:
            row.ext_ids.append(ext)
            row.notes.insert(0, f"{_header_of(row, 'external_id')}: {ext}")
        src = row.src or our_code or (row.ext_ids[0] if row.ext_ids else None)
        values = {k: v for k, v in d.items() if k in _CUSTOMER_VALUE_SET and v is not None}
        values["name"] = name
        # A person named on the row who is the customer itself (B2C): no separate contact.
        contact = None
        if person and name_key(person) != name_key(name):
            contact = {
                "name": person,
                "title": d.get("contact_title"),
                "phone": d.get("contact_phone"),
                "email": d.get("contact_email"),
                "im": d.get("contact_im"),
            }
        else:
            for k, label in (
                ("contact_phone", "Contact phone"),
                ("contact_email", "Contact email"),
                ("contact_im", "IM"),
                ("contact_title", "Title"),
            ):
                if d.get(k):
                    if k == "contact_phone" and not values.get("phone"):
                        values["phone"] = d[k]
                    elif k == "contact_email" and not values.get("email"):
                        values["email"] = d[k]
                    else:
                        row.notes.append(f"{label}: {d[k]}")
        if row.notes:
            values["notes"] = "\n".join(([values["notes"]] if values.get("notes") else []) + row.notes)
        self._shared = None
        if linked is not None:
            cid, how = linked, "id"
            # The row describes a person at that account: their details go on the contact.
            person_bits = {k: values.pop(k) for k in ("phone", "email", "address", "notes") if k in values}
            if contact is not None:
                for k in ("phone", "email", "notes"):
                    if person_bits.get(k) and not contact.get(k):
                        contact[k] = person_bits[k]
        else:
            cid, how = self.find_customer(name, values.get("phone"), values.get("email"), our_code, src)
        if cid is None and self._shared:
            other = self.customers[self._shared[0]]
            row.notices.append(
                f"shares its {self._shared[1]} with {other['code']} '{other['name']}'; "
                "imported as a separate customer"
            )
        if our_code and cid is None and our_code in self.by_code:
            row.warnings.append(
                f"code {our_code} belongs to '{self.customers[self.by_code[our_code]]['name']}'; "
                "this customer gets a new code"
            )
        if cid is None:
            c = self.create_customer(
                values,
                code=our_code,
                src=src,
                filtered=True,
                explicit=row.plan.present_with_notes if row.notes else row.plan.present,
            )
            outcome = "created"
        else:
            c = self.customers[cid]
            new = cid in self._new_ids
            self.prefetch([cid])
            values.pop("archived_at", None)  # an import never archives an existing customer
            filled, conflicts = self._fill("customer", c, values, new=new, append_notes="notes")
            self._update_customer_indexes(c, filled)
            if new:
                self.explicit[cid] = self.explicit[cid] | row.present
            if conflicts:
                row.warnings.append(
                    f"matched {c['code']} '{c['name']}' by {how}; kept its "
                    + ", ".join(conflicts)
                    + " (the file differs)"
                )
            if c.get("archived_at") and not new:
                row.warnings.append(f"matched archived customer {c['code']}; it stays archived")
            self.claims.setdefault(("customer", cid), src)
            outcome = "merged" if filled else "skipped"
        for e in row.ext_ids:
            self.registry.setdefault(e, ("customer", c["id"], c["id"]))
        if our_code:
            self.registry.setdefault(our_code, ("customer", c["id"], c["id"]))
        if contact:
            r = self._contact_into(c["id"], contact, row, src=None, explicit_primary=False)
            if r != "skipped" and outcome == "skipped":
                outcome = "merged"
        return outcome

    def _contact_into(
        self, cid: int, values: dict, row: Row, *, src: str | None, explicit_primary: bool
    ) -> str:
        """Add or merge one contact of customer ``cid``."""
        values = {k: v for k, v in values.items() if v is not None}
        contacts = self.contacts.setdefault(cid, [])
        found = None
        ek = email_key(values.get("email"))
        pks = {phone_key(values.get("phone")), phone_key(values.get("mobile"))} - {None}
        nk = name_key(values.get("name"))
        for x in contacts:
            if nk and nk == name_key(x.get("name")) and self._claim_ok("contact", x["id"], src):
                found = x
                break
        if found is None:
            for x in contacts:
                if not names_compatible(values.get("name"), x.get("name")):
                    continue  # a shared office line or mailbox: another person
                if (ek and ek == email_key(x.get("email"))) or (
                    pks & ({phone_key(x.get("phone")), phone_key(x.get("mobile"))} - {None})
                ):
                    found = x
                    break
        if found is None:
            ident = self._alloc("contact")
            x = {k: None for k in CONTACT_VALUES}
            x.update({k: v for k, v in values.items() if k in CONTACT_VALUES})
            x["id"], x["customer_id"] = ident, cid
            if x.get("role") == "decision-maker" and x.get("is_key_decision_maker") is None:
                x["is_key_decision_maker"] = True
            x["is_key_decision_maker"] = bool(x.get("is_key_decision_maker"))
            if explicit_primary:
                x["is_primary"] = bool(x.get("is_primary"))
            else:
                x["is_primary"] = not any(c.get("is_primary") and not c.get("archived_at") for c in contacts)
            x["_new"] = True
            contacts.append(x)
            self.new_rows["contact"].append(x)
            self.claims[("contact", ident)] = src
            for e in row.ext_ids if row.plan.kind == "contacts" else []:
                self.registry.setdefault(e, ("contact", ident, cid))
            self.search_dirty.add(cid)
            return "created"
        new = bool(found.get("_new"))
        values.pop("archived_at", None)
        if not explicit_primary:
            values.pop("is_primary", None)
        filled, conflicts = self._fill(
            "contact",
            found,
            {k: v for k, v in values.items() if k in CONTACT_VALUES},
            new=new,
            append_notes="notes",
        )
        if conflicts:
            row.warnings.append(
                f"contact '{found['name']}' exists; kept its " + ", ".join(conflicts) + " (the file differs)"
            )
        if {"name", "email", "phone", "mobile"} & set(filled):
            self.search_dirty.add(cid)
        self.claims.setdefault(("contact", found["id"]), src)
        if row.plan.kind == "contacts":
            for e in row.ext_ids:
                self.registry.setdefault(e, ("contact", found["id"], cid))
        return "merged" if filled else "skipped"

    def contact_row(self, row: Row) -> str:
        d = row.data
        name = d.get("name") or _person_name(d.get("first_name"), d.get("last_name"))
        if not name:
            raise _Reject("no contact name")
        if len(name) > 200:
            raise _Reject(f"the contact name is {len(name)} characters; at most 200 fit")
        values = {k: d.get(k) for k in CONTACT_VALUES if d.get(k) is not None}
        values["name"] = name
        address = d.get("address")
        cid, unresolved = self.resolve_link(row)
        person_customer = False
        if cid is None and unresolved and not _MACHINE_ID.match(unresolved):
            c = self.create_customer({"name": unresolved[:200]})
            cid = c["id"]
            row.notices.append(f"created customer '{unresolved}' for this contact")
        elif cid is None:
            # A person without a company: a B2C customer of their own, with them as its contact.
            phone = d.get("phone") or d.get("mobile")
            self._shared = None
            cid, _how = self.find_customer(name, phone, d.get("email"), None, row.src)
            if cid is not None and self.customers[cid].get("kind") != "B2C" and _how == "name":
                cid = None  # a company that happens to carry the person's name is not them
            if cid is None:
                c = self.create_customer(
                    {"name": name, "kind": "B2C", "phone": phone, "email": d.get("email"), "address": address}
                )
                cid = c["id"]
                person_customer = True
            if unresolved:
                row.warnings.append(
                    f"its company id '{unresolved}' is not in this import; kept as a customer of its own"
                )
        notes = list(row.notes)
        if (
            address
            and not person_customer
            and not _text_contains(self.customers[cid].get("address"), address)
        ):
            notes.insert(0, f"Address: {address}")
        if notes:
            values["notes"] = "\n".join(([values["notes"]] if values.get("notes") else []) + notes)
        src = row.src or (row.ext_ids[0] if row.ext_ids else None)
        self.prefetch([cid])
        outcome = self._contact_into(
            cid, values, row, src=src, explicit_primary="is_primary" in row.plan.extras.values()
        )
        if person_customer and outcome == "created":
            return "created"
        return outcome

    def opportunity_row(self, row: Row) -> str:
        d = row.data
        scan = not (row.plan.has("customer_name") or row.plan.has("customer_code"))
        cid, _created = self.customer_for_child(row, allow_scan=scan)
        name = d.get("name") or self.customers[cid]["name"]
        if len(name) > 200:
            raise _Reject(f"the opportunity name is {len(name)} characters; at most 200 fit")
        stage = d.get("stage") or "lead"
        closed_on = d.get("closed_on")
        if stage in ("won", "lost") and closed_on is None and d.get("expected_close_on"):
            closed_on = d["expected_close_on"]
        values = {
            "name": name,
            "amount": d.get("amount"),
            "expected_close_on": d.get("expected_close_on"),
            "stage": d.get("stage"),
            "probability": d.get("probability"),
            "competitors": d.get("competitors"),
            "risks": d.get("risks"),
            "plan": d.get("plan"),
            "owner": d.get("owner"),
            "lost_reason": d.get("lost_reason"),
            "closed_on": closed_on,
            "archived_at": _aware(d.get("archived_at")),
        }
        if row.notes:
            values["plan"] = "\n".join(([values["plan"]] if values.get("plan") else []) + row.notes)
        src = row.src or (row.ext_ids[0] if row.ext_ids else None)
        opps = self.opps.setdefault(cid, [])
        nk = name_key(name)
        found = None
        for o in self._opp_index(cid).get(nk, []):
            if self._claim_ok("opportunity", o["id"], src):
                found = o
                break
        if d.get("contact_name"):
            values["decision_maker_id"] = self._decision_maker(cid, d["contact_name"], row)
        if found is None:
            ident = self._alloc("opportunity")
            o = {k: None for k in OPP_VALUES}
            o.update({k: v for k, v in values.items() if v is not None})
            o["id"], o["customer_id"] = ident, cid
            o["stage"] = stage
            if o["amount"] is None:
                o["amount"] = Decimal("0.00")
            if o["probability"] is None:
                o["probability"] = self.config.stage_probability.get(stage, 0)
            o["owner"] = o.get("owner") or self.user
            o["_new"] = True
            o["_opened"] = d.get("opened_on")
            opps.append(o)
            self._opp_index(cid).setdefault(nk, []).append(o)
            self.new_rows["opportunity"].append(o)
            self.claims[("opportunity", ident)] = src
            for e in row.ext_ids:
                self.registry.setdefault(e, ("opportunity", ident, cid))
            self._stage_history(o)
            if stage == "won":
                self.won[cid].append(o)
            return "created"
        new = bool(found.get("_new"))
        values.pop("archived_at", None)
        filled, conflicts = self._fill("opportunity", found, values, new=new, append_notes="plan")
        if conflicts:
            row.warnings.append(
                f"opportunity '{found['name']}' exists; kept its "
                + ", ".join(conflicts)
                + " (the file differs)"
            )
        self.claims.setdefault(("opportunity", found["id"]), src)
        for e in row.ext_ids:
            self.registry.setdefault(e, ("opportunity", found["id"], cid))
        return "merged" if filled else "skipped"

    def _opp_index(self, cid: int) -> dict[str, list[dict]]:
        index = self.opp_by_name.get(cid)
        if index is None:
            index = self.opp_by_name[cid] = {}
            for o in self.opps.get(cid, []):
                index.setdefault(name_key(o["name"]), []).append(o)
        return index

    def _decision_maker(self, cid: int, person: str, row: Row) -> int | None:
        for x in self.contacts.setdefault(cid, []):
            if name_key(x.get("name")) == name_key(person):
                return x["id"]
        self._contact_into(
            cid,
            {"name": person[:200], "role": "decision-maker", "is_key_decision_maker": True},
            row,
            src=None,
            explicit_primary=False,
        )
        return self.contacts[cid][-1]["id"]

    def _stage_history(self, o: dict) -> None:
        """StageChange rows for an imported opportunity: opened (engage/created date), then closed."""
        opened = o.get("_opened")
        stage = o["stage"]
        closed = o.get("closed_on")

        def at(day: date | None) -> datetime:
            if day is None:
                return self.now
            return _utc_from_local(datetime(day.year, day.month, day.day))

        if stage in ("won", "lost") and opened is not None:
            self.new_rows["stagechange"].append(
                {
                    "opportunity_id": o["id"],
                    "from_stage": None,
                    "to_stage": "lead",
                    "at": at(opened),
                    "note": "imported",
                }
            )
            self.new_rows["stagechange"].append(
                {
                    "opportunity_id": o["id"],
                    "from_stage": "lead",
                    "to_stage": stage,
                    "at": at(closed or opened),
                    "note": "imported",
                }
            )
        else:
            self.new_rows["stagechange"].append(
                {
                    "opportunity_id": o["id"],
                    "from_stage": None,
                    "to_stage": stage,
                    "at": at(opened if opened else (closed if stage in ("won", "lost") else None)),
                    "note": "imported",
                }
            )

    def followup_row(self, row: Row) -> str:
        d = row.data
        at = d.get("at")
        if at is None:
            raise _Reject("no follow-up date")
        summary = d.get("summary") or d.get("feedback") or d.get("next_action") or d.get("goal")
        if not summary:
            raise _Reject("no summary (what was discussed)")
        cid, _created = self.customer_for_child(row, allow_scan=False)
        at_utc = at.astimezone(UTC)
        key = (_naive_utc(at_utc), name_key(summary))
        existing = self.fu_keys.setdefault(cid, Counter())
        if existing[key] > 0:  # the same follow-up is already in the database
            existing[key] -= 1
            return "skipped"
        made = self.fu_created[cid]
        if (key, row.src) in made or (row.src is None and any(k == key for k, _s in made)):
            return "skipped"  # the same follow-up twice in this import
        made.add((key, row.src))
        contact_id = None
        feedback_lines = [d["feedback"]] if d.get("feedback") and d.get("summary") else []
        if d.get("contact_name"):
            for x in self.contacts.get(cid, []):
                if name_key(x.get("name")) == name_key(d["contact_name"]):
                    contact_id = x["id"]
                    break
            else:
                feedback_lines.append(f"Contact: {d['contact_name']}")
        opportunity_id = None
        if d.get("opportunity_name"):
            for o in self.opps.get(cid, []):
                if name_key(o["name"]) == name_key(d["opportunity_name"]):
                    opportunity_id = o["id"]
                    break
            else:
                feedback_lines.append(f"Opportunity: {d['opportunity_name']}")
        feedback_lines += row.notes
        f = {
            "id": self._alloc("followup"),
            "customer_id": cid,
            "contact_id": contact_id,
            "opportunity_id": opportunity_id,
            "at": at_utc,
            "channel": d.get("channel") or "other",
            "summary": summary,
            "feedback": "\n".join(feedback_lines) or None,
            "attitude": d.get("attitude"),
            "next_action": d.get("next_action"),
            "next_on": d.get("next_on"),
            "goal": d.get("goal"),
            "owner": d.get("owner") or self.user,
        }
        self.new_rows["followup"].append(f)
        latest = self.latest_fu.get(cid)
        if latest is None or key[0] >= _naive_utc(latest["at"]):
            self.latest_fu[cid] = f
        day = clock.to_local(at_utc).date()
        if cid not in self.earliest_fu or day < self.earliest_fu[cid]:
            self.earliest_fu[cid] = day
        return "created"

    def tier_row(self, row: Row) -> str:
        d = row.data
        pot, wil = d.get("potential"), d.get("willingness")
        if (pot is None or wil is None) and d.get("basis"):
            try:
                p2, w2 = V.parse_tier_scores(d["basis"])
            except ValueError:
                p2 = w2 = None
            pot = pot if pot is not None else p2
            wil = wil if wil is not None else w2
        if pot is None or wil is None:
            raise _Reject("needs both scores: potential and willingness (e.g. 采购潜力8分/合作意愿9分)")
        try:
            total, tier, suggested = assess(pot, wil, self.config)
        except ScoreError as exc:
            raise _Reject(str(exc).rstrip(".")) from None
        if d.get("total") is not None and d["total"] != total:
            row.warnings.append(f"the file's total {d['total']} is not {pot}+{wil}; stored {total}")
        if d.get("tier") and d["tier"] != tier:
            row.warnings.append(
                f"the file's tier {d['tier']} does not match {pot}+{wil}={total}; stored {tier}"
            )
        cid, _created = self.customer_for_child(row, allow_scan=False)
        basis = d.get("basis")
        if row.notes:
            basis = "\n".join(([basis] if basis else []) + row.notes)
        on = d.get("assessed_on")
        keys = self.ta_keys.setdefault(cid, [])
        bk = name_key(basis)
        for kp, kw, kb, kon in keys:
            if (kp, kw, kb) == (pot, wil, bk) and (on is None or kon == on):
                return "skipped"
        on = on or self.today
        keys.append((pot, wil, bk, on))
        t = {
            "id": self._alloc("tierassessment"),
            "customer_id": cid,
            "potential": pot,
            "willingness": wil,
            "total": total,
            "tier": tier,
            "basis": basis,
            "strategy": d.get("strategy") or suggested,
            "assessed_on": on,
            "assessor": d.get("assessor") or self.user,
        }
        self.new_rows["tierassessment"].append(t)
        latest = self.latest_ta.get(cid)
        if latest is None or on >= latest["assessed_on"]:
            self.latest_ta[cid] = t
        return "created"

    # -- the run ------------------------------------------------------------

    def run(self, plans: list[SheetPlan], rows: dict[int, list[Row]]) -> None:
        handlers = {
            "customers": self.customer_row,
            "contacts": self.contact_row,
            "opportunities": self.opportunity_row,
            "followups": self.followup_row,
            "tiers": self.tier_row,
        }
        for kind in KIND_ORDER:
            for p_index, plan in enumerate(plans):
                if plan.kind != kind or plan.result.not_imported:
                    continue
                self._prefetch_for(plan, rows[p_index])
                handler = handlers[kind]
                res = plan.result
                # Let each row go once planned: its parsed cells live on in what it created,
                # the rest is freed for the rows still to come (a large file's peak memory).
                pending = rows[p_index]
                rows[p_index] = []
                pending.reverse()
                while pending:
                    row = pending.pop()
                    if row.error:
                        outcome = "rejected"
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, row.error))
                    else:
                        try:
                            outcome = handler(row)
                        except _Reject as exc:
                            outcome = "rejected"
                            self.report.issues.append(Issue(res.source, res.sheet, row.number, str(exc)))
                    setattr(res, outcome, getattr(res, outcome) + 1)
                    for w in row.warnings:
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, w, "warning"))
                    for w in row.notices:
                        self.report.issues.append(Issue(res.source, res.sheet, row.number, w, "note"))
                    if self.progress:
                        self.progress(1)
        self._finish_customers()
        self._search_texts()

    def _prefetch_for(self, plan: SheetPlan, rows: list[Row]) -> None:
        """Before a sheet: load the children of the existing customers its rows name."""
        if not self.had_customers:
            return
        wanted = set()
        for row in rows:
            d = row.data
            for name in (d.get("customer_name"), d.get("name") if plan.kind == "customers" else None):
                if name:
                    wanted.update(self.by_name.get(name_key(name), []))
            code = d.get("customer_code") or d.get("code")
            if code and code in self.by_code:
                wanted.add(self.by_code[code])
            for ref in [d.get("customer_name")] + row.link_ids:
                if ref and ref in self.registry:
                    wanted.add(self.registry[ref][2])
            if plan.kind == "customers":
                for k, index in (
                    (phone_key(d.get("phone")), self.by_phone),
                    (email_key(d.get("email")), self.by_email),
                ):
                    if k and k in index:
                        wanted.add(index[k])
        if plan.kind != "customers":
            wanted.update(self.by_name.get(name_key(NO_ACCOUNT), []))
        self.prefetch(wanted)

    def _finish_customers(self) -> None:
        """Customer fields that follow from imported children: pending follow-up, first contact,
        won deals, latest tier."""
        for cid, f in self.latest_fu.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            existing_latest = self.fu_latest.get(cid)
            if existing_latest is not None and existing_latest > _naive_utc(f["at"]):
                continue
            explicit = self.explicit.get(cid, set()) if new else set()
            if f["next_on"] is not None or f["next_action"] is not None:
                if "next_follow_up_on" not in explicit and not _same(
                    "next_follow_up_on", c["next_follow_up_on"], f["next_on"]
                ):
                    self._set("customer", c, "next_follow_up_on", f["next_on"], new=new)
                if "next_action" not in explicit and not _same(
                    "next_action", c["next_action"], f["next_action"]
                ):
                    self._set("customer", c, "next_action", f["next_action"], new=new)
        for cid, day in self.earliest_fu.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            if c["first_contact_on"] is None and "first_contact_on" not in (
                self.explicit.get(cid, set()) if new else set()
            ):
                self._set("customer", c, "first_contact_on", day, new=new)
        for cid, opps in self.won.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            explicit = self.explicit.get(cid, set()) if new else set()
            if c["revenue_total"] is None and "revenue_total" not in explicit:
                self._set(
                    "customer",
                    c,
                    "revenue_total",
                    sum((o["amount"] or Decimal(0) for o in opps), Decimal(0)),
                    new=new,
                )
            closed = [o["closed_on"] for o in opps if o.get("closed_on")]
            if c["last_deal_on"] is None and closed and "last_deal_on" not in explicit:
                self._set("customer", c, "last_deal_on", max(closed), new=new)
            if c["status"] == "potential" and "status" not in explicit:
                self._set("customer", c, "status", "won", new=new)
        for cid, t in self.latest_ta.items():
            c = self.customers[cid]
            new = cid in self._new_ids
            latest = self.ta_latest.get(cid)
            if latest is not None and latest > t["assessed_on"]:
                continue
            if c["tier"] == t["tier"]:
                continue
            if new and "tier" in self.explicit.get(cid, set()) and c["tier"] != "D":
                # The customer sheet names a tier of its own: it stands (a later manual change).
                self.report.issues.append(
                    Issue(
                        "",
                        f"{c['code']} {c['name']}",
                        None,
                        f"the customer sheet says tier {c['tier']}, the latest "
                        f"assessment {t['tier']}; kept {c['tier']}",
                        "note",
                    )
                )
                continue
            self._set("customer", c, "tier", t["tier"], new=new)

    # -- results ------------------------------------------------------------

    def count(self) -> None:
        r = self.report
        r.created["customer"] = len(self.new_customers)
        for table in ("contact", "opportunity", "stagechange", "followup", "tierassessment"):
            r.created[table] = len(self.new_rows[table])
        updated = Counter(table for table, _id in self.changed)
        for table, n in updated.items():
            r.updated[table] = n
        r.created = Counter({k: v for k, v in r.created.items() if v})

    def _search_texts(self) -> None:
        """Search text for new customers and for those whose searchable fields or contacts changed."""
        from tuicrm.store.customers import search_text_of

        customers, all_contacts, new_ids = self.customers, self.contacts, self._new_ids
        for cid in set(self.new_customers) | self.search_dirty:
            c = customers[cid]
            contacts = all_contacts.get(cid)
            text = search_text_of(
                c["name"],
                c["alias"],
                c["code"],
                c["email"],
                c["phone"],
                [
                    (x["name"], x["email"], x["phone"], x["mobile"])
                    for x in contacts
                    if x["archived_at"] is None
                ]
                if contacts
                else (),
            )
            if text != c.get("search_text"):
                self._set("customer", c, "search_text", text, new=cid in new_ids)

    def apply(self) -> None:
        """Write everything: inserts with executemany, updates grouped by column set, the undo log."""
        T, now, conn = self.T, self.now, self.conn
        log: list[tuple[str, int, str, dict | None]] = []

        def insert(table: str, rows: list[dict], columns: list[str]) -> None:
            if not rows:
                return
            columns = list(columns) + ["created_at", "updated_at"]
            for r in rows:
                r["created_at"] = r["updated_at"] = now
                log.append((table, r["id"], "insert", None))
            with _indexes_rebuilt(conn, table, len(rows)):
                _bulk_insert(conn, getattr(T, table), columns, rows)

        cust_cols = ["id", "code", "search_text"] + list(CUSTOMER_VALUES)
        new_customers = [self.customers[cid] for cid in self.new_customers]
        for c in new_customers:
            c.setdefault("search_text", "")
            if c.get("archived_at") is not None:
                c["archived_at"] = _aware(c["archived_at"])
        with _search_index_paused(conn, len(new_customers)) as paused:
            insert("customer", new_customers, cust_cols)
            if paused and new_customers:
                paused(new_customers[0]["id"], new_customers[-1]["id"])
        insert("contact", self.new_rows["contact"], ["id", "customer_id"] + list(CONTACT_VALUES))
        insert("opportunity", self.new_rows["opportunity"], ["id", "customer_id"] + list(OPP_VALUES))
        sc = self.new_rows["stagechange"]
        for r in sc:
            r["id"] = self._alloc("stagechange")
        insert("stagechange", sc, ["id", "opportunity_id", "from_stage", "to_stage", "at", "note"])
        insert(
            "followup",
            self.new_rows["followup"],
            [
                "id",
                "customer_id",
                "contact_id",
                "opportunity_id",
                "at",
                "channel",
                "summary",
                "feedback",
                "attitude",
                "next_action",
                "next_on",
                "goal",
                "owner",
            ],
        )
        insert(
            "tierassessment",
            self.new_rows["tierassessment"],
            [
                "id",
                "customer_id",
                "potential",
                "willingness",
                "total",
                "tier",
                "basis",
                "strategy",
                "assessed_on",
                "assessor",
            ],
        )
        # Updates to existing rows, grouped by the set of columns they change.
        groups: dict[tuple[str, tuple[str, ...]], list[dict]] = defaultdict(list)
        for (table, ident), values in self.changed.items():
            values = dict(values)
            values["updated_at"] = now
            before = dict(self.before[(table, ident)])
            log.append((table, ident, "update", before))
            groups[(table, tuple(sorted(values)))].append({"_id": ident, **values})
        for (table, keys), items in groups.items():
            t = getattr(T, table)
            stmt = (
                sa.update(t).where(t.c.id == sa.bindparam("_id")).values({k: sa.bindparam(k) for k in keys})
            )
            for start in range(0, len(items), 5000):
                conn.execute(stmt, items[start : start + 5000])
        _record_undo(self.session, log)


class _Reject(Exception):
    pass


# ---------------------------------------------------------------------------
# Fast writes. Hundreds of thousands of rows go through the driver's executemany with
# values converted exactly as the model's column types would (SQLAlchemy's SQLite
# date/datetime formats, Money as integer cents); going through Core's per-row type
# processing would triple the time of a large import.


def _dt_text(v: datetime) -> str:
    if v.tzinfo is not None:
        v = v.astimezone(UTC).replace(tzinfo=None)
    return (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
        f".{v.microsecond:06d}"
    )


def _money_cents(v):
    return int((Decimal(v) * 100).to_integral_value())


def _converters(table: sa.Table, columns: list[str]) -> list:
    from tuicrm.models import Money

    out = []
    for name in columns:
        t = table.c[name].type
        if isinstance(t, sa.TypeDecorator) and not isinstance(t, Money):
            t = t.impl  # SQLModel's UTCDateTime stores through DateTime (aware values, written as UTC)
        if isinstance(t, Money):
            out.append(_money_cents)
        elif isinstance(t, sa.DateTime):
            cache: dict = {}

            def as_text(v, cache=cache):
                if not isinstance(v, datetime):
                    return v
                text = cache.get(v)
                if text is None:
                    text = cache[v] = _dt_text(v)
                return text

            out.append(as_text)
        elif isinstance(t, sa.Date):
            out.append(lambda v: v.isoformat() if isinstance(v, date) else v)
        elif isinstance(t, sa.Boolean):
            out.append(lambda v: int(bool(v)))
        else:
            out.append(None)
    return out


def _bulk_insert(conn: sa.Connection, table: sa.Table, columns: list[str], rows: list[dict]) -> None:
    from operator import itemgetter

    # A column no row was given a value for is left out: it is NULL either way (no column has
    # a default), and a file gives a customer a dozen of its thirty-odd fields.
    given = set().union(*rows)
    columns = [c for c in columns if c in given]
    convert = [(i, f) for i, f in enumerate(_converters(table, columns)) if f is not None]
    sql = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({", ".join("?" for _ in columns)})'
    pick = itemgetter(*columns)
    for start in range(0, len(rows), 20_000):
        params = []
        for r in rows[start : start + 20_000]:
            try:
                values = list(pick(r))
            except KeyError:
                values = [r.get(c) for c in columns]
            for i, f in convert:
                v = values[i]
                if v is not None:
                    values[i] = f(v)
            params.append(tuple(values))
        conn.exec_driver_sql(sql, params)


class _indexes_rebuilt:
    """Many rows into a table no larger than them: drop its secondary indexes, insert, create
    them again. Building an index from a sort is several times quicker than growing it one
    random insert at a time (a customer table has a dozen). Plain DDL inside the import's
    transaction: a failure rolls the indexes back with everything else."""

    THRESHOLD = 2000

    def __init__(self, conn: sa.Connection, table: str, count: int):
        self.conn = conn
        self.indexes: list[tuple[str, str]] = []
        if count < self.THRESHOLD:
            return
        existing = conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{table}"').scalar() or 0
        if existing > count:
            return  # re-indexing the rows already there would cost more than it saves
        self.indexes = [
            (name, sql)
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table,),
            )
        ]

    def __enter__(self):
        for name, _sql in self.indexes:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            for _name, sql in self.indexes:
                self.conn.exec_driver_sql(sql)
        return False


class _search_index_paused:
    """Large imports: fill the customer search index (FTS5, kept by an insert trigger) in one
    statement after the rows are in, instead of row by row — same result, a quarter of the
    time. The trigger is dropped and re-created inside the import's transaction, so a failure
    rolls it back with everything else."""

    THRESHOLD = 2000

    def __init__(self, conn: sa.Connection, count: int):
        self.conn = conn
        self.sql = None
        if count >= self.THRESHOLD:
            row = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type='trigger' AND name='customer_fts_ai' "
                "AND tbl_name='customer'"
            ).first()
            has_table = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name='customer_fts'").first()
            if row and has_table and "customer_fts" in (row[0] or ""):
                self.sql = row[0]

    def __enter__(self):
        if self.sql is None:
            return None
        self.conn.exec_driver_sql("DROP TRIGGER customer_fts_ai")
        return self.fill

    def fill(self, first_id: int, last_id: int) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO customer_fts(rowid, search_text) SELECT id, search_text FROM customer "
            "WHERE id BETWEEN ? AND ? AND archived_at IS NULL",
            (first_id, last_id),
        )

    def __exit__(self, *exc):
        if self.sql is not None and exc[0] is None:
            self.conn.exec_driver_sql(self.sql)
        return False


def _record_undo(session, log: list[tuple[str, int, str, dict | None]]) -> None:
    """The undo log of an import: through ``oplog.record_many`` for the first row (which opens
    the Operation), then the rest in bulk in the same format. Runs of inserted ids are one
    entry each."""
    from tuicrm.store import oplog

    log = oplog.insert_runs(log)
    if not log:
        return
    oplog.record_many(session, log[:1])
    op_id = session.info.get("operation_id")
    rest = log[1:]
    if op_id is None or not rest:
        oplog.record_many(session, rest)
        return
    from tuicrm.models import OperationRow

    now = clock.utcnow()
    rows = [
        {
            "operation_id": op_id,
            "table_name": t,
            "row_id": rid,
            "action": action,
            "before": None
            if before is None
            else json.dumps({k: oplog._encode(v) for k, v in before.items()}),
            "created_at": now,
            "updated_at": now,
        }
        for t, rid, action, before in rest
    ]
    _bulk_insert(
        session.connection(),
        OperationRow.__table__,
        ["operation_id", "table_name", "row_id", "action", "before", "created_at", "updated_at"],
        rows,
    )


def _aware(value):
    if isinstance(value, datetime) and value.tzinfo is None:
        return _utc_from_local(value)
    return value


def _person_name(first: str | None, last: str | None) -> str | None:
    if not first and not last:
        return None
    if first and last and all("\u3400" <= ch <= "\u9fff" for ch in (first + last)):
        return f"{last}{first}"  # 张 + 伟 → 张伟
    return " ".join(p for p in (first, last) if p)


def _header_of(row: Row, field_name: str) -> str:
    idxs = row.plan.fields.get(field_name)
    if idxs and idxs[0] < len(row.plan.headers):
        return row.plan.headers[idxs[0]] or field_name
    return field_name


# ---------------------------------------------------------------------------
# Entry point


def read_sheets(paths: Iterable[str | Path]) -> list[Sheet]:
    sheets: list[Sheet] = []
    for p in paths:
        sheets.extend(read_file(p))
    return sheets


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is read, planned and written. An import builds
    hundreds of thousands of dicts and lists that all live to the end; the collector would walk
    them again and again (a third of a 100 000-row import's time) and find nothing, since an
    import makes no reference cycles worth collecting: reference counting frees it all after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_gc_paused()
def import_files(
    store,
    paths: list[str | Path],
    *,
    kind: str | None = None,
    dry_run: bool = False,
    progress_start: Callable[[int], ProgressFn | None] | None = None,
    label: str | None = None,
) -> ImportReport:
    """Import one or more files as one operation (one transaction, one undo step).

    Raises :class:`FileError` for a file-level problem; nothing is written then.
    ``progress_start(total)`` may return a callback advanced once per row and phase.
    """
    if kind is not None and kind not in KINDS:
        raise FileError(f"'{kind}' is not a kind; use one of: {', '.join(KINDS)}.")
    started = time.perf_counter()
    names = [str(p) for p in paths]
    report = ImportReport(sources=names, dry_run=dry_run)
    sheets = read_sheets(paths)
    plans = [prepare(s, kind) for s in sheets]
    report.sheets = [p.result for p in plans]
    if not any(p.kind and not p.result.not_imported for p in plans):
        what = "; ".join(f"{p.result.sheet}: {p.result.not_imported}" for p in plans)
        raise FileError(f"nothing to import — no sheet has recognisable columns ({what}).")
    total = sum(
        max(0, len(p.sheet.rows) - (0 if p.header_index is None else p.header_index + 1))
        for p in plans
        if p.kind and not p.result.not_imported
    )
    progress = progress_start(total * 2) if progress_start else None
    rows: dict[int, list[Row]] = {}
    for i, plan in enumerate(plans):
        if not plan.kind or plan.result.not_imported:
            rows[i] = []
            continue
        out = []
        for index, number, cells in plan.data_rows:
            out.append(parse_row(plan, index, number, cells, store.config))
            if progress:
                progress(1)
        rows[i] = out
        plan.result.rows = len(out)
        plan.sheet.rows = []  # the raw cells are parsed: let them go (large files)
        plan.memo.clear()
    label = label or ("import " + ", ".join(Path(n).name for n in names))
    if dry_run:
        with store.read() as session:
            planner = Planner(session, store.config, report, progress)
            planner.run(plans, rows)
            planner.count()
    else:
        with store.write(label) as session:
            conn = session.connection()
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MiB while the indexes grow
            try:
                planner = Planner(session, store.config, report, progress)
                planner.run(plans, rows)
                planner.count()
                planner.apply()
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")
    report.seconds = time.perf_counter() - started
    return report
