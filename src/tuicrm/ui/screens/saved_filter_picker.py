"""The saved filters of the customer list (``v``): enter applies one, its key 1-9 applies it at
once (``v 3``), ``delete`` removes one (``u`` brings it back). Saved from the filter form's
"Save as"."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuicrm.clock import today
from tuicrm.i18n import _
from tuicrm.query.saved_filters import SavedFilterRow, describe, saved_filters
from tuicrm.store import Store
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.widgets.key_footer import KeyFooter


class SavedFilterPicker(ModalScreen[SavedFilterRow | None]):
    """Dismisses with the chosen saved filter, or None."""

    BINDINGS = [
        Binding("escape,v", "close", _("Close"), id="saved_filters.close"),
        Binding(
            "delete",
            "delete",
            _("Delete"),
            id="saved_filters.delete",
            tooltip=_("Delete the saved filter (u undoes)"),
        ),
    ]
    # 1-9 recall a filter by its key: read in on_key (one row in ``?``, help.py's SECTIONS), not
    # nine bindings the help would list one by one.
    DEFAULT_CSS = """
    SavedFilterPicker { align: center middle; }
    SavedFilterPicker #picker-box { width: 90%; max-width: 76; height: auto; max-height: 80%; }
    SavedFilterPicker OptionList { height: auto; max-height: 14; border: none; }
    SavedFilterPicker OptionList:focus { border: none; }
    """
    AUTO_FOCUS = "OptionList"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        with store.reading() as conn:
            self.rows = saved_filters(conn)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="form-box"):
            yield Static(Text(_("Saved filters"), style="bold"), id="form-title")
            if self.rows:
                yield OptionList(*[self._option(r) for r in self.rows], id="saved-filters")
            else:
                yield Static(
                    Text(_("None saved yet: f opens the filter form; give it a name under Save as."))
                )
            yield Static(Text(_("enter/1-9 apply · del delete · esc close"), style="dim"))
        yield KeyFooter(compact=True)

    def _option(self, row: SavedFilterRow) -> Option:
        day = today()
        key = str(row.slot) if row.slot else " "
        prompt = Text(f"{key}  ", style="bold", end="")
        prompt.append(ut.clean(row.name), style="bold")
        kept = describe(row.customer_filter(day), day, ut.clean)
        prompt.append(f" — {kept or _('everyone')}", style="dim")
        return Option(prompt, id=f"f{row.id}")

    def _chosen(self) -> SavedFilterRow | None:
        lists = self.query(OptionList)
        if not lists:
            return None
        index = lists.first().highlighted
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.rows[event.option_index])

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character in "123456789":
            event.stop()
            self.action_slot(int(event.character))

    def action_slot(self, slot: int) -> None:
        row = next((r for r in self.rows if r.slot == slot), None)
        if row is None:
            self.notify(_("No saved filter has the key {slot}.").format(slot=slot), markup=False)
            return
        self.dismiss(row)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        row = self._chosen()
        if row is None:
            return
        from tuicrm.store.saved_filters import delete_filter
        from tuicrm.ui.background import write_in_background

        def delete() -> None:
            with self.store.write(f"delete filter {row.name}") as session:
                delete_filter(session, row.name)

        def deleted(_result: None) -> None:
            self.notify(
                toasts.undoable(_("Deleted the saved filter {name}").format(name=ut.clean(row.name))),
                markup=False,
            )
            self.dismiss(None)

        def refused(exc: Exception) -> None:
            self.notify(str(exc), severity="error", markup=False)

        write_in_background(self, delete, deleted, refused)
