"""The customer detail's ``M``: pick one of the customer's possible duplicates to merge into it.

``MergePicker(pairs, customer_id)`` lists the other customer of each pair (``tuicrm.query.dupes``)
and what they share; ``enter`` returns the chosen customer's id, ``escape`` None. The detail then
asks to confirm and merges (``tuicrm.store.merge``), off the UI thread.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuicrm.i18n import _
from tuicrm.query.dupes import CustomerRef, DupePair
from tuicrm.ui import text as ut
from tuicrm.ui.widgets.dialog import DialogScreen


def same_label(reason: str) -> str:
    if reason == "phone":
        return _("same phone")
    if reason == "email":
        return _("same e-mail")
    return _("same name")


class DupeList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", _("Down"), show=False),
        Binding("k", "cursor_up", _("Up"), show=False),
    ]


class MergePicker(DialogScreen[int | None]):
    """The possible duplicates of one customer; enter picks the one to merge into it."""

    BINDINGS = [Binding("escape", "close", _("Close"), id="merge.close")]
    DEFAULT_CSS = """
    MergePicker DupeList { max-height: 16; text-wrap: nowrap; text-overflow: ellipsis; }
    MergePicker .hint { height: 1; margin-top: 1; color: $text-muted; }
    """

    def __init__(self, name: str, customer_id: int, pairs: list[DupePair]) -> None:
        super().__init__()
        self.customer_name = name
        self.others: list[tuple[CustomerRef, list[str]]] = [
            (p.other if p.keep.id == customer_id else p.keep, p.same) for p in pairs
        ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(_("Merge into ") + ut.clean(self.customer_name))
            options = []
            for ref, same in self.others:
                line = Text(f"{ref.code} ", end="")
                line.append_text(ut.line(ref.name, style="bold"))
                line.append("  " + ", ".join(same_label(s) for s in same), style="dim")
                options.append(Option(line, id=f"c{ref.id}"))
            yield DupeList(*options, id="dupe-list")
            yield Static(
                Text(_("enter merge it into this customer (asks first) · esc close")), classes="hint"
            )

    def on_mount(self) -> None:
        listing = self.query_one(DupeList)
        listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.others):
            self.dismiss(self.others[index][0].id)

    def action_close(self) -> None:
        self.dismiss(None)
