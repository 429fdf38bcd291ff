"""The customer list's search line: an ``Input`` whose typing never re-lays out the screen."""

from __future__ import annotations

from tuicrm.ui.textual_compat import StableWidthInput


class SearchInput(StableWidthInput):
    """One row of fixed width: see ``StableWidthInput`` (``tuicrm.ui.textual_compat``)."""
