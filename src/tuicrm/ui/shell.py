"""What screens may ask of the app shell (``tuicrm.ui.app.TuiCrmApp``), typed without importing it
(the app imports the screens). Writes and navigation go through messages (``ui/messages.py``)."""

from __future__ import annotations

from typing import Any, Protocol, cast

from textual.app import App
from textual.screen import Screen


class Shell(Protocol):
    """The app shell's queries and hooks for its first screen."""

    def warm_up(self) -> None:
        """After the first paint: load the rest of the UI in the background."""

    def overdue_wanted(self, count: int) -> bool:
        """Whether the overdue panel should show, with ``count`` customers due."""


def shell(app: App[object]) -> Shell:
    """``app`` as the shell (the one app that runs these screens is ``TuiCrmApp``)."""
    return cast(Shell, app)


# Kept screens (issue #20): screens stay mounted between switches; coming back to one (or told of
# a write) re-reads only if something was committed since — by this app or any other process, as
# the app's watcher sees it — or the day turned. ``mark_read`` when a load starts, ``stale`` on
# ``ScreenResume`` / ``DataChanged``. An app that cannot tell (no watcher: not a file; a test's
# host app) makes every screen stale, as before.


def mark_read(screen: Screen[Any]) -> None:
    """``screen`` starts reading the database now."""
    stamp = getattr(screen.app, "data_stamp", None)
    screen._read_stamp = stamp(look=False) if stamp is not None else None  # type: ignore[attr-defined]


def stale(screen: Screen[Any]) -> bool:
    """Whether ``screen``'s data may be out of date (something written, a new day, or never read)."""
    if not hasattr(screen, "_read_stamp"):
        return True  # never read: no need to ask the watcher (not before the first paint)
    stamp = getattr(screen.app, "data_stamp", None)
    now = stamp(look=True) if stamp is not None else None
    return now is None or now != getattr(screen, "_read_stamp", None)
