"""Step 2: a sheet's header row, what the sheet holds, and which column is which field."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuicrm.domain.privacy import is_sensitive_header
from tuicrm.io import values as V
from tuicrm.io.headers import HeaderMatch, match_headers, normalise_header, to_simplified
from tuicrm.io.headers.tables import SIDE_KINDS
from tuicrm.io.importing.cells import txt
from tuicrm.io.importing.columns import EXTRA, IGNORED, KIND_HINTS, NEEDS
from tuicrm.io.importing.fields import (
    DATE_FIELDS,
    DATETIME_FIELDS,
    EMAIL_FIELDS,
    JOIN,
    MONEY_FIELDS,
    TYPED_FIELDS,
    WORD_MAPS,
)
from tuicrm.io.importing.report import KIND_LABELS, Issue, SheetResult
from tuicrm.io.importing.sheets import FileError, Sheet, find_header, not_data, side_kind, totals_label

SIDE_REASONS = {
    "activities": "an activity plan (销售活动计划表: 活动编号, 活动类型, 计划开始时间 …)",
    "leads": "a lead sheet (线索管理表: 线索ID, 来源, 预算范围 …)",
    "receivables": "a settlement sheet (客户结算收款表: 应收金额, 实收金额, 未收金额 …)",
    "complaints": "a complaint record (客户投诉记录表: 投诉日期, 投诉内容, 处理结果 …)",
}


def kind_hint(name: str) -> str | None:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    words = set(re.findall(r"[a-z]+", text))
    for kind, keys in KIND_HINTS:
        for k in keys:
            if k.isascii():
                if k in words:
                    return kind
            elif to_simplified(k) in to_simplified(text):
                return kind
    return None


@dataclass
class SheetPlan:
    sheet: Sheet
    kind: str
    headers: list[str]
    fields: dict[str, list[int]]
    extras: dict[int, str]  # column index -> extra field (see EXTRA) or "note"
    header_index: int | None  # index of the header row in sheet.rows (None: no header row)
    result: SheetResult
    day_first: dict[int, bool | None] = field(default_factory=dict)
    scales: dict[int, int] = field(default_factory=dict)
    decimals: dict[int, str | None] = field(default_factory=dict)  # money column -> "." / "," / None
    compound: dict[int, int] = field(default_factory=dict)  # address part column -> compound column
    memo: dict[int, dict[Any, Any]] = field(
        default_factory=dict
    )  # column -> {raw cell: parsed value or error}
    issues: list[Issue] = field(default_factory=list)  # report lines about the sheet (totals rows …)
    given_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)  # Row.present, shared

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
            (f, idxs[0]) for f, idxs in self.fields.items() if len(idxs) == 1 and f not in TYPED_FIELDS
        ]
        self.other_fields = [
            (f, idxs, _field_kind(f, idxs))
            for f, idxs in self.fields.items()
            if len(idxs) > 1 or f in TYPED_FIELDS
        ]

    @property
    def data_rows(self) -> Iterable[tuple[int, int, list[Any]]]:
        """(index in sheet.rows, spreadsheet row number, cells)."""
        start = 0 if self.header_index is None else self.header_index + 1
        for i in range(start, len(self.sheet.rows)):
            yield i, self.sheet.row_numbers[i], self.sheet.rows[i]


def _field_kind(f: str, idxs: list[int]) -> str:
    """How parse_row reads a typed or several-column field (decided once per sheet)."""
    if len(idxs) > 1 or f == "address":
        return "join"
    if f in JOIN:
        return "text"  # one column of notes, tags, summary or feedback: its text as it is
    if f in DATE_FIELDS:
        return "date"
    if f in DATETIME_FIELDS:
        return "datetime"
    if f in MONEY_FIELDS:
        return "money"
    if f in ("budget", "probability", "total"):
        return f
    if f in ("potential", "willingness"):
        return "score"
    if f in WORD_MAPS:
        return "word"
    if f in EMAIL_FIELDS:
        return "email"
    return "text"


def _usable(match: HeaderMatch, kind: str) -> bool:
    return bool(match.fields & NEEDS[kind][0])


def _choose(texts: list[str], sheet: Sheet, forced: str | None) -> HeaderMatch:
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


_BOOLEAN_WORDS = frozenset(
    {"true", "false", "yes", "no", "y", "n", "是", "否", "对", "错", "有", "无", "√", "×"}
)
_NAME_LIKE = ("name", "contact_name", "customer_name")


def _boolean_column(sheet: Sheet, start: int, i: int) -> bool:
    """A column of yes/no values only (TRUE/FALSE, 是/否): a flag, never a name."""
    seen = False
    for row in sheet.rows[start : start + 500]:
        cell = row[i] if i < len(row) else None
        if isinstance(cell, bool):
            seen = True
            continue
        t = txt(cell)
        if t is None:
            continue
        if t.casefold() not in _BOOLEAN_WORDS:
            return False
        seen = True
    return seen


def _no_boolean_names(
    m: HeaderMatch, texts: list[str], index: int, sheet: Sheet, forced: str | None
) -> HeaderMatch:
    """Match again without the name-like columns that hold only yes/no values: their cells go
    to notes under their header, and the next best column names the record."""
    blanked: list[tuple[int, str]] = []
    for _ in range(3):
        flags = [i for i, f in m.columns.items() if f in _NAME_LIKE and _boolean_column(sheet, index + 1, i)]
        if not flags:
            break
        texts = list(texts)
        for i in flags:
            blanked.append((i, texts[i]))
            texts[i] = ""
        m = _choose(texts, sheet, forced)
    if blanked:
        m.unknown = sorted([*m.unknown, *blanked])
    return m


def prepare(sheet: Sheet, forced: str | None = None, *, alone: bool = True) -> SheetPlan:
    """Decide what the sheet holds and which column is which field. A sheet that is no data,
    or whose headers are not recognised, is "not imported"; one that looks importable but lacks
    its essential column raises FileError when it is its file's only sheet (``alone``), else it
    is not imported either: one odd sheet never fails a workbook."""
    result = SheetResult(source=sheet.source, sheet=sheet.label, kind=None, encoding=sheet.encoding)
    if sheet.match is not None:  # vCard: the layout is known
        m = sheet.match
        headers = [f for _i, f in sorted(m.columns.items())]
        header_index = None
    else:
        why = not_data(sheet)
        side = forced if forced in SIDE_KINDS else None if forced or why else side_kind(sheet)
        found = None if why else find_header(sheet, side or forced)
        if found is None:
            result.not_imported = why or "no row of recognised column headers"
            return SheetPlan(sheet, "", [], {}, {}, None, result)
        header_index = found.index
        if side:
            m = match_headers(found.texts, side)
            m.reason = SIDE_REASONS[side]
        else:
            m = _choose(found.texts, sheet, forced)
            m = _no_boolean_names(m, found.texts, found.index, sheet, forced)
        headers = found.labels
        result.header_row = sheet.row_numbers[found.first]
    kind = m.kind
    result.kind = kind
    result.reason = m.reason
    fields: dict[str, list[int]] = defaultdict(list)
    for i, f in sorted(m.columns.items()):
        if i < len(headers) and is_sensitive_header(headers[i]):
            result.not_stored.append(headers[i])  # ID-card / bank numbers: never stored
            continue
        fields[f].append(i)
    extras: dict[int, str] = {}
    specials = EXTRA.get(kind, {})
    dup_idx = {d[0] for d in getattr(m, "duplicates", [])}
    unknown = [(i, h) for i, h in getattr(m, "unknown", [])] + [
        (d[0], d[1]) for d in getattr(m, "duplicates", [])
    ]
    for i, header in sorted(unknown):
        if is_sensitive_header(header):
            result.not_stored.append(header)
            continue
        key = normalise_header(header)
        if i not in dup_idx and key in specials:
            extras[i] = specials[key]
            continue
        if key in IGNORED:
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
    used = {j for idxs in fields.values() for j in idxs}
    result.columns = [
        (headers[i] if i < len(headers) else f, f) for i, f in sorted(m.columns.items()) if i in used
    ]
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
        if alone:
            raise FileError(
                f"{sheet.label} looks like a sheet of {KIND_LABELS[kind]} but has no {NEEDS[kind][1]}; "
                f"its columns are: {shown}."
            )
        result.not_imported = f"no {NEEDS[kind][1]} (its columns: {shown})"
        result.kind = None
        return plan
    _skip_totals(plan)
    # Day/month order per date column, decided once for the whole column.
    for f in DATE_FIELDS | DATETIME_FIELDS:
        for i in fields.get(f, []):
            plan.day_first[i] = V.guess_day_first([r[i] for _x, _n, r in plan.data_rows if i < len(r)])
    _decide_decimals(plan)
    return plan


def _decide_decimals(plan: SheetPlan) -> None:
    """Each money column's decimal mark: from its own cells, else the sheet's other money
    columns, else the header row's language; None when it stays ambiguous (reported per cell)."""
    columns = [i for f in (*MONEY_FIELDS, "budget") for i in plan.fields.get(f, [])]
    if not columns:
        return
    marks = {i: V.decimal_mark(r[i] for _x, _n, r in plan.data_rows if i < len(r)) for i in columns}
    decided = [m for m in marks.values() if m]
    sheet = max(set(decided), key=decided.count) if decided else V.decimal_from_headers(plan.headers)
    for i, mark in marks.items():
        plan.decimals[i] = mark or sheet or ("" if mark == "" else None)


# ---------------------------------------------------------------------------


_NAME_FIELDS = ("name", "customer_name", "contact_name", "opportunity_name")


def _skip_totals(plan: SheetPlan) -> None:
    """Totals and subtotal rows (合计, 小计, Total, Sum) leave the data with a report line: never a
    customer named 合计 or an opportunity named Total."""
    if plan.header_index is None:
        return
    sheet = plan.sheet
    names = [i for f in _NAME_FIELDS for i in plan.fields.get(f, [])]
    drop = []
    for index, number, cells in plan.data_rows:
        word = totals_label(cells, names)
        if word is not None:
            drop.append(index)
            plan.issues.append(
                Issue(sheet.source, sheet.label, number, f"a totals row ({word}): skipped", "note")
            )
    if not drop:
        return
    gone = set(drop)
    keep = [i for i in range(len(sheet.rows)) if i not in gone]
    moved = {old: new for new, old in enumerate(keep)}
    sheet.rows = [sheet.rows[i] for i in keep]
    sheet.row_numbers = [sheet.row_numbers[i] for i in keep]
    sheet.row_errors = {moved[i]: e for i, e in sheet.row_errors.items() if i in moved}
    plan.result.skipped += len(drop)
