"""Keep mine / take theirs: the fields another writer changed while the rep edited them.

Shown by a ``FormScreen`` when its save meets ``EditConflict``. One row per field: what the rep
typed, what the other writer saved, and a choice (mine by default: the rep was just typing it).
Dismisses with ``{field: "mine" | "theirs"}``, or None (esc: back to the form, nothing saved).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Select, Static

from tuicrm.domain.merge import FieldConflict
from tuicrm.i18n import _
from tuicrm.ui import text as ut
from tuicrm.ui.widgets.dialog import DialogScreen

MINE = "mine"
THEIRS = "theirs"


def shown(value: Any) -> str:
    """A stored or typed value as one line for the comparison ("—" for nothing)."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return ut.clean(str(value)).replace("\n", " ⏎ ")


class ConflictScreen(DialogScreen[dict[str, str] | None]):
    DEFAULT_CSS = """
    ConflictScreen > #dialog { width: 76; }
    ConflictScreen #conflict-rows { height: auto; max-height: 16; }
    ConflictScreen .conflict-row { height: auto; margin-bottom: 1; }
    ConflictScreen .conflict-row Select { width: 24; }
    ConflictScreen #conflict-buttons { height: 1; align-horizontal: right; }
    """
    BINDINGS = [
        Binding("ctrl+s", "apply", _("Apply"), id="conflict.apply", priority=True),
        Binding("escape", "back", _("Back to the form"), id="conflict.back"),
    ]
    AUTO_FOCUS = "#conflict-rows Select"

    def __init__(self, conflicts: Sequence[FieldConflict], label_of: Callable[[str], str]) -> None:
        super().__init__()
        self.conflicts = list(conflicts)
        self.label_of = label_of

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = _("Changed by someone else meanwhile")
            yield Static(
                Text(_("Nothing was saved. For each field, keep yours or take theirs, then ^s.")),
                id="conflict-intro",
            )
            with VerticalScroll(id="conflict-rows"):
                for c in self.conflicts:
                    with Vertical(classes="conflict-row"):
                        line = Text(self.label_of(c.field), style="bold")
                        line.append(_("\n  yours:  ")).append(shown(c.mine))
                        line.append(_("\n  theirs: ")).append(shown(c.theirs))
                        yield Static(line)
                        yield Select(
                            [(_("Keep mine"), MINE), (_("Take theirs"), THEIRS)],
                            value=MINE,
                            allow_blank=False,
                            compact=True,
                            id=f"choice-{c.field}",
                        )
            with Horizontal(id="conflict-buttons"):
                yield Button(_("Apply"), id="conflict-apply", variant="primary", compact=True)
                yield Button(_("Back"), id="conflict-back", compact=True)

    def choices(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.conflicts:
            value = self.query_one(f"#choice-{c.field}", Select).value
            out[c.field] = THEIRS if value == THEIRS else MINE
        return out

    def action_apply(self) -> None:
        self.dismiss(self.choices())

    def action_back(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#conflict-apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#conflict-back")
    def _back(self) -> None:
        self.action_back()
