"""Shared pieces of every tuicrm form: a labelled field that validates as you type, and a
``FormScreen`` base (a ``ModalScreen``) that refuses to save while a field is invalid and writes
nothing when cancelled.

A concrete form lists its fields in ``compose_fields`` and implements ``save(values)``, which does
the write in one ``store.write(label)`` transaction and returns what ``dismiss`` hands back. The
transaction opens only when the rep saves, never while the modal waits.

``save`` runs in a thread worker: while another program holds the write lock, the form says it is
waiting and keys keep working; a busy database ends in one sentence with the form's text kept.

An edit form calls ``track(table, row_id, version)`` with the row it read; its ``save`` writes
through ``save_tracked``, which writes only the fields the rep changed, checked against that
version (``tuicrm.store.versions``). When another writer changed one of those fields meanwhile, the
form shows each one (``ConflictScreen``): keep mine or take theirs, then saves again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from tuicrm.domain.dates import AUTO
from tuicrm.domain.limits import LengthError
from tuicrm.i18n import _
from tuicrm.i18n.names import choice_label
from tuicrm.store.errors import DatabaseBusy, StoreError
from tuicrm.store.versions import Apply, EditConflict, save_changes
from tuicrm.ui import text as ut
from tuicrm.ui.background import write_in_background
from tuicrm.ui.textual_compat import InOrderInput
from tuicrm.ui.widgets.form_checks import (
    Check,
    Hint,
    amount,
    date_hint,
    date_input,
    email,
    limited_text,
    optional_text,
    phone,
    required_text,
    whole_number,
)
from tuicrm.ui.widgets.form_drafts import DraftKeeper
from tuicrm.ui.widgets.key_footer import KeyFooter

MARK_ERROR = "✗ "


# --- a labelled, validating field ----------------------------------------------------------------


class FormField(Vertical):
    """Label + control (+ inline hint) on one row, and the reason underneath when invalid."""

    def __init__(
        self,
        key: str,
        label: str,
        control: Widget,
        *,
        check: Check | None = None,
        hint: Hint | None = None,
        required: bool = False,
        classes: str = "",
    ) -> None:
        super().__init__(classes=f"form-field {classes}".strip())
        self.key = key
        self.label_text = label
        self.control = control
        self.check = check
        self.hint = hint
        self.required = required
        self.touched = False
        self.error: str | None = None
        self.initial = self.raw()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label_text + (" *" if self.required else ""), classes="field-label")
            yield self.control
            yield Static("", classes="field-hint")
        yield Static("", classes="field-error")

    def on_mount(self) -> None:
        self.validate(show=False)

    def raw(self) -> Any:
        c = self.control
        if isinstance(c, TextArea):
            return c.text
        if isinstance(c, Input):
            return c.value
        if isinstance(c, Select):
            return None if c.value is Select.NULL else c.value
        if isinstance(c, Checkbox):
            return c.value
        return getattr(c, "value", None)

    def set_value(self, value: Any) -> None:
        """Show a stored value in the control (the form's own text for it), as the form would
        have shown it when it opened."""
        self._put(value)
        self.validate()

    def _put(self, value: Any) -> None:
        c = self.control
        if isinstance(c, Checkbox):
            c.value = bool(value)
        elif isinstance(c, Select):
            try:
                c.value = Select.NULL if value is None else value
            except Exception:  # a value this Select does not offer: left as it is
                return
        elif isinstance(c, TextArea):
            if c.text != as_text(value):  # load_text rebuilds the document even when equal
                c.load_text(as_text(value))
        elif isinstance(c, Input):
            c.value = as_text(value)

    def reset(self, value: Any) -> None:
        """Show ``value`` as if the form had just opened with it: untouched, no error shown."""
        self._put(value)
        self.initial = self.raw()
        self.touched = False
        self.validate(show=False)

    def parse(self, value: Any) -> Any:
        """``value`` as this field reads it back after ``set_value``: the form's own terms."""
        c = self.control
        if isinstance(c, Checkbox):
            return bool(value)
        if isinstance(c, Select):
            return value
        if self.check is None:
            return as_text(value)
        try:
            return self.check(as_text(value))
        except LengthError as exc:
            return exc.value or None
        except (ValueError, StoreError):
            return value

    def validate(self, show: bool = False) -> tuple[bool, Any]:
        """Check the value; show the reason if the field was touched (or ``show``)."""
        if show:
            self.touched = True
        raw = self.raw()
        value: Any = raw
        self.error = None
        if self.check is not None:
            try:
                value = self.check(raw)
            except LengthError as exc:
                if raw == self.initial:
                    value = exc.value or None  # stored long before the limit: kept as it is
                else:
                    self.error = str(exc)
            except (ValueError, StoreError) as exc:
                self.error = str(exc)
        self._show(value)
        return self.error is None, value

    def _show(self, value: Any) -> None:
        try:
            error = self.query_one(".field-error", Static)
            hint = self.query_one(".field-hint", Static)
        except NoMatches:  # not composed yet
            return
        visible = bool(self.error) and self.touched
        hint_text = None
        if self.error is None and self.hint is not None:
            hint_text = self.hint(value)
        shown = (self.error if visible else None, str(hint_text) if hint_text is not None else None)
        if shown == getattr(self, "_shown", ()):
            return  # nothing changed: no relayout per keystroke
        self._shown = shown
        self.set_class(visible, "-invalid")
        error.update(Text(MARK_ERROR + (self.error or "")) if visible else "")
        error.display = visible
        if isinstance(hint_text, str):
            hint_text = Text(hint_text)
        hint.update(hint_text or "")
        hint.display = hint_text is not None


# --- the form screen -----------------------------------------------------------------------------


class FormScreen(DraftKeeper):
    """Base for tuicrm forms: ``compose_fields``, ``save``, ``form_title``; keeps drafts (DraftKeeper)."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), id="form.save", priority=True),
        Binding("escape", "cancel", _("Cancel"), id="form.cancel"),
    ]
    AUTO_FOCUS = ".form-field Input, .form-field Select, .form-field Checkbox"
    save_label = _("Save")
    writes_data = True  # False for forms that only pick values (filters)
    # Seconds a save may take before the form says it is waiting for the database.
    WAIT_NOTICE_AFTER = 0.3

    # The row an edit form edits (``track``) and what the form showed of it when it opened.
    edit_table: str | None = None
    edit_row_id: int | None = None
    base_version: int = 0
    base_values: dict[str, Any] | None = None
    saving = False

    def track(self, table: str, row_id: int, version: int) -> None:
        """This form edits row ``row_id`` of ``table``, read at ``version``."""
        self.edit_table, self.edit_row_id, self.base_version = table, row_id, version

    def save_tracked(
        self, session: Any, values: dict[str, Any], apply: Apply | None = None
    ) -> dict[str, Any]:
        """Write the rep's changes to the tracked row (see ``tuicrm.store.versions.save_changes``);
        raises ``EditConflict`` when another writer changed the same fields meanwhile."""
        assert self.edit_table is not None and self.edit_row_id is not None  # track() the row first
        base = self.base_values if self.base_values is not None else {}
        return save_changes(
            session, self.edit_table, self.edit_row_id, base, self.base_version, values, apply
        )

    def on_mount(self) -> None:
        # A toast from the screen below (the panel's 10 s "why" note) would cover the form's hints.
        self.app.clear_notifications()
        if self.edit_table is not None and self.base_values is None:
            self.base_values = {f.key: f.validate(show=False)[1] for f in self.fields()}

    def form_title(self) -> Text:
        return Text(_("Form"))

    def compose_fields(self) -> Iterable[Widget]:
        return []

    def save(self, values: dict[str, Any]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="form-box"):
            yield Static(self.form_title(), id="form-title")
            with VerticalScroll(id="form-body"):
                yield from self.compose_fields()
            yield Static("", id="form-status")
            with Horizontal(id="form-buttons"):
                yield Static(Text(_("enter/^s save · esc cancel")), id="form-keys")
                yield Button(self.save_label, id="form-save", variant="primary", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)
        # The form's own keys on the bottom row, so the screen's footer below does not show through.
        yield KeyFooter(compact=True, show_help=False)

    # -- state --------------------------------------------------------------

    def fields(self) -> list[FormField]:
        return list(self.query(FormField))

    def field(self, key: str) -> FormField:
        for f in self.fields():
            if f.key == key:
                return f
        raise KeyError(key)

    def invalid_fields(self) -> list[FormField]:
        return [f for f in self.fields() if not f.validate(show=False)[0]]

    def on_field_changed(self, field: FormField) -> None:
        """Hook for cross-field updates (e.g. a stage changing the probability hint)."""

    def _changed(self, widget: Widget) -> None:
        for node in widget.ancestors:
            if isinstance(node, FormField):
                if node.raw() != node.initial:
                    node.touched = True
                node.validate()
                self.on_field_changed(node)
                if not self.saving:  # "saving…, waiting" stays up while the rep types on
                    self._set_status("")
                return

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._changed(event.checkbox)

    @on(TextArea.Changed)
    def _text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _set_status(self, message: str | Text, error: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        if not message and not status.display:
            return
        status.set_class(error, "-error")
        status.update(Text(message) if isinstance(message, str) else message)
        status.display = bool(message)

    # -- actions ------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            self._set_status(_("Still saving…"))
            return
        values: dict[str, Any] = {}
        bad: list[FormField] = []
        for f in self.fields():
            ok, value = f.validate(show=True)
            if ok:
                values[f.key] = value
            else:
                bad.append(f)
        if bad:
            names = ", ".join(f.label_text for f in bad)
            self._set_status(
                _("{mark_error}Not saved. Fix: {names}.").format(mark_error=MARK_ERROR, names=names),
                error=True,
            )
            bad[0].control.focus()
            return
        if not self.writes_data:
            self._finish_save(values, self._outcome(values))
            return
        # Off the UI thread: another program may hold the write lock for seconds.
        self.saving = True
        notice = self.set_timer(self.WAIT_NOTICE_AFTER, self._show_waiting)

        def finish(outcome: Any) -> None:
            self._finish_save(values, outcome, notice)

        write_in_background(
            self,
            lambda: self.save(dict(values)),
            finish,
            finish,
            refused=(StoreError, ValueError),
            group="form-save",
        )

    def _outcome(self, values: dict[str, Any]) -> Any:
        """``save(values)``'s result, or the exception that refused it (any thread)."""
        try:
            return self.save(dict(values))
        except (StoreError, ValueError) as exc:
            return exc

    def _show_waiting(self) -> None:
        if self.saving:
            self._set_status(_("Saving… waiting for another program to finish writing."))

    def _finish_save(self, values: dict[str, Any], outcome: Any, notice: Any = None) -> None:
        self.saving = False
        if notice is not None:
            notice.stop()
        if isinstance(outcome, EditConflict):
            self._set_status(Text(MARK_ERROR + ut.clean(str(outcome))), error=True)
            self._ask_about_conflict(values, outcome)
            return
        if isinstance(outcome, DatabaseBusy):
            self._set_status(
                Text(MARK_ERROR + ut.clean(str(outcome)) + " " + _("Your text is kept: ^s tries again.")),
                error=True,
            )
            return
        if isinstance(outcome, (StoreError, ValueError)):
            self._set_status(Text(MARK_ERROR + _("Not saved: ") + ut.clean(str(outcome))), error=True)
            return
        self.dismiss(outcome)
        data_changed = getattr(self.app, "data_changed", None)
        if self.writes_data and data_changed is not None:
            # The re-reads (threads) start once the screen without the form is painted: they
            # would otherwise hold the interpreter while that frame is drawn (issue #20).
            self.app.call_after_refresh(data_changed)

    # -- conflicts ------------------------------------------------------------

    def field_label(self, key: str) -> str:
        try:
            return self.field(key).label_text
        except KeyError:
            return key

    def _ask_about_conflict(self, values: dict[str, Any], conflict: EditConflict) -> None:
        from tuicrm.ui.widgets.conflict import ConflictScreen

        def chosen(choices: dict[str, str] | None) -> None:
            if choices is None:
                return  # back to the form: nothing saved, the rep's text as it was
            self.rebase(values, conflict, choices)
            self.action_save()

        self.app.push_screen(ConflictScreen(conflict.conflicts, self.field_label), chosen)

    def rebase(self, values: dict[str, Any], conflict: EditConflict, choices: dict[str, str]) -> None:
        """Make the form an edit of the row as it is now: the other writer's values in the fields
        the rep left alone and in those the rep gave up ("theirs"), the rep's own elsewhere."""
        base = self.base_values or {}
        current = conflict.current.values
        new_base: dict[str, Any] = {}
        for f in self.fields():
            if f.key not in current:
                continue
            theirs = current[f.key]
            new_base[f.key] = f.parse(theirs)
            untouched = values.get(f.key) == base.get(f.key)
            if untouched or choices.get(f.key) == "theirs":
                f.set_value(theirs)
        self.base_values = new_base
        self.base_version = conflict.current.version

    def action_cancel(self) -> None:
        if self.saving:
            self._set_status(_("Saving… wait for it to finish (or to fail) before leaving."))
            return
        self.dismiss(None)


def as_text(value: Any) -> str:
    """A stored value as a form shows it in a text field: dates ISO, amounts without trailing
    zeros, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


class TextCheckbox(Checkbox):
    """A checkbox whose state reads as text, ``[x]`` or ``[ ]``, not only as a colour (Textual's
    ``▐X▌`` looks the same both ways without colour, e.g. ``NO_COLOR=1``)."""

    @property
    def _button(self) -> Content:
        return Content.assemble(("[x]" if self.value else "[ ]", self.get_visual_style("toggle--button")))


def text_input(value: str | None = "", placeholder: str = "", **kw: Any) -> Input:
    """A compact one-line Input that takes key bursts in order (``InOrderInput``); the value is
    user text and Input shows it literally."""
    return InOrderInput(value=ut.clean(value) if value else "", placeholder=placeholder, compact=True, **kw)


def choice_select(
    choices: Iterable[str], value: str | None = None, *, blank: bool = True, prompt: str = "—"
) -> Select[str]:
    choices = list(choices)
    opts = [(choice_label(c, tuple(choices)), c) for c in choices]  # shown in the rep's words
    v = value if value in choices else Select.NULL
    if not blank and v is Select.NULL and opts:
        v = opts[0][1]
    return Select(opts, value=v, allow_blank=blank, prompt=prompt, compact=True)


__all__ = [
    "AUTO",
    "FormField",
    "FormScreen",
    "required_text",
    "optional_text",
    "limited_text",
    "email",
    "phone",
    "date_input",
    "amount",
    "whole_number",
    "date_hint",
    "as_text",
    "text_input",
    "choice_select",
]
