"""The footer of every screen: only the keys that fit whole, and ``? Help`` always.

Textual's footer lays every shown binding side by side and lets the last ones run off the edge,
so at 40 columns a rep read "Snooze ▏^p PaletteS" — words cut mid-way and no way to learn the
rest. This footer measures each key as it will be drawn, keeps the screen's keys in their order
while they fit, and puts ``? Help`` (which lists them all) and then the palette key at the right
when there is room for them.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

HELP_ACTIONS = ("help", "app.help")


def key_width(key_display: str, description: str, compact: bool) -> int:
    """Cells one key takes in the footer, its margin included (Footer's own CSS)."""
    if compact:  # key, a space, the description, then margin-right 1
        return cell_len(key_display) + (1 + cell_len(description) if description else 0) + 1
    # key padded one each side, the description padded one on the right, no margin
    return cell_len(key_display) + 2 + (cell_len(description) + 1 if description else 0)


class KeyFooter(Footer):
    """``KeyFooter(show_help=False)`` under a form: there ``?`` is a character typed into a field."""

    DEFAULT_CSS = """
    KeyFooter .-fill {
        width: 1fr;
        height: 1;
    }
    KeyFooter FooterKey.-palette {
        border-left: vkey $foreground 20%;
    }
    """

    def __init__(self, *, compact: bool = False, show_help: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_help)
        self.show_help = show_help

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        app = self.app
        active = self.screen.active_bindings
        width = self.size.width or app.size.width
        self._laid_out_for = width
        seen: set[str] = set()
        keys: list[tuple[Binding, bool, str]] = []
        help_key: tuple[Binding, bool, str] | None = None
        for _node, binding, enabled, tooltip in active.values():
            if binding.action in HELP_ACTIONS:
                help_key = help_key or (binding, enabled, tooltip)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding, enabled, tooltip))

        def width_of(binding: Binding) -> int:
            return key_width(app.get_key_display(binding), binding.description, self.compact)

        room = width - 1  # the palette key's border, or a cell of air before the right edge
        tail: list[tuple[Binding, bool, str, str]] = []
        if help_key is not None and self.show_help:
            room -= width_of(help_key[0])
            tail.append((*help_key, "-help"))
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if self.show_command_palette and palette is not None:
            # The screen's own keys come first: the palette key goes only where all of them fit.
            needed = sum(width_of(binding) for binding, _e, _t in keys) + width_of(palette[1]) + 1
            if needed <= room:
                room -= width_of(palette[1]) + 1
                tail.append((palette[1], palette[2], palette[3], "-palette"))
        for binding, enabled, tooltip in keys:
            taken = width_of(binding)
            if taken > room:
                break
            room -= taken
            yield self._key(binding, enabled, tooltip, "")
        yield Static(classes="-fill")  # pushes Help and the palette key to the right edge
        for binding, enabled, tooltip, classes in tail:
            yield self._key(binding, enabled, tooltip, classes)

    def _key(self, binding: Binding, enabled: bool, tooltip: str, classes: str) -> FooterKey:
        key = FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip or binding.tooltip or binding.description,
            classes=classes,
        )
        return key.data_bind(compact=Footer.compact)

    _laid_out_for = 0

    def on_resize(self, event: events.Resize) -> None:
        # Which keys fit depends on the width: lay them out again when it changes.
        if self._bindings_ready and event.size.width != self._laid_out_for:
            self._laid_out_for = event.size.width
            self.call_after_refresh(self.recompose)
