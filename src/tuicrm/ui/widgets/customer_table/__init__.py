"""The customer list: ``columns`` (layout, cells), ``loader`` (reads, no Textual), ``table`` (the widget).

The names below are imported on first use, so ``loader`` loads without Textual.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.ui.widgets.customer_table.columns import (
        COLUMNS,
        MARK_COMPLAINT,
        MARK_OVERDUE,
        MARK_TODAY,
        MARKED,
        SORT_CYCLE,
        SORT_TITLES,
        Column,
        cell_text,
        layout,
        next_cell,
    )
    from tuicrm.ui.widgets.customer_table.table import CustomerTable

_WHERE = {
    "COLUMNS": "columns",
    "MARK_COMPLAINT": "columns",
    "MARK_OVERDUE": "columns",
    "MARK_TODAY": "columns",
    "MARKED": "columns",
    "SORT_CYCLE": "columns",
    "SORT_TITLES": "columns",
    "Column": "columns",
    "cell_text": "columns",
    "layout": "columns",
    "next_cell": "columns",
    "CustomerTable": "table",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "COLUMNS",
    "MARK_COMPLAINT",
    "MARK_OVERDUE",
    "MARK_TODAY",
    "MARKED",
    "SORT_CYCLE",
    "SORT_TITLES",
    "Column",
    "CustomerTable",
    "cell_text",
    "layout",
    "next_cell",
]
