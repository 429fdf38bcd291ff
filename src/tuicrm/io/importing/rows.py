"""Step 3: one row's cells parsed into field values (pure). A bad cell rejects the row with its
reason; an unreadable word or e-mail is kept in the row's notes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tuicrm.config import Config
from tuicrm.io import values as V
from tuicrm.io.importing.cells import txt, utc_from_local
from tuicrm.io.importing.fields import BOOL_FIELDS, JOIN, WORD_MAPS
from tuicrm.io.importing.headers import SheetPlan
from tuicrm.io.importing.keys import EMAIL, text_contains
from tuicrm.io.importing.parsed_row import Row

_TRUE = {"1", "y", "yes", "true", "t", "x", "✓", "✔", "√", "是", "对", "主要", "primary"}
_FALSE = {"0", "n", "no", "false", "f", "否", "不是", "-"}


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


def _datetime_cell(raw: Any, day_first: bool | None) -> datetime | None:
    """An aware UTC datetime: a written offset is honoured, otherwise the time is local wall-clock."""
    value = V.parse_datetime(raw, day_first=day_first)
    if value is None:
        return None
    if isinstance(raw, str) and re.search(r"\d:\d", raw) and _ZONE.search(raw.strip()):
        return value.replace(tzinfo=UTC)
    return utc_from_local(value)


def _memo_miss(
    plan: SheetPlan, column: int, raw: Any, parse: Callable[..., Any], day_first: bool | None = None
) -> Any:
    """A cell not in its column's memo yet: parsed (the value, or the ValueError it raised) and
    remembered. Dates and status words repeat a lot in a big file; a hit is one dict lookup in
    the cell's parser (``_word``, ``_date``)."""
    memo = plan.memo.setdefault(column, {})
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
    return hit


def _bool(value: Any) -> bool | None:
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


def _keep(row: Row, i: int, value: Any) -> None:
    """A cell that could not be read as its field: kept as a note line."""
    t = txt(value)
    if t:
        row.notes.append(f"{_header(row.plan, i)}: {t}")


def parse_row(plan: SheetPlan, index: int, number: int, cells: list[Any], config: Config) -> Row:
    """One data row's cells as field values. The hot loop of an import: the plain text cells
    inline, then each typed cell through the parser its column's kind chose once per sheet
    (``SheetPlan``)."""
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
                if t and t[0] != "'" and t[0] != "[" and t.isprintable():
                    data[f] = t
                    continue
            u = txt(v)
            if u is not None:
                data[f] = _json_list(row, i, u) if u[0] == "[" else u
    for f, idxs, kind in plan.other_fields:
        if kind == "join":
            _join_cells(data, f, idxs, cells, n)
            continue
        i = idxs[0]
        raw = cells[i] if i < n else None
        if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            value = _TYPED[kind](plan, row, f, i, raw, config)
        except ValueError as exc:
            errors.append(f"{_header(plan, i)}: {exc}")
            continue
        if value is not None:
            data[f] = value
    if plan.extras:
        _extra_cells(plan, row, cells, n, errors)
    if errors:
        row.error = "; ".join(errors)
    return row


def _join_cells(data: dict[str, Any], f: str, idxs: list[int], cells: list[Any], n: int) -> None:
    """A field from several columns (or a joined one from one): distinct texts joined."""
    if len(idxs) == 1:
        t = txt(cells[idxs[0]]) if idxs[0] < n else None
        if t:
            data[f] = _join_address([t]) if f == "address" else t
        return
    texts = [t for t in (txt(cells[i]) for i in idxs if i < n) if t]
    if not texts:
        return
    if f == "address":
        data[f] = _join_address(texts)
        return
    joined: list[str] = []
    for t in texts:
        if t not in joined:
            joined.append(t)
    data[f] = JOIN.get(f, " ").join(joined)


