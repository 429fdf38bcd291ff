"""Messages the TUI passes around. Workers post these; only handlers touch widgets.

Screens built by other modules can use these (posted straight to the app: a message a screen
posts to itself while the app is the active message pump would stop at the screen):

* ``OpenCustomer(customer_id, log=False)`` — post it to the app (``self.app.post_message``) to open the
  customer detail screen, optionally with the follow-up form ready. Screens and widgets never
  push a screen of another module themselves.
* ``DataWritten`` — post it to the app after a write, so it tells every screen (``DataChanged``).
* ``DataChanged`` — the app sends it to the active screen after an undo or any write made
  through a tuicrm form, so a screen can reload what it shows (``on_data_changed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


class OpenCustomer(Message):
    """Ask the app to show a customer's detail screen."""

    def __init__(self, customer_id: int, log: bool = False, back_after_log: bool = False) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.log = log
        self.back_after_log = back_after_log  # saving the follow-up form goes back where it came from


class DataWritten(Message):
    """A screen wrote to the database: the app tells every screen (``DataChanged``)."""


class DataChanged(Message):
    """The database changed (a form saved, an undo ran): reload what you show."""


class PanelLoaded(Message):
    """The overdue panel's data arrived from a worker."""

    def __init__(self, data: Any) -> None:
        super().__init__()
        self.data = data  # tuicrm.query.followups.PanelData


class WindowLoaded(Message):
    """A window of customer-list rows arrived from a worker."""

    def __init__(self, generation: int, offset: int, rows: list[Any], total: int | None) -> None:
        super().__init__()
        self.generation = generation
        self.offset = offset
        self.rows = rows
        self.total = total  # None: the count was not re-run (scrolling)


class CardLoaded(Message):
    """The customer card for the detail screen arrived from a worker."""

    def __init__(self, customer_id: int, card: Any) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.card = card  # tuicrm.query.cards.CustomerCard


class ChoicesLoaded(Message):
    """Filter choices (industries, tags, owners) arrived from a worker."""

    def __init__(self, choices: dict[str, list[str]]) -> None:
        super().__init__()
        self.choices = choices


class LoadFailed(Message):
    """A worker's query failed; the handler shows the one-line reason."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__()
        self.what = what
        self.reason = reason


@dataclass(frozen=True)
class Saved:
    """What a form returns when it wrote something (``dismiss(Saved(...))``); None when cancelled."""

    label: str
    customer_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
