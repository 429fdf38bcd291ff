"""The customer list's search line: an ``Input`` whose typing never re-lays out the screen, and
whose ``ctrl+t`` switches searching notes and follow-ups too (``all_text``; the hits are listed
by ``SearchHits`` under the list, ranked below the name matches the list shows)."""

from __future__ import annotations

from textual.binding import Binding
from textual.reactive import reactive

from tuicrm.i18n import _
from tuicrm.ui.textual_compat import StableWidthInput


def placeholder(all_text: bool) -> str:
    """The empty search line says what it searches, in words (not only a colour)."""
    if all_text:
        return _("/ search + notes, follow-ups · ctrl+t: off")
    return _("/ search: name, code, contact, phone, email")  # the footer shows ^t Notes too


class SearchInput(StableWidthInput):
    """One row of fixed width: see ``StableWidthInput`` (``tuicrm.ui.textual_compat``)."""

    # ctrl+t: Input keeps ctrl+a (line start), ctrl+e, ctrl+k, ctrl+u, ctrl+w, ctrl+f, ctrl+d for editing.
    BINDINGS = [
        Binding(
            "ctrl+t",
            "toggle_all_text",
            _("Notes too"),
            id="search.all_text",
            tooltip=_("In the search: also search notes, follow-ups and deals (listed under the list)"),
        )
    ]
    all_text: reactive[bool] = reactive(False, init=False)

    def action_toggle_all_text(self) -> None:
        self.all_text = not self.all_text

    def watch_all_text(self, on: bool) -> None:
        self.placeholder = placeholder(on)
        self.notify(
            _("Searching notes and follow-ups too.") if on else _("Searching names, codes and phones only."),
            markup=False,
            timeout=2,
        )
