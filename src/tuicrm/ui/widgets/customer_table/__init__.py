"""The customer list: ``columns`` (layout, cells), ``loader`` (reads, no Textual), ``table`` (the widget)."""

from __future__ import annotations

from tuicrm.ui.widgets.customer_table.columns import (
    COLUMNS,
    MARK_OVERDUE,
    MARK_TODAY,
    SORT_CYCLE,
    SORT_TITLES,
    Column,
    cell_text,
    layout,
    next_cell,
)
from tuicrm.ui.widgets.customer_table.table import CustomerTable

__all__ = [
    "COLUMNS",
    "MARK_OVERDUE",
    "MARK_TODAY",
    "SORT_CYCLE",
    "SORT_TITLES",
    "Column",
    "CustomerTable",
    "cell_text",
    "layout",
    "next_cell",
]
