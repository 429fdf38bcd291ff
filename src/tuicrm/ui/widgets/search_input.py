"""The customer list's search line: an ``Input`` whose typing never re-lays out the screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


class SearchInput(Input):
    """``Input`` sets its ``virtual_size`` (a layout reactive) on every keystroke, so each key
    reflowed the whole screen (~9 ms at 120×40 on a 2-core VM) before the new rows could paint.
    The search line is one row of fixed width: only its horizontal scroll depends on that size.
    Setting it first without a layout makes ``Input``'s own assignment a no-op; everything else
    ``Input`` does on a new value (validation, ``Changed``, the cursor) is unchanged.
    """

    def _watch_value(self, value: str) -> None:
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
