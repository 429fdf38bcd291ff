"""A yes/no modal that returns a bool (``push_screen(ConfirmModal(...), callback)``)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tuicrm.i18n import _


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", _("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", _("No"), id="confirm.no"),
    ]
    AUTO_FOCUS = "#confirm-yes"

    def __init__(self, title: str | Text, body: Text | str = "", *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.body = body if isinstance(body, Text) else Text(body)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="form-box"):
            yield Static(self.title_text, id="confirm-title")
            yield Static(self.body, id="confirm-body")
            with Horizontal(id="confirm-buttons"):
                yield Static(
                    Text(
                        _("y/enter {lower} · n/esc {lower2}").format(
                            lower=self.yes.lower(), lower2=self.no.lower()
                        )
                    ),
                    id="confirm-keys",
                )
                yield Button(self.yes, id="confirm-yes", variant="primary", compact=True)
                yield Button(self.no, id="confirm-no", compact=True)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)
