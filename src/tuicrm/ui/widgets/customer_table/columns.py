"""The customer list's columns: which fit a width, and each cell's text (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tuicrm.domain.privacy import mask_phone
from tuicrm.i18n import _
from tuicrm.ui import text as ut

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.store.search import CustomerRow

MARK_OVERDUE = "!"
MARK_TODAY = "•"


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


def layout(width: int) -> list[tuple[Column, int]]:
    """Columns that fit in ``width`` and their widths (the name column takes the rest)."""
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


def cell_text(row: CustomerRow, key: str, today: date) -> tuple[str, str]:
    """A cell's text and its kind ("", "overdue", "today")."""
    if key == "next":
        return next_cell(row.next_follow_up_on, today)
    if key == "phone":
        return mask_phone(row.phone), ""
    if key == "name":
        return ut.clean(row.name), ""
    return ut.clean(getattr(row, key)), ""