# Typed cells: one parser per kind (``_field_kind``), each (plan, row, field, column, raw cell,
# config) -> the value, or None for nothing to set. A ValueError rejects the row.
def _word(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    try:
        hit = plan.memo[i][raw]
    except (KeyError, TypeError):
        hit = _memo_miss(plan, i, raw, WORD_MAPS[f])
    if isinstance(hit, ValueError):
        row.warnings.append(f"{_header(plan, i)}: {hit}; kept in notes")
        _keep(row, i, raw)
        return None
    return hit


def _email(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    value = raw.strip() if type(raw) is str else None  # txt()'s common case, inline
    if not (value and value[0] != "'" and value.isprintable()):
        value = txt(raw)
    if value and value[0] == "[":
        value = _json_list(row, i, value)
    if value and not EMAIL.match(value):
        row.warnings.append(f"{_header(plan, i)}: '{value}' is not an email address; kept in notes")
        _keep(row, i, raw)
        return None
    return value


def _date(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    if isinstance(raw, str) and _ZERO_DATE.fullmatch(raw.strip()):
        return None  # Outlook's "0.0.00": no date
    try:
        hit = plan.memo[i][raw]
    except (KeyError, TypeError):
        hit = _memo_miss(plan, i, raw, V.parse_date, plan.day_first.get(i))
    if isinstance(hit, ValueError):
        raise hit
    return hit


def _datetime(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    return _datetime_cell(raw, plan.day_first.get(i))


def _money(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    try:
        value, currency = V.parse_money(raw, plan.decimals.get(i, ""))
    except V.AmbiguousAmount as exc:
        row.warnings.append(f"{_header(plan, i)}: {exc}; kept in notes")
        _keep(row, i, raw)
        return None
    if currency and f == "amount":
        row.data["currency"] = currency
    if value is not None and plan.scales.get(i):
        value = (value * plan.scales[i]).quantize(Decimal("0.01"))
    return value


def _budget(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    try:
        low, high = V.parse_amount_range(raw, plan.decimals.get(i, ""))
    except V.AmbiguousAmount as exc:
        row.warnings.append(f"{_header(plan, i)}: {exc}; kept in notes")
        _keep(row, i, raw)
        return None
    if plan.scales.get(i):
        low = low * plan.scales[i] if low is not None else None
        high = high * plan.scales[i] if high is not None else None
    row.data["budget_min"], row.data["budget_max"] = low, high
    return None


def _probability(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    return V.parse_percent(raw)


def _score(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    return V.parse_int(raw, config.score_min, config.score_max, "score")


def _total(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    return V.parse_int(raw, 0, 2 * config.score_max, "total score")


def _text(plan: SheetPlan, row: Row, f: str, i: int, raw: Any, config: Config) -> Any:
    value = raw.strip() if type(raw) is str else None  # txt()'s common case, inline
    if value and value[0] != "'" and value[0] != "[" and value.isprintable():
        return value
    t = txt(raw)
    return _json_list(row, i, t) if t and t[0] == "[" else t


def _json_list(row: Row, i: int, text: str) -> str | None:
    """A JSON list cell (``[{"value": …, "label": …}]``, as Krayin and other CRMs export e-mails
    and phones): the first value for the field, the others to notes under the header."""
    try:
        items = json.loads(text)
    except ValueError:
        return text
    if not isinstance(items, list):
        return text
    values: list[str] = []
    for item in items:
        value = item.get("value") if isinstance(item, dict) else item
        label = item.get("label") if isinstance(item, dict) else None
        v = txt(value) if value is not None and not isinstance(value, (dict, list)) else None
        if v:
            values.append(f"{v} ({label})" if label and values else v)
    if not values:
        return None
    for extra in values[1:]:
        row.notes.append(f"{_header(row.plan, i)}: {extra}")
    return values[0]


_TYPED: dict[str, Callable[[SheetPlan, Row, str, int, Any, Config], Any]] = {
    "word": _word,
    "email": _email,
    "date": _date,
    "datetime": _datetime,
    "money": _money,
    "budget": _budget,
    "probability": _probability,
    "score": _score,
    "total": _total,
    "text": _text,
}


def _extra_cells(plan: SheetPlan, row: Row, cells: list[Any], n: int, errors: list[str]) -> None:
    """Columns beyond the fields (see ``columns.EXTRA``): notes, source-system ids, flags."""
    for i, extra in plan.extras.items():
        raw = cells[i] if i < n else None
        t = txt(raw)
        if t is None:
            continue
        if extra == "note":
            _note_cell(plan, row, cells, n, i, t)
        elif extra == "_src":
            row.src = row.src or f"tuicrm:{t}"
        elif extra == "_ext":
            row.ext_ids.append(t)
            row.notes.append(f"{_header(plan, i)}: {t}")
        elif extra == "_link":
            row.link_ids.append(t)
        elif extra in BOOL_FIELDS or extra == "archived_at":
            try:
                row.data[extra] = _bool(raw) if extra in BOOL_FIELDS else _datetime_cell(raw, None)
            except ValueError as exc:
                errors.append(f"{_header(plan, i)}: {exc}")
        else:
            row.data[extra] = t


def _note_cell(plan: SheetPlan, row: Row, cells: list[Any], n: int, i: int, t: str) -> None:
    """A column with no field: its text becomes a note line (a compound address is used once)."""
    data = row.data
    ci = plan.compound.get(i)
    if ci is not None and ci < n and _json_address(txt(cells[ci]) or ""):
        return  # the compound address cell says it all
    addr = _json_address(t)
    if addr is not None:
        if not addr:
            return
        if plan.kind == "customers" and not data.get("address"):
            data["address"] = addr
            return
        if data.get("address") and text_contains(data["address"], addr):
            return
        t = addr
    row.notes.append(f"{_header(plan, i)}: {t}")


def header_of(row: Row, field_name: str) -> str:
    idxs = row.plan.fields.get(field_name)
    if idxs and idxs[0] < len(row.plan.headers):
        return row.plan.headers[idxs[0]] or field_name
    return field_name


class Reject(Exception):
    """A row the plan cannot take; the message says why."""
