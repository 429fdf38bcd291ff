"""Log a follow-up — or correct a logged one: what was said, with whom, about which deal, when,
how it went, and the next step (SPEC §2, §4; issue #16).

Summary is focused when the form opens and the next date is prefilled with ``auto`` (the cadence
rule), so the daily loop is: type the summary, press enter. The summary takes several lines
(ctrl+j starts a new one, a paste keeps its lines) and ctrl+e opens it in ``$EDITOR``. ``When``
back-dates the follow-up (``yesterday 15:00``). Editing saves through ``save_changes``: only the
fields the rep changed are written, and another writer's change to any other field survives.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import pendulum
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static, TextArea

from tuicrm import clock, i18n
from tuicrm.config import ATTITUDES, CHANNELS, FOLLOWUP_OUTCOMES, Config
from tuicrm.domain.cadence import cadence_interval, next_follow_up
from tuicrm.domain.dates import AUTO
from tuicrm.domain.limits import LengthError, field_limit, too_long_message
from tuicrm.domain.moments import parse_moment
from tuicrm.i18n import _
from tuicrm.i18n.names import display, status_name, typed_auto, typed_now, weekday
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.query.followups import FollowUpEntry, follow_up_entry, link_choices
from tuicrm.store import Store
from tuicrm.store.customers import get_customer
from tuicrm.store.errors import NotFound
from tuicrm.store.followups import apply_follow_up_changes, log_follow_up
from tuicrm.store.versions import save_changes
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.textual_compat import keep_styles_on_resume
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    choice_select,
    date_hint,
    date_input,
    limited_text,
    text_input,
)

NOW = "now"
# A new log shows these first fields (summary, when, next date, next action) in its first frame
# and mounts the other eleven right after it: a form of ~110 widgets took ~300 ms to open at once
# (issue #20). A save before they are there gives their defaults (``save``).
FIRST_FIELDS = 4
# Fields whose hint depends on the customer or the time: a kept form shows them afresh every time.
CUSTOMER_HINTS = ("at", "next_on")


def _text_area_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for binding in TextArea.BINDINGS:
        key, action = (binding.key, binding.action) if isinstance(binding, Binding) else binding[:2]
        for one in key.split(","):
            keys[one.strip()] = action
    return keys


class SummaryArea(TextArea):
    """The multi-line summary. Enter saves the form (the daily loop), ctrl+j starts a new line;
    editing keys act in the order they came, as ``InOrderInput``'s do."""

    KEY_ACTIONS = _text_area_keys()
    NEWLINE_KEYS = ("ctrl+j", "shift+enter", "alt+enter")

    class Submitted(Message):
        pass

    @property
    def value(self) -> str:
        return self.text

    async def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted())
            return
        if event.key in self.NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if event.is_printable:
            return  # TextArea inserts it itself, in order
        for key in event.aliases:
            action = self.KEY_ACTIONS.get(key)
            if action is not None:
                event.stop()
                event.prevent_default()
                await self.run_action(action)
                return


def summary_check(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        raise ValueError(_("{label} is required.").format(label=_("Summary")))
    limit = field_limit("followup", "summary")
    if len(value) > limit:
        raise LengthError(too_long_message(_("Summary"), len(value), limit), value, limit)
    return value


def moment_check(raw: str) -> datetime | None:
    """``When``: None for now, else the local moment the rep typed as stored (UTC)."""
    text = (raw or "").strip()
    if not text or text.lower() in (NOW, typed_now()):
        return None
    now = clock.now()
    moment = parse_moment(text, now.naive())
    local = pendulum.datetime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, tz=now.timezone
    ).in_timezone("UTC")
    return datetime(local.year, local.month, local.day, local.hour, local.minute, tzinfo=UTC)


def moment_hint(value: Any) -> str | None:
    if isinstance(value, datetime):
        local = clock.to_local(value)
        return f"→ {weekday(local)} {local:%Y-%m-%d %H:%M}"
    return None


def local_text(at: datetime) -> str:
    return f"{clock.to_local(at):%Y-%m-%d %H:%M}"


def link_options(choices: list[tuple[int, str]]) -> list[tuple[str, int]]:
    """A contact or deal choice as its Select shows it: (name, row id)."""
    return [(ut.clean(name), row_id) for row_id, name in choices]


