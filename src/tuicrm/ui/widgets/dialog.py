"""``DialogScreen``: a modal with one bordered ``#dialog`` box in the middle of the screen.

The look every small modal shares (the assessment, a stage move, a customer's contacts); a
subclass sets only what differs (its width, its own rows).
"""

from __future__ import annotations

from textual.screen import ModalScreen, ScreenResultType


class DialogScreen(ModalScreen[ScreenResultType]):
    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
    }
    DialogScreen > #dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    DialogScreen #dialog > OptionList { height: auto; border: none; padding: 0; }
    DialogScreen #dialog > OptionList:focus { border: none; }
    DialogScreen #dialog > OptionList:nocolor:focus > .option-list--option-highlighted {
        background: $foreground 85%;
        color: $background;
    }
    """
