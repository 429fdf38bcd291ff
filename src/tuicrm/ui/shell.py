"""What screens may ask of the app shell (``tuicrm.ui.app.TuiCrmApp``), typed without importing it
(the app imports the screens). Writes and navigation go through messages (``ui/messages.py``)."""

from __future__ import annotations

from typing import Protocol, cast

from textual.app import App


class Shell(Protocol):
    """The app shell's queries and hooks for its first screen."""

    def warm_up(self) -> None:
        """After the first paint: load the rest of the UI in the background."""

    def overdue_wanted(self, count: int) -> bool:
        """Whether the overdue panel should show, with ``count`` customers due."""


def shell(app: App[object]) -> Shell:
    """``app`` as the shell (the one app that runs these screens is ``TuiCrmApp``)."""
    return cast(Shell, app)
