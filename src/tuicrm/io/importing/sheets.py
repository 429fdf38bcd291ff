"""Step 1: every file read into sheets (:mod:`tuicrm.io.readers`), and each sheet's layout: is it
data at all (not instructions, a code dictionary, a report or a table we do not hold yet), which
row is its header (title and instruction rows above it, a two-level merged header), and which
rows are totals. A file-level problem (empty, binary, not a spreadsheet …) raises
:class:`FileError` before anything is written."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tuicrm.domain.privacy import is_sensitive_header
from tuicrm.io.headers import HeaderMatch, match_headers, normalise_header, to_simplified
from tuicrm.io.importing.cells import txt
from tuicrm.io.readers import read_file
from tuicrm.io.sheet import FileError, Sheet

__all__ = [
    "FileError",
    "HeaderRows",
    "Sheet",
    "find_header",
    "not_data",
    "read_sheets",
    "side_kind",
    "totals_label",
]

# Only the first rows are searched for the header row (title and instruction rows above it).
HEADER_SEARCH_ROWS = 10


def read_sheets(paths: Iterable[str | Path]) -> list[Sheet]:
    sheets: list[Sheet] = []
    for p in paths:
        sheets.extend(read_file(p))
    return sheets


# ---------------------------------------------------------------------------
# Sheets that are not data


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalise_header(w) for w in words)


# Sheet names of instructions and code dictionaries (CJK: anywhere in the name; ASCII: a word).
_GUIDE_NAMES_CJK = ("说明", "须知", "字典", "代码表", "填表", "帮助", "示例说明")
_GUIDE_NAMES_ASCII = frozenset(
    {"instructions", "instruction", "readme", "dictionary", "help", "howto", "guide"}
)
# Header pairs that make a code list or a field dictionary.
_DICTIONARY_HEADERS = (
    _keys(("代码", "含义")),
    _keys(("编码", "含义")),
    _keys(("代码", "说明")),
    _keys(("字段", "说明")),
    _keys(("字段名称", "说明")),
    _keys(("字段名称", "字段类型")),
    _keys(("code", "meaning")),
    _keys(("field", "description")),
)
# The templates' tables that have no table here yet, and the weekly report (template 003/004).
_ACTIVITY_HEADERS = _keys(
    (
        "活动编号",
        "活动名称",
        "活动类型",
        "活动目标",
        "活动内容",
        "计划开始时间",
        "计划结束时间",
        "实际开始时间",
        "实际结束时间",
        "所需资源",
        "活动状态",
        "活动结果",
    )
)
_LEAD_HEADERS = _keys(("线索ID", "线索编号", "线索号", "线索名称"))
_LEAD_DETAIL = _keys(("预算范围", "需求描述", "来源", "线索来源"))
_REPORT_HEADERS = _keys(
    (
        "汇报周期",
        "线索新增量",
        "高价值线索数",
        "本周跟进客户数",
        "需求挖掘客户数",
        "方案呈现客户数",
        "成交客户数",
        "下周重点目标",
        "本周销售额",
        "周销售额",
    )
)

# English activity plans: an activity column and a start column (a calendar of visits and calls).
_ACTIVITY_NAMES_EN = _keys(("activity", "activity name", "activity code", "activity id"))
_ACTIVITY_STARTS_EN = _keys(("start", "start time", "planned start", "starts", "start date"))
_LEAD_HEADERS_EN = _keys(("lead id", "lead code", "lead no"))

_RECEIVABLE_HEADERS = _keys(
    ("应收金额", "实收金额", "未收金额", "结算日期", "结算人", "amount due", "amount received")
)
_COMPLAINT_HEADERS = _keys(
    ("投诉日期", "投诉内容", "投诉编号", "投诉渠道", "投诉原因", "处理时限", "complaint", "complaint date")
)

# The export's payments sheet (tuicrm.io.export.care): what was received comes back through the
# settlement sheet beside it, so this listing is not read (it would double the payments).
_PAYMENT_LISTING = _keys(("付款编号", "payment code"))
PAYMENTS = "payments listed by an export (the settlement sheet carries what was received)"
A_REPORT = "a report (销售周报), not data"
INSTRUCTIONS = "instructions or a code dictionary, not data"


def side_kind(sheet: Sheet) -> str | None:
    """ "activities" for an activity plan (销售活动计划表: 活动编号, 活动类型, 计划开始时间 …; or an
    Activity column with a Start column), "leads" for a lead sheet (线索ID, Lead ID; or a sheet
    named 线索… with 预算范围 / 需求描述 / 来源), else None: a table of their own, never customers."""
    name = to_simplified(unicodedata.normalize("NFKC", sheet.name or "")).casefold()
    first = [normalise_header(txt(c) or "") for row in sheet.rows[:HEADER_SEARCH_ROWS] for c in row]
    cells = {c for c in first if c}
    if len(cells & _ACTIVITY_HEADERS) >= 2 or ("活动计划" in name and cells & _ACTIVITY_HEADERS):
        return "activities"
    if cells & _ACTIVITY_NAMES_EN and cells & _ACTIVITY_STARTS_EN:
        return "activities"
    if cells & (_LEAD_HEADERS | _LEAD_HEADERS_EN) or ("线索" in name and len(cells & _LEAD_DETAIL) >= 1):
        return "leads"
    if len(cells & _RECEIVABLE_HEADERS) >= 2:
        return "receivables"
    if len(cells & _COMPLAINT_HEADERS) >= 2 or ("投诉" in name and cells & _COMPLAINT_HEADERS):
        return "complaints"
    return None


def not_data(sheet: Sheet) -> str | None:
    """Why a sheet is no list of records to import (None: it may be one). Read from its name and
    the cells of its first rows, before any header is matched."""
    name = to_simplified(unicodedata.normalize("NFKC", sheet.name or "")).casefold()
    first = [normalise_header(txt(c) or "") for row in sheet.rows[:HEADER_SEARCH_ROWS] for c in row]
    cells = {c for c in first if c}
    words = set(re.findall(r"[a-z]+", name))
    if any(k in name for k in _GUIDE_NAMES_CJK) or words & _GUIDE_NAMES_ASCII:
        return INSTRUCTIONS  # a 填写说明 sheet naming the activity plan's fields is still instructions
    if side_kind(sheet):
        return None
    if cells & _PAYMENT_LISTING:
        return PAYMENTS
    if len(cells & _REPORT_HEADERS) >= 2 or "周报" in name or "月报" in name:
        return A_REPORT
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        keys = {normalise_header(txt(c) or "") for c in row}
        if any(pair <= keys for pair in _DICTIONARY_HEADERS) and len(keys - {""}) <= 4:
            return INSTRUCTIONS
    return None


# ---------------------------------------------------------------------------
# The header row


@dataclass
class HeaderRows:
    """Where a sheet's header is: ``index`` of its last row in ``sheet.rows`` (data starts after
    it), ``first`` its first row (two-level headers span two), the label of each column as the
    rep reads it (``联系方式/邮箱``) and the text each column is matched by (``邮箱``: a value under
    a merged parent keeps the child's meaning)."""

    index: int
    first: int
    labels: list[str]
    texts: list[str]
    match: HeaderMatch


_DATA_LIKE = re.compile(
    r"^(\+?[\d\s()-]{7,}|[^@\s]+@[^@\s]+\.\w+|\d{1,4}[./年-]\d{1,2}([./月-]\d{1,4}日?)?|[-+]?[\d,.]+%?|https?://\S+)$"
)


def _data_like(cell: Any) -> bool:
    """A cell that reads as a value, not a column title: numbers, dates, phones, e-mails, links."""
    if isinstance(cell, (int, float, date, datetime)) and not isinstance(cell, bool):
        return True
    t = txt(cell)
    return bool(t and _DATA_LIKE.match(t))


def _texts(row: list[Any]) -> list[str]:
    return [txt(c) or "" if not _data_like(c) else "" for c in row]


def _plausible(row: list[Any], m: HeaderMatch) -> bool:
    """A header names more columns than it holds values, and a lone known word among several
    cells (a data cell reading 其他 or 备注) is data, not a header."""
    # A column named for a number never stored (身份证号, bank account) is a header word too.
    recognised = len(m.columns) + sum(1 for c in row if isinstance(c, str) and is_sensitive_header(c))
    filled = sum(1 for c in row if txt(c))
    values = sum(1 for c in row if _data_like(c))
    if recognised <= values:
        return False
    return recognised >= 2 or filled <= 2


def _two_level(parent: list[str], child: list[str]) -> tuple[list[str], list[str]] | None:
    """Labels and match texts of a header over two rows: a parent cell merged over its children
    (only its first cell holds the text) and columns merged down both rows (empty child)."""
    width = max(len(parent), len(child))
    labels, texts = [], []
    owner: str | None = None
    spanned = 0
    for j in range(width):
        p = parent[j] if j < len(parent) else ""
        c = child[j] if j < len(child) else ""
        if p:
            owner = p if c else None
            labels.append(f"{p}/{c}" if c else p)
            texts.append(c or p)
            spanned += bool(c)
        elif c:
            labels.append(f"{owner}/{c}" if owner else c)
            texts.append(c)
            spanned += owner is not None
        else:
            owner = None
            labels.append("")
            texts.append("")
    return (labels, texts) if spanned >= 2 else None


def find_header(sheet: Sheet, kind: str | None = None) -> HeaderRows | None:
    """The best header among the first rows: the row (or two rows of a merged two-level header)
    with the most recognised columns; the earliest wins a tie. None when no row looks like one."""
    rows = sheet.rows[:HEADER_SEARCH_ROWS]
    best: HeaderRows | None = None
    texts = [_texts(r) for r in rows]
    for i, row in enumerate(rows):
        if not any(texts[i]):
            continue
        m = match_headers(texts[i], kind)
        if m.columns and _plausible(row, m) and (best is None or len(m.columns) > len(best.match.columns)):
            best = HeaderRows(i, i, [txt(c) or "" for c in row], texts[i], m)
        if i + 1 < len(rows) and any(texts[i + 1]):
            both = _two_level(texts[i], texts[i + 1])
            if both is None:
                continue
            labels, match_texts = both
            m2 = match_headers(match_texts, kind)
            single = max(len(m.columns), len(match_headers(texts[i + 1], kind).columns))
            if (
                len(m2.columns) > single
                and _plausible(rows[i + 1], m2)
                and (best is None or len(m2.columns) > len(best.match.columns))
            ):
                best = HeaderRows(i + 1, i, labels, match_texts, m2)
    return best


# ---------------------------------------------------------------------------
# Totals rows

_TOTALS = re.compile(
    r"\s*(grand\s*|sub\s*-?\s*)?(totals?|sum|subtotal|合计|小计|总计|共计|总和|累计|汇总|合計|小計|總計)"
    r"\s*([:：].*|[(（].*|\d.*|[-–—].*)?",
    re.IGNORECASE,
)


def totals_label(cells: list[Any], name_columns: Iterable[int]) -> str | None:
    """The word that makes a row a totals row (合计, 小计, Total, Sum …) in its first filled cell or
    its name column, or None. "Total Solutions Ltd" is a name: a totals word must stand alone or
    be followed by a colon, a bracket or a count."""
    first = next((c for c in cells if txt(c)), None)
    candidates = [first] + [cells[i] for i in name_columns if i < len(cells) and cells[i] is not first]
    for cell in candidates:
        t = txt(cell) if isinstance(cell, str) else None
        if not t:
            continue
        if t.isascii():  # NFKC leaves it as it is; every English totals word has "tot" or "sum"
            low = t.lower()
            if "tot" not in low and "sum" not in low:
                continue
        if _TOTALS.fullmatch(t if t.isascii() else unicodedata.normalize("NFKC", t)):
            return re.split(r"[:：(（]", t)[0].strip()[:20]
    return None
