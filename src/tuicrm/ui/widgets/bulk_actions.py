"""One change to several customers from the customer list or the timeline: the rows the rep
marked (``space``, ``shift+↑/↓``), else the row under the cursor. Snooze (the single snooze's
choices), tag, owner, status, archive — each ONE ``store.write`` (``tuicrm.store.bulk_edit``),
so one ``u`` reverses it for every customer.

``start_change(screen, action, targets, finished)``: opens the form (or, for archive, the
question) and calls ``finished(label)`` once the change is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from tuicrm.config import STATUSES, Config
from tuicrm.domain.limits import field_limit
from tuicrm.i18n import _, ngettext
from tuicrm.i18n.names import operation_label
from tuicrm.store import Store, bulk_edit
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.messages import DataWritten, Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    choice_select,
    limited_text,
    required_text,
    text_input,
)
from tuicrm.ui.widgets.snooze import SnoozeForm

Targets = list[tuple[int, str]]  # (customer id, name)
# The keys of a change to several customers, on the customer list and the timeline (with s, x).
CHANGE_KEYS = {"tag": "t", "owner": "a", "status": "c"}


def who(targets: Targets, limit: int = 3) -> str:
    """'Acme, Globex, Initech' or 'Acme, Globex, Initech and 4 more' (names cleaned)."""
    names = [ut.clean(name) for _id, name in targets]
    if len(names) <= limit:
        return ", ".join(names)
    rest = len(names) - limit
    return ngettext("{names} and {count} more", "{names} and {count} more", rest).format(
        names=", ".join(names[:limit]), count=rest
    )


def _title(verb: str, targets: Targets) -> Text:
    title = Text(verb, style="bold", end="")
    title.append(" · ")
    title.append(
        ngettext("{count} customer: ", "{count} customers: ", len(targets)).format(count=len(targets)),
        style="bold",
    )
    title.append(who(targets), style="dim")
    return title


class BulkSnoozeForm(SnoozeForm):
    """The snooze form (the same choices) for several customers; ``dismiss(Saved)``."""

    def __init__(self, store: Store, config: Config, targets: Targets) -> None:
        FormScreen.__init__(self, classes="-bottom")
        self.store = store
        self.config = config
        self.targets = targets
        self.customer_id = targets[0][0]

    def form_title(self) -> Text:
        return _title(_("Snooze"), self.targets)

    def draft_key(self) -> None:
        return None  # a draft names one record; these marks are gone after a crash

    def save(self, values: dict[str, Any]) -> Saved:
        to_on = values["to_on"]
        label = bulk_edit.label("snooze", [n for _i, n in self.targets], to_on.isoformat())
        with self.store.write(label) as session:
            bulk_edit.snooze_customers(session, [i for i, _n in self.targets], to_on, reason=values["reason"])
        return Saved(label, None, {"to_on": to_on, "count": len(self.targets)})


class BulkChangeForm(FormScreen):
    """Tag, owner or status of several customers, one field; ``dismiss(Saved)``."""

    def __init__(self, store: Store, action: str, targets: Targets) -> None:
        super().__init__(classes="-bottom")
        self.store = store
        self.action = action
        self.targets = targets
        self.save_label = {"tag": _("Add tag"), "owner": _("Assign"), "status": _("Set status")}[action]

    def draft_key(self) -> None:
        return None  # a draft names one record; these marks are gone after a crash

    def form_title(self) -> Text:
        verbs = {"tag": _("Add a tag"), "owner": _("Assign an owner"), "status": _("Change the status")}
        return _title(verbs[self.action], self.targets)

    def compose_fields(self) -> Iterable[Widget]:
        if self.action == "tag":
            yield FormField(
                "value",
                _("Tag"),
                text_input(placeholder=_("e.g. expo-2026"), id="bulk-value"),
                check=required_text(_("Tag"), field_limit("customer", "tags")),
                required=True,
            )
        elif self.action == "owner":
            yield FormField(
                "value",
                _("Owner"),
                text_input(placeholder=_("empty: no owner"), id="bulk-value"),
                check=limited_text("customer", "owner", _("Owner")),
            )
        else:
            yield FormField("value", _("Status"), choice_select(STATUSES, blank=False), classes="-short")

    def save(self, values: dict[str, Any]) -> Saved:
        value = values["value"]
        names, ids = [n for _i, n in self.targets], [i for i, _n in self.targets]
        label = bulk_edit.label(self.action, names, value or "nobody")
        with self.store.write(label) as session:
            if self.action == "tag":
                bulk_edit.tag_customers(session, ids, value)
            elif self.action == "owner":
                bulk_edit.assign_owner(session, ids, value)
            else:
                bulk_edit.set_status(session, ids, value)
        return Saved(label, None, {"value": value, "count": len(ids)})


def start_change(
    screen: Screen[Any],
    store: Store,
    config: Config,
    action: str,
    targets: Targets,
    finished: Callable[[str], None],
) -> None:
    """Ask for the change (a form; for archive, a yes/no question), write it, then ``finished(label)``."""
    if not targets:
        screen.notify(toasts.pick_first(_("a customer")), severity="warning", markup=False)
        return

    def saved(result: Saved | None) -> None:
        if result is not None:
            done(result.label)

    def done(label: str) -> None:
        screen.notify(
            toasts.undoable(_("Saved: {label}").format(label=ut.clean(operation_label(label)))),
            markup=False,
            timeout=4,
        )
        finished(label)

    if action == "snooze":
        screen.app.push_screen(BulkSnoozeForm(store, config, targets), saved)
    elif action in CHANGE_KEYS:
        screen.app.push_screen(BulkChangeForm(store, action, targets), saved)
    elif action == "archive":
        _archive(screen, store, targets, done)
    else:
        raise ValueError(action)


def _archive(screen: Screen[Any], store: Store, targets: Targets, done: Callable[[str], None]) -> None:
    from tuicrm.store.errors import StoreError
    from tuicrm.ui.background import write_in_background
    from tuicrm.ui.widgets.confirm import ConfirmModal

    label = bulk_edit.label("archive", [n for _i, n in targets])

    def archive() -> None:
        with store.write(label) as session:
            bulk_edit.archive_customers(session, [i for i, _n in targets])

    def archived(_result: None) -> None:
        screen.app.post_message(DataWritten())
        done(label)

    def refused(exc: StoreError) -> None:
        screen.notify(str(exc), severity="error", markup=False)

    def answer(yes: bool | None) -> None:
        if yes:
            write_in_background(screen, archive, archived, refused)

    question = ngettext("Archive {count} customer?", "Archive {count} customers?", len(targets))
    screen.app.push_screen(
        ConfirmModal(
            Text(question.format(count=len(targets)), style="bold"),
            Text(who(targets, limit=8) + "\n" + _("u undoes it.")),
            yes=_("Archive"),
            no=_("Keep"),
        ),
        answer,
    )


__all__ = ["CHANGE_KEYS", "BulkChangeForm", "BulkSnoozeForm", "start_change", "who"]
