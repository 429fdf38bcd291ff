"""The customer list's columns: which fit a width, each cell's text, a row's and the header's
segments (Rich only, no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.segment import Segment
from rich.style import Style

from tuicrm.domain.privacy import mask_phone
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.ui import text as ut

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.query.search import CustomerRow

MARK_OVERDUE = "!"
MARK_TODAY = "•"
MARK_COMPLAINT = "⚑"  # before the name: the customer has an open complaint (issue #18)
MARKED = "*"  # a row marked for a change to several at once (first column, while any is marked)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int  # 0: takes the remaining width
    sort: str | None
    keep: int  # lower is kept longer when the table is narrow


# Column titles are translated at import (English catalogue only for now).
COLUMNS = (
    Column("code", _("Code"), 7, "code", 3),
    Column("name", _("Name"), 0, "name", 0),
    Column("tier", _("T"), 2, "tier", 2),
    Column("status", _("Status"), 9, "status", 4),
    Column("next", _("Next"), 12, "next", 1),
    Column("industry", _("Industry"), 10, "industry", 5),
    Column("phone", _("Phone"), 13, None, 6),
    Column("owner", _("Owner"), 8, "owner", 7),
)
SORT_CYCLE = ("name", "next", "tier", "status", "code", "industry", "owner")
SORT_TITLES = {c.sort: c.title for c in COLUMNS if c.sort}
NAME_MIN = 14


MARK_COLUMN = Column("mark", "", 1, None, -1)


def layout(width: int, marking: bool = False) -> list[tuple[Column, int]]:
    """Columns that fit in ``width`` and their widths (the name column takes the rest);
    ``marking``: rows are marked, a one-character mark column comes first."""
    if marking:
        return [(MARK_COLUMN, 1), *layout(width - 2)]
    chosen = list(COLUMNS)
    target = max(NAME_MIN, min(26, int(width * 0.3)))
    while True:
        fixed = sum(c.width for c in chosen if c.width) + (len(chosen) - 1)
        if width - fixed >= target or len(chosen) <= 2:
            break
        drop = max((c for c in chosen if c.key != "name"), key=lambda c: c.keep)
        chosen.remove(drop)
    fixed = sum(c.width for c in chosen if c.width) + (len(chosen) - 1)
    return [(c, c.width or max(4, width - fixed)) for c in chosen]


def next_cell(value: date | None, today: date) -> tuple[str, str]:
    """ISO date plus a marker: ``!`` overdue, ``•`` due today. Returns (text, kind)."""
    if value is None:
        return "—", ""
    if value < today:
        return f"{value.isoformat()} {MARK_OVERDUE}", "overdue"
    if value == today:
        return f"{value.isoformat()} {MARK_TODAY}", "today"
    return value.isoformat(), ""


def cell_text(row: CustomerRow, key: str, today: date, complained: bool = False) -> tuple[str, str]:
    """A cell's text and its kind ("", "overdue", "today", "complaint"). ``complained``: the
    customer has an open complaint — the name gets the mark (text, not only colour)."""
    if key == "next":
        return next_cell(row.next_follow_up_on, today)
    if key == "mark":
        return "", ""
    if key == "phone":
        return mask_phone(row.phone), ""
    if key == "name":
        if complained:
            return f"{MARK_COMPLAINT} {ut.clean(row.name)}", "complaint"
        return ut.clean(row.name), ""
    if key == "status":
        return display("status", row.status), ""  # 意向, not intent, in Chinese
    return ut.clean(getattr(row, key)), ""


def row_segments(
    row: CustomerRow,
    columns: list[tuple[Column, int]],
    today: date,
    styles: dict[str, Style],
    complained: bool = False,
    marked: bool = False,
) -> list[Segment]:
    """A row's segments. ``styles``: "" plain, "name", "overdue", "today", "complaint" (the
    name of a customer with an open complaint; falls back to "name"). ``marked``: the mark
    column (when there is one) shows ``MARKED``.

    One segment per run of cells in the same style (a row is 3-5 segments, not 15), so nothing
    needs simplifying and the compositor divides fewer segments.
    """
    plain = styles[""]
    segments: list[Segment] = []
    run: list[str] = []
    run_style = plain
    for n, (column, col_width) in enumerate(columns):
        value, kind = cell_text(row, column.key, today, complained)
        if marked and column.key == "mark":
            value = MARKED
        if column.key == "name":
            style = styles.get(kind, styles["name"]) if kind else styles["name"]
        else:
            style = styles[kind]
        if n:
            if run_style is not plain:
                segments.append(Segment("".join(run), run_style))
                run, run_style = [], plain
            run.append(" ")
        if style is not run_style:
            if run:
                segments.append(Segment("".join(run), run_style))
            run, run_style = [], style
        run.append(ut.fit(value, col_width))
    if run:
        segments.append(Segment("".join(run), run_style))
    return segments


def header_segments(
    columns: list[tuple[Column, int]], sort: str, descending: bool, width: int, style: Style
) -> list[Segment]:
    """The header row's segments: the titles, the sorted one marked ▲ or ▼."""
    segments: list[Segment] = []
    for n, (column, col_width) in enumerate(columns):
        if n:
            segments.append(Segment(" ", style))
        title = column.title
        if column.sort and column.sort == sort:
            title = f"{title}{'▼' if descending else '▲'}"
        segments.append(Segment(ut.fit(title, col_width), style))
    used = sum(w for _column, w in columns) + len(columns) - 1
    if used < width:
        segments.append(Segment(" " * (width - used), style))
    return segments
