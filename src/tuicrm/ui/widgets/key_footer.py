"""The footer of every screen: only the keys that fit whole, and ``? Help`` always.

Textual's footer lays every shown binding side by side and lets the last ones run off the edge,
so at 40 columns a rep read "Snooze ▏^p PaletteS" — words cut mid-way and no way to learn the
rest. This footer measures each key as it will be drawn, keeps the screen's keys in their order
while they fit, and puts ``? Help`` (which lists them all) and then the palette key at the right
when there is room for them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

HELP_ACTIONS = ("help", "app.help")


class FooterItem(NamedTuple):
    """One key as the footer draws it."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    classes: str


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

    def _plan(self) -> tuple[FooterItem | None, ...]:
        """What the footer shows at its width: its keys in order, ``None`` for the filler."""
        app = self.app
        active = self.screen.active_bindings
        width = self.size.width or app.size.width
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
        plan: list[FooterItem | None] = []
        for binding, enabled, tooltip in keys:
            taken = width_of(binding)
            if taken > room:
                break
            room -= taken
            plan.append(self._item(binding, enabled, tooltip, ""))
        plan.append(None)  # the filler: pushes Help and the palette key to the right edge
        plan.extend(
            self._item(binding, enabled, tooltip, classes) for binding, enabled, tooltip, classes in tail
        )
        return tuple(plan)

    def _item(self, binding: Binding, enabled: bool, tooltip: str, classes: str) -> FooterItem:
        return FooterItem(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            enabled,
            tooltip or binding.tooltip or binding.description,
            classes,
        )

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._laid_out_for = self.size.width or self.app.size.width
        self._shown = self._plan()
        for item in self._shown:
            yield Static(classes="-fill") if item is None else self._key(item)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # Textual recomposes the footer on every screen switch and focus move (~6 ms a time at
        # 120 columns, more on a busy machine): only do it when the keys it would show differ.
        if self._bindings_ready and self.is_attached and screen is self.screen and self._shown is not None:
            if self._plan() == self._shown:
                return
        super().bindings_changed(screen)

    def _key(self, item: FooterItem) -> FooterKey:
        # The footer's ``compact`` is set once, when it is built: each key gets it as a value and
        # a class rather than a data binding (Textual's footer binds it, and each bound key then
        # ran a watcher and a restyle as it mounted: ~10 keys on every screen and form built).
        key = FooterKey(
            item.key,
            item.key_display,
            item.description,
            item.action,
            disabled=not item.enabled,
            tooltip=item.tooltip,
            classes=f"{item.classes} -compact" if self.compact else item.classes,
        )
        key.set_reactive(FooterKey.compact, self.compact)
        return key

    _laid_out_for = 0
    _shown: tuple[FooterItem | None, ...] | None = None  # the plan last composed

    def on_resize(self, event: events.Resize) -> None:
        # Which keys fit depends on the width: lay them out again when it changes.
        if self._bindings_ready and event.size.width != self._laid_out_for:
            self._laid_out_for = event.size.width
            self.call_after_refresh(self.recompose)