def new_log_values() -> dict[str, Any]:
    """What each field of a new log shows (a kept form is reset to these: ``reopen``; a test
    holds them equal to a newly built form's)."""
    values: dict[str, Any] = dict.fromkeys(("contact_id", "opportunity_id", "attitude", "outcome"))
    values.update(dict.fromkeys(("summary", "next_action", "goal", "feedback", "objection"), ""))
    values.update(place="", attendees="", at=typed_now(), next_on=typed_auto(), channel="phone")
    return values


def _field(key: str, label: str, control: Widget, **kw: Any) -> FormField:
    """A field of the form: ``key`` is the value's name in ``save``, ``label`` what the rep reads."""
    return FormField(key, label, control, **kw)


class FollowUpForm(FormScreen):
    """``dismiss(Saved)`` after writing the FollowUp; ``dismiss(None)`` on escape (nothing written).

    With ``follow_up_id`` the form corrects that follow-up instead of logging a new one."""

    BINDINGS = [
        Binding("ctrl+e", "editor", _("$EDITOR"), id="followup.editor", priority=True),
    ]
    AUTO_FOCUS = "#fu-summary"
    DEFAULT_CSS = """
    FollowUpForm #fu-summary { height: 3; width: 1fr; }
    FollowUpForm .form-field Select.fu-link { width: 1fr; }
    """
    save_label = _("Log it")
    draft_edits = ("followup", "follow_up_id")  # a correction's draft is the follow-up's

    def __init__(
        self,
        store: Store,
        config: Config,
        customer_id: int,
        *,
        brief: CustomerBrief | None = None,
        follow_up_id: int | None = None,
    ) -> None:
        super().__init__(classes="-bottom")
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.follow_up_id = follow_up_id
        self.entry: FollowUpEntry | None = None
        with store.reading() as conn:
            if brief is None:
                brief = customer_brief(conn, customer_id)
            if follow_up_id is not None:
                self.entry = follow_up_entry(conn, follow_up_id)
                if self.entry is None:
                    raise NotFound(_("That follow-up is gone: someone deleted it."))
            linked = (self.entry.contact_id, self.entry.opportunity_id) if self.entry else (None, None)
            self.contacts, self.deals = link_choices(conn, customer_id, *linked)
        self.brief = brief
        # What the contact and deal choices show (a kept form sets them again only when they differ).
        self._link_options = {
            "contact_id": link_options(self.contacts),
            "opportunity_id": link_options(self.deals),
        }
        self.language = i18n.language()  # its labels' (a kept form is not reused in another)
        self._rest: Iterator[FormField] | None = None  # fields still to build (``compose_fields``)
        self._later: list[FormField] = []  # … and mounted after the first frame
        if self.entry is not None:
            self.save_label = _("Save")
            self.base_version = self.entry.version  # what a draft of the correction started from

    def form_title(self) -> Text:
        b = self.brief
        head = _("Edit follow-up · ") if self.entry else _("Log follow-up · ")
        title = Text(head, style="bold", end="")
        title.append_text(ut.line(b.name, style="bold"))
        title.append(
            _("  {code} · tier {tier} · {status}").format(
                code=b.code, tier=b.tier, status=status_name(b.status)
            ),
            style="dim",
        )
        return title

    def compose_fields(self) -> Iterable[Widget]:
        fields = self._all_fields()
        if self.entry is None:  # a new log: the first fields in the first frame, the rest after it
            yield from islice(fields, FIRST_FIELDS)
            self._rest = fields
        else:
            yield from fields

    def on_mount(self) -> None:  # Textual calls FormScreen.on_mount too
        if self._rest is not None:
            self.call_after_refresh(self._mount_rest)

    def _mount_rest(self) -> None:
        if self._rest is not None and self.is_attached:
            self._later = list(self._rest)
            self._rest = None
            self.query_one("#form-body").mount_all(self._later)

    @property
    def complete(self) -> bool:
        """Every field of the form is mounted (a new log's later fields come a frame after it opens)."""
        return self._rest is None and all(f.is_mounted for f in self._later)

    def fields(self) -> list[FormField]:
        # Once every field is mounted the list never changes (a kept form reuses them): one query.
        cached = self._fields_cache
        if cached is None:
            cached = super().fields()
            if self.complete:
                self._fields_cache = cached
        return list(cached)

    _fields_cache: list[FormField] | None = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        keep_styles_on_resume(self, event)  # kept and reopened: no restyle of its ~110 widgets

    def reopen(self, customer_id: int, brief: CustomerBrief | None = None) -> None:
        """Make this (kept, dismissed) form a new log for ``customer_id``: the state of a form just
        built for it, its fields as a new form shows them (``ui.widgets.kept_log_form``)."""
        assert self.entry is None and self.complete
        with self.store.reading() as conn:
            self.brief = brief if brief is not None else customer_brief(conn, customer_id)
            self.contacts, self.deals = link_choices(conn, customer_id, None, None)
        self.customer_id = customer_id
        self.saving = False
        self.app.clear_notifications()  # as a new form does (FormScreen.on_mount)
        self.query_one("#form-title", Static).update(self.form_title())
        self._set_status("")
        links = {"contact_id": self.contacts, "opportunity_id": self.deals}
        fresh = new_log_values()
        for f in self.fields():
            if f.key in links and isinstance(f.control, Select):
                options = link_options(links[f.key])
                if options != self._link_options.get(f.key):  # the last customer's: kept as they are
                    f.control.set_options(options)
                    self._link_options[f.key] = options
            elif f.key not in CUSTOMER_HINTS and f.raw() == f.initial == fresh[f.key] and not f.touched:
                continue  # as a new log shows it, no reason shown: nothing to reset
            f.reset(fresh[f.key])
        self.query_one("#form-body").scroll_home(animate=False)
        self.query_one("#fu-summary", SummaryArea).focus()
        self.begin_again()  # this customer's draft

    def _all_fields(self) -> Iterator[FormField]:
        e = self.entry
        area = SummaryArea(e.summary if e else "", id="fu-summary", compact=True, soft_wrap=True)
        area.placeholder = _("what was discussed (ctrl+j new line, ctrl+e $EDITOR)")
        yield _field("summary", _("Summary"), area, check=summary_check, required=True)
        yield _field(
            "at",
            _("When"),
            text_input(local_text(e.at) if e else typed_now(), id="fu-at"),
            check=moment_check,
            hint=moment_hint,
            classes="-short",
        )
        if e is None:
            next_value = typed_auto()
        else:
            next_value = e.next_on.isoformat() if e.next_on else ""
        yield _field(
            "next_on",
            _("Next date"),
            text_input(next_value, id="fu-next"),
            check=date_input(allow_auto=e is None, future=e is None),  # a correction may be dated before
            hint=self._next_hint,
            classes="-short",
        )
        yield _field(
            "next_action",
            _("Next action"),
            text_input(
                e.next_action if e else "", placeholder=_("e.g. send the revised quote"), id="fu-action"
            ),
            check=limited_text("followup", "next_action", _("Next action")),
        )
        yield _field(
            "channel",
            _("Channel"),
            choice_select(CHANNELS, e.channel if e else "phone", blank=False),
            classes="-short",
        )
        yield _field(
            "contact_id",
            _("Spoke with"),
            self._link_select(self.contacts, e.contact_id if e else None, "fu-contact"),
        )
        yield _field(
            "opportunity_id",
            _("About deal"),
            self._link_select(self.deals, e.opportunity_id if e else None, "fu-opp"),
        )
        for key, label, hint in (
            ("goal", _("Goal"), _("what this follow-up set out to do")),
            ("feedback", _("Feedback"), _("what the customer said")),
            ("objection", _("Objections"), _("the customer's doubts and objections")),
            ("place", _("Place"), ""),
            ("attendees", _("Our people"), _("who of us took part")),
        ):
            yield _field(
                key,
                label,
                text_input(getattr(e, key) if e else "", placeholder=hint, id=f"fu-{key}"),
                check=limited_text("followup", key, label),
            )
        yield _field(
            "attitude", _("Attitude"), choice_select(ATTITUDES, e.attitude if e else None), classes="-short"
        )
        outcomes = [(display("outcome", o), o) for o in FOLLOWUP_OUTCOMES]
        outcome = Select(
            outcomes,
            value=e.outcome if e and e.outcome in FOLLOWUP_OUTCOMES else Select.NULL,
            allow_blank=True,
            prompt="—",
            compact=True,
            id="fu-outcome",
        )
        yield _field("outcome", _("Done?"), outcome, classes="-short")

    @staticmethod
    def _link_select(choices: list[tuple[int, str]], value: int | None, widget_id: str) -> Select[int]:
        options = link_options(choices)
        known = {row_id for row_id, _name in choices}
        return Select(
            options,
            value=value if value in known else Select.NULL,
            allow_blank=True,
            prompt="—",
            compact=True,
            id=widget_id,
            classes="fu-link",
        )

    def _next_hint(self, value: Any) -> str | None:
        if value == AUTO:
            b = self.brief
            when = next_follow_up(b.status, b.tier, self._logged_day(), self.config)
            if when is None:
                return _("→ none: {status} customers get no follow-up").format(status=status_name(b.status))
            days = cadence_interval(b.status, b.tier, self.config)
            return _("→ {weekday} {isoformat} · {status}: {days} days").format(
                weekday=weekday(when), isoformat=when.isoformat(), status=status_name(b.status), days=days
            )
        return date_hint(value)

    def _logged_day(self) -> Any:
        try:
            ok, at = self.field("at").validate(show=False)
        except Exception:  # not composed yet
            return clock.today()
        return clock.to_local(at).date() if ok and at is not None else clock.today()

    def on_field_changed(self, field: FormField) -> None:
        if field.key == "at":  # "auto" counts from the day it happened
            self.field("next_on").validate()

    @on(TextArea.Changed)
    def _summary_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    @on(SummaryArea.Submitted)
    def _summary_submitted(self, event: SummaryArea.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_editor(self) -> None:
        """The summary in ``$VISUAL``/``$EDITOR`` (the app suspended meanwhile)."""
        area = self.query_one("#fu-summary", SummaryArea)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        fd, path = tempfile.mkstemp(prefix="tuicrm-summary-", suffix=".txt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(area.text)
            try:
                with self.app.suspend():
                    subprocess.call([*shlex.split(editor), path])
            except Exception as exc:  # no terminal to hand over (headless, web): say so
                self.notify(
                    _("Could not open the editor: {error}").format(error=str(exc) or type(exc).__name__),
                    severity="warning",
                    markup=False,
                )
                return
            with open(path, encoding="utf-8") as handle:
                text = handle.read().rstrip("\n")
        finally:
            os.unlink(path)
        area.text = text
        area.focus()

    # -- saving ---------------------------------------------------------------

    def save(self, values: dict[str, Any]) -> Saved:
        if self.entry is not None:
            return self._save_edit(values)
        label = f"log follow-up for {ut.clean(self.brief.name)}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            customer = get_customer(session, self.customer_id)
            get = values.get  # a field not mounted yet (saved in the first frame) gives its default
            fu = log_follow_up(
                session,
                self.config,
                customer,
                values["summary"],
                channel=get("channel") or "phone",
                feedback=get("feedback"),
                attitude=get("attitude"),
                next_on=values["next_on"] if values["next_on"] is not None else AUTO,
                next_action=values["next_action"],
                goal=get("goal"),
                contact_id=get("contact_id"),
                opportunity_id=get("opportunity_id"),
                at=values["at"],
                objection=get("objection"),
                place=get("place"),
                attendees=get("attendees"),
                outcome=get("outcome"),
            )
            next_on = fu.next_on
            follow_up_id = fu.id
        return Saved(label, self.customer_id, {"follow_up_id": follow_up_id, "next_on": next_on})

    def _save_edit(self, values: dict[str, Any]) -> Saved:
        """Only what the rep changed: a field left as it was keeps the value read (so an unchanged
        ``When`` is not rounded to the minute, and another writer's change to it survives)."""
        entry = self.entry
        assert entry is not None and self.follow_up_id is not None
        base = entry.editable()
        mine = {}
        for f in self.fields():
            if f.key not in base:
                continue
            mine[f.key] = base[f.key] if f.raw() == f.initial else values[f.key]
        if mine.get("at") is None:
            mine["at"] = base["at"]
        label = f"edit follow-up #{self.follow_up_id} of {ut.clean(self.brief.name)}"  # i18n: not shown
        with self.store.write(label) as session:
            written = save_changes(
                session,
                "followup",
                self.follow_up_id,
                base,
                entry.version,
                mine,
                apply=apply_follow_up_changes,
            )
        return Saved(label, self.customer_id, {"follow_up_id": self.follow_up_id, "changed": sorted(written)})
