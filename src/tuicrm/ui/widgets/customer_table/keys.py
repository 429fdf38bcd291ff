"""The customer list's keys: cursor moves, sorting, and marking rows for a change to several
customers at once (``space`` toggles, ``shift+↑/↓`` extend, ``esc`` clears). A mixin of
``CustomerTable`` (the widget's reads and rendering are in ``table.py``)."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from tuicrm.i18n import _
from tuicrm.ui.widgets.customer_table.columns import SORT_CYCLE

TYPE_CHECKING = False
if TYPE_CHECKING:  # the mixin uses CustomerTable's attributes (table.py imports this module)
    from typing import Any as _Base
else:
    _Base = object

MARK_BINDINGS = [
    Binding(
        "space",
        "toggle_mark",
        _("Mark"),
        id="list.mark",
        show=False,
        tooltip=_("Mark the row (again: unmark)"),
    ),
    Binding(
        "shift+down",
        "extend_mark(1)",
        _("Mark down"),
        show=False,
        id="list.mark_down",
        tooltip=_("Mark this row and the next"),
    ),
    Binding(
        "shift+up",
        "extend_mark(-1)",
        _("Mark up"),
        show=False,
        id="list.mark_up",
        tooltip=_("Mark this row and the one above"),
    ),
    Binding("escape", "clear_marks", _("Clear marks"), show=False, id="list.clear_marks"),
]


class MarksChanged(Message):
    """The marked rows changed (bubbles to the screen: its status line counts them)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class TableKeys(_Base):
    """Cursor, sorting and marks for ``CustomerTable`` (which sets ``self.marks = {}``)."""

    # -- cursor ---------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self._body_height())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self._body_height())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor((self.total or 1) - 1)

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(row))

    # -- sorting ----------------------------------------------------------------

    def cycle_sort(self) -> None:
        index = SORT_CYCLE.index(self.sort) if self.sort in SORT_CYCLE else -1
        self.set_query(sort=SORT_CYCLE[(index + 1) % len(SORT_CYCLE)], descending=False)
        self.post_message(self.SortChanged())

    def reverse_sort(self) -> None:
        self.set_query(descending=not self.descending)
        self.post_message(self.SortChanged())

    def sort_by(self, key: str) -> None:
        if key == self.sort:
            self.reverse_sort()
        else:
            self.set_query(sort=key, descending=False)
            self.post_message(self.SortChanged())

    # -- marks ------------------------------------------------------------------

    def _marks_changed(self) -> None:
        self._strips.clear()
        self._columns_width = -1  # the mark column comes or goes
        self.refresh()
        self.post_message(MarksChanged(len(self.marks)))

    def action_toggle_mark(self) -> None:
        row = self.current_row
        if row is None:
            return
        if self.marks.pop(row.id, None) is None:
            self.marks[row.id] = row.name
        self._marks_changed()

    def action_extend_mark(self, step: int) -> None:
        """Mark the cursor row, move, mark the row arrived at (shift+arrows, as in a file list)."""
        row = self.current_row
        if row is None:
            return
        self.marks[row.id] = row.name
        self.move_cursor(self.cursor + step)
        row = self.current_row
        if row is not None:
            self.marks[row.id] = row.name
        self._marks_changed()

    def action_clear_marks(self) -> None:
        if self.marks:
            self.marks.clear()
            self._marks_changed()

    def marked(self) -> list[tuple[int, str]]:
        """(id, name) of the marked customers, in the order they were marked."""
        return list(self.marks.items())
