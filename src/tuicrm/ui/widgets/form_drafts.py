"""The form's side of drafts (issue #21): every ``FormScreen`` keeps what the rep types on disk.

While a form is open, its changed fields (each with the value the form opened with) and the
version of the row it edits are written to a draft (``tuicrm.drafts``) at most once per
``DRAFT_EVERY`` seconds, and once more when the form goes away without being saved or cancelled
(the app exiting on SIGHUP, a crash that still unwinds). Saving or cancelling removes the draft.

When a form opens and a draft of it is on disk (the terminal went away, the process was
killed), the rep is asked: restore it, or discard it. Restoring fills the fields; a field that
another writer changed meanwhile (its value now is not the one the draft started from) goes
through the conflict dialog: the rep's text against theirs, field by field.

A form's draft is named by its kind (class), the row it edits (``track()``, or ``draft_edits``
for an edit form that does not track) or, for a new record, what it is for (the customer...).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select, TextArea

from tuicrm import clock
from tuicrm.domain.merge import FieldConflict
from tuicrm.drafts import Draft, DraftKey, Drafts, FieldDraft
from tuicrm.i18n import _
from tuicrm.paths import to_url
from tuicrm.safefiles import FileRefused
from tuicrm.ui.widgets.confirm import ConfirmModal

# At most one write per this many seconds while the rep types (the first change is written at once).
DRAFT_EVERY = 0.5
# What a form for a new record is for, looked up in this order (``customer_id`` → ``new-customer_id-12``).
NEW_FOR = ("customer_id", "customer", "customer_ref", "lead", "complaint", "row", "receivable")


def database_of(store: Any) -> str | None:
    """The database file a store works on (None: in memory, a server, unknown)."""
    target = getattr(store, "fast_target", None)  # a DeferredStore: not opened for this
    if target is None:
        try:
            target = store.path
        except Exception:  # a store without a file
            return None
    if not isinstance(target, (str, Path)) or not str(target) or ":memory:" in str(target):
        return None
    if "://" in str(target):
        _url, path = to_url(str(target))
        return str(path) if path is not None else None
    return str(target)


class DraftQuestion(ConfirmModal):
    """Restore or discard a draft left behind."""

    def on_mount(self) -> None:
        box = self.query_one("#confirm-box")
        box.styles.width = 72  # room for both keys ("y/enter restore · n/esc discard")
        box.styles.max_width = "100%"


class DraftKeeper(ModalScreen[Any]):
    """The draft half of ``FormScreen`` (see the module docstring)."""

    # (table, attribute holding the row id) for an edit form that does not ``track()`` its row.
    draft_edits: tuple[str, str] | None = None
    # off: not started · none: this form keeps no draft · asking: the restore question is up
    # on: keeping it · closed: saved or cancelled (nothing more written)
    draft_state = "off"
    _draft_timer: Timer | None = None
    _draft_written: dict[str, FieldDraft] | None = None
    _draft_latest: dict[str, FieldDraft] | None = None  # read at each change: the fields are gone at unmount
    _draft_at = 0.0

    def fields(self) -> list[Any]:  # FormScreen's
        return []

    def draft_key(self) -> DraftKey | None:
        if not getattr(self, "writes_data", True):
            return None
        kind = type(self).__name__
        table, row_id = getattr(self, "edit_table", None), getattr(self, "edit_row_id", None)
        if (table is None or row_id is None) and self.draft_edits is not None:
            table, attribute = self.draft_edits
            row_id = getattr(self, attribute, None)
        if table is not None and row_id is not None:
            return DraftKey(kind, table, str(row_id))
        for attribute in NEW_FOR:
            value = getattr(self, attribute, None)
            ident = getattr(value, "id", value)
            if isinstance(ident, (int, str)) and ident != "" and not isinstance(ident, bool):
                return DraftKey(kind, "", f"new-{attribute}-{ident}")
        return DraftKey(kind, "", "new")

    # -- starting: offer a draft left behind ------------------------------------------------

    @on(events.Mount)
    def _start_drafts(self) -> None:
        if self.draft_state != "off":
            return
        if not getattr(self, "complete", True):  # a new log mounts its later fields a frame after
            self.set_timer(0.02, self._start_drafts)
            return
        self.draft_state = "none"
        key = self.draft_key()
        database = database_of(getattr(self, "store", None))
        if key is None or database is None:
            return
        self._drafts, self._draft_key = Drafts(database), key
        self._draft_start = {f.key: f.raw() for f in self.fields()}
        try:
            draft = self._drafts.load(key)
        except (OSError, FileRefused):
            draft = None
        self.draft_state = "on"
        if draft is None:
            return
        if not self._draft_differs(draft):  # nothing in it the form does not show already
            self._drafts.remove(key)
            return
        self.draft_state = "asking"
        self.call_after_refresh(self._offer_draft, draft)

    def _draft_differs(self, draft: Draft) -> bool:
        return any(
            name in self._draft_start and f.mine != self._draft_start[name]
            for name, f in draft.fields.items()
        )

    def _conflicts(self, draft: Draft) -> list[FieldConflict]:
        """Fields the rep changed that another writer changed too, to something else."""
        out = []
        for name, f in draft.fields.items():
            now = self._draft_start.get(name, f.base)
            if name in self._draft_start and now != f.base and f.mine != now:
                out.append(FieldConflict(name, f.base, f.mine, now))
        return out

    def _offer_draft(self, draft: Draft) -> None:
        labels = ", ".join(self._label(name) for name in draft.fields if name in self._draft_start)
        when = f"{clock.to_local(draft.saved_at):%Y-%m-%d %H:%M}"
        body = Text(_("Typed {when}, not saved: {fields}.").format(when=when, fields=labels))
        if self._conflicts(draft):
            body.append("\n" + _("Someone else changed this record since: you will choose field by field."))
        question = DraftQuestion(_("Restore what you typed before?"), body, yes=_("Restore"), no=_("Discard"))
        self.app.push_screen(question, lambda yes: self._answered(draft, bool(yes)))

    def _label(self, name: str) -> str:
        label_of = getattr(self, "field_label", None)
        return str(label_of(name)) if label_of is not None else name

    def _answered(self, draft: Draft, restore: bool) -> None:
        if not restore:
            self.draft_state = "on"
            self._drafts.remove(self._draft_key)
            return
        conflicts = self._conflicts(draft)
        if not conflicts:
            self._restore(draft, {})
            return
        from tuicrm.ui.widgets.conflict import ConflictScreen

        def chosen(choices: dict[str, str] | None) -> None:
            # esc: the other writer's values stay in the conflicting fields; the rest is restored
            self._restore(draft, choices or {c.field: "theirs" for c in conflicts})

        self.app.push_screen(ConflictScreen(conflicts, self._label), chosen)

    def _restore(self, draft: Draft, choices: dict[str, str]) -> None:
        by_key = {f.key: f for f in self.fields()}
        for name, f in draft.fields.items():
            target = by_key.get(name)
            if target is None or choices.get(name) == "theirs":
                continue
            target.set_value(f.mine)
            target.touched = True
            control = target.control
            if isinstance(control, TextArea):  # typing on goes after the text, not before
                control.move_cursor(control.document.end)
            elif isinstance(control, Input):
                control.cursor_position = len(control.value)
        self.draft_state = "on"
        self._draft_latest = self._changes()
        self._write_draft()

    # -- keeping it as the rep types ---------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def draft_changed(self) -> None:
        """A field changed: write the draft now, or within ``DRAFT_EVERY`` seconds."""
        if self.draft_state != "on":
            return
        self._draft_latest = self._changes()
        if self._draft_timer is not None:
            return
        wait = self._draft_at + DRAFT_EVERY - time.monotonic()
        if wait <= 0:
            self._write_draft()
        else:
            self._draft_timer = self.set_timer(wait, self._timer_fired, name="draft")

    def _timer_fired(self) -> None:
        self._draft_timer = None
        self._write_draft()

    def _changes(self) -> dict[str, FieldDraft]:
        start = self._draft_start
        out = {}
        for f in self.fields():
            if f.key in start and f.raw() != start[f.key]:
                out[f.key] = FieldDraft(start[f.key], f.raw())
        return out

    def _write_draft(self) -> None:
        if self.draft_state != "on":
            return
        changes = self._draft_latest or {}
        if changes == (self._draft_written or {}):
            return
        self._draft_at = time.monotonic()
        try:
            if changes:
                self._drafts.save(self._draft_key, changes, int(getattr(self, "base_version", 0) or 0))
            else:  # back to what it opened with: nothing to keep
                self._drafts.remove(self._draft_key)
        except (OSError, FileRefused) as exc:
            self.draft_state = "none"
            reason = str(exc) if isinstance(exc, FileRefused) else (exc.strerror or type(exc).__name__)
            self.notify(
                _("Drafts of this form cannot be kept: {reason}").format(reason=reason),
                severity="warning",
                markup=False,
            )
            return
        self._draft_written = changes

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """The form is done (saved or cancelled): its draft goes with it."""
        self.drop_draft()
        return super().dismiss(result)

    def drop_draft(self) -> None:
        """Saved or cancelled: the draft goes, and nothing more is written for this form."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.draft_state in ("on", "asking"):
            self._drafts.remove(self._draft_key)
        self.draft_state = "closed"

    def begin_again(self) -> None:
        """The form was made new for another record (a kept form): nothing more is written for
        the last one (a draft it left unsaved stays on disk), and this one's draft is looked for
        once the resets' change messages are through (they are not the rep's typing)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.draft_state = "off"
        self._draft_written = self._draft_latest = None
        self.call_after_refresh(self._start_drafts)

    @on(events.Unmount)
    def _flush_draft(self) -> None:
        """Leaving without a save or a cancel (the app exits: SIGHUP, q): the last keys are kept."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._write_draft()
