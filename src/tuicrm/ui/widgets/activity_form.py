"""The activity plan's forms (issue #17): plan or edit an activity, mark one done, move one.

Times are typed as a rep says them (``tomorrow 10:00``, ``fri 14:30``, ``14:30``: see
``tuicrm.domain.agenda.parse_when``) and kept as aware UTC datetimes, the way the rows hold them,
so an edit compares like with like (``save_tracked``). An end typed as a bare ``HH:MM`` is on
the start's day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widget import Widget

from tuicrm import clock
from tuicrm.config import ACTIVITY_KINDS, Config
from tuicrm.domain.agenda import WHEN_FORMS, parse_when
from tuicrm.domain.dates import AUTO, DateInputError
from tuicrm.i18n import _
from tuicrm.i18n.names import typed_auto, weekday
from tuicrm.query.activities import ActivityRow, local
from tuicrm.store import Store
from tuicrm.store.activities import (
    add_activity,
    apply_activity_changes,
    as_utc,
    finish_activity,
    get_activity,
    move_activity,
)
from tuicrm.store.errors import StoreError
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    TextCheckbox,
    amount,
    choice_select,
    date_hint,
    date_input,
    optional_text,
    required_text,
    text_input,
)

_BARE_TIME = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
TEXT_KEYS = ("place", "goal", "content", "attendees", "resources", "owner")


def _now() -> datetime:
    n = clock.now()
    return datetime(n.year, n.month, n.day, n.hour, n.minute)


def when_check(config: Config, *, required: bool) -> Any:
    """A form check: the moment typed, as aware UTC (None when empty and not required)."""

    def check(raw: str) -> datetime | None:
        if not (raw or "").strip():
            if required:
                raise ValueError(_("A time is needed. Use {forms}.").format(forms=WHEN_FORMS))
            return None
        try:
            return as_utc(parse_when(raw, _now(), config.agenda))
        except DateInputError as exc:
            raise ValueError(str(exc)) from None

    return check


def when_hint(value: Any) -> str | None:
    if not isinstance(value, datetime):
        return None
    shown = local(value)
    return None if shown is None else f"{weekday(shown)} {shown:%Y-%m-%d %H:%M}"


def customer_hint(store: Store) -> Callable[[Any], Text | None]:
    """As the rep types a code or a name: the customer it means, the first few it could mean, or
    that none matches — so the activity never lands on the wrong customer (one indexed lookup)."""
    from tuicrm.query.customers import customer_brief, resolve
    from tuicrm.query.errors import Ambiguous, DataError

    def hint(value: Any) -> Text | None:
        ref = str(value or "").strip()
        if not ref:
            return None
        with store.reading() as conn:
            try:
                found = customer_brief(conn, resolve(conn, ref))
            except Ambiguous as exc:
                many = len(exc.candidates)
                shown = Text(
                    _("{n} match: ").format(n=f"{many - 1}+" if many > 20 else many), style="dim", end=""
                )
                for n, (code, name) in enumerate(exc.candidates[:3]):
                    shown.append(("; " if n else "") + f"{code} ")
                    shown.append_text(ut.line(name))
                if len(exc.candidates) > 3:
                    shown.append(" …")
                return shown
            except DataError:
                return Text(_("no customer matches"), style="dim")
        shown = Text("→ " + found.code + " ", end="")
        shown.append_text(ut.line(found.name, style="bold"))
        return shown

    return hint


def shown_time(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


class ActivityForm(FormScreen):
    """Plan an activity (``row`` None: for the customer ``customer_ref`` names) or edit ``row``."""

    def __init__(
        self, store: Store, config: Config, row: ActivityRow | None = None, customer_ref: str = ""
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.row = row
        self.customer_ref = customer_ref
        if row is not None:
            self.track("activity", row.id, row.version)

    def form_title(self) -> Text:
        if self.row is None:
            return Text(_("Plan an activity"), style="bold")
        title = Text(_("Edit activity · ") + self.row.code + " · ", style="bold", end="")
        title.append_text(ut.line(self.row.customer_name))
        return title

    def compose_fields(self) -> Iterable[Widget]:
        row = self.row
        if row is None:
            yield FormField(
                "customer",
                _("Customer"),
                text_input(self.customer_ref, placeholder=_("code or name"), id="act-customer"),
                check=required_text(_("Customer")),
                hint=customer_hint(self.store),
                required=True,
            )
        yield FormField(
            "name",
            _("Name"),
            text_input(row.name if row else "", placeholder=_("e.g. visit the CTO"), id="act-name"),
            check=required_text(_("Name")),
            required=True,
        )
        yield FormField(
            "kind", _("Kind"), choice_select(ACTIVITY_KINDS, row.kind if row else "visit", blank=False)
        )
        yield FormField(
            "planned_start",
            _("Start"),
            text_input(shown_time(row.start) if row else "", placeholder=_("tomorrow 10:00"), id="act-start"),
            check=when_check(self.config, required=True),
            hint=when_hint,
            required=True,
        )
        yield FormField(
            "planned_end",
            _("End"),
            text_input(shown_time(row.end) if row else "", placeholder=_("12:00 (optional)"), id="act-end"),
            check=when_check(self.config, required=False),
        )
        labels = {
            "place": _("Place"),
            "goal": _("Goal"),
            "content": _("Content"),
            "attendees": _("Attendees"),
            "resources": _("Resources"),
            "owner": _("Owner"),
        }
        for key in TEXT_KEYS:
            value = getattr(row, key) if row else None
            yield FormField(
                key, labels[key], text_input(value or "", id=f"act-{key}"), check=optional_text(2000)
            )
        yield FormField(
            "budget",
            _("Budget"),
            text_input(ut.clean(str(row.budget)) if row and row.budget is not None else "", id="act-budget"),
            check=amount(),
        )

    def _end_on_start_day(self, values: dict[str, Any]) -> None:
        """An end typed as ``HH:MM`` is on the start's day, not today."""
        start, end = values.get("planned_start"), values.get("planned_end")
        if start is None or end is None or not _BARE_TIME.match(str(self.field("planned_end").raw() or "")):
            return
        start_local, end_local = local(start), local(end)
        assert start_local is not None and end_local is not None
        values["planned_end"] = as_utc(datetime.combine(start_local.date(), end_local.time()))

    def save(self, values: dict[str, Any]) -> Saved:
        self._end_on_start_day(values)
        if self.row is not None:
            label = (
                f"edit activity {self.row.code}"  # i18n: not shown (the operation log keeps it as written)
            )
            with self.store.write(label) as session:
                self.save_tracked(session, values, apply=apply_activity_changes)
            return Saved(label, self.row.customer_id, {"activity_id": self.row.id})
        ref = values.pop("customer")
        label = f"add activity {values['name']}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            customer = _customer(session, ref)
            fields = {
                k: v
                for k, v in values.items()
                if v is not None and k not in ("name", "kind", "planned_start")
            }
            row = add_activity(
                session,
                customer,
                values["name"],
                kind=values.get("kind") or "visit",
                planned_start=values["planned_start"],
                **fields,
            )
            return Saved(label, row.customer_id, {"activity_id": row.id, "code": row.code})


def _customer(session: Any, ref: str) -> Any:
    """The customer a typed code or name means, or one sentence (a StoreError) saying why not."""
    from tuicrm.query.customers import resolve
    from tuicrm.query.errors import DataError
    from tuicrm.store.customers import get_customer
    from tuicrm.store.session import dbapi

    try:
        return get_customer(session, resolve(dbapi(session), ref))
    except DataError as exc:
        raise StoreError(str(exc)) from None


class DoneForm(FormScreen):
    """Mark an activity done: its result, and (checked by default) a follow-up logged with the
    customer's next date and action — all one write."""

    save_label = _("Done")

    def __init__(self, store: Store, config: Config, row: ActivityRow) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.row = row

    def form_title(self) -> Text:
        title = Text(_("Done · ") + self.row.code + " · ", style="bold", end="")
        title.append_text(ut.line(self.row.name))
        return title

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            "result",
            _("Result"),
            text_input("", id="done-result"),
            check=required_text(_("Result"), 2000),
            required=True,
        )
        yield FormField("log", _("Log a follow-up"), TextCheckbox(value=True, compact=True, id="done-log"))
        yield FormField(
            "summary",
            _("Summary"),
            text_input("", placeholder=_("(the result)"), id="done-summary"),
            check=optional_text(8000),
        )
        yield FormField(
            "next_on",
            _("Next date"),
            text_input(typed_auto(), id="done-next"),
            check=date_input(allow_auto=True),
            hint=date_hint,
        )
        yield FormField(
            "next_action", _("Next action"), text_input("", id="done-action"), check=optional_text(2000)
        )

    def save(self, values: dict[str, Any]) -> Saved:
        label = f"done activity {self.row.code}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            finish_activity(
                session,
                self.config,
                get_activity(session, self.row.id),
                values["result"],
                log=bool(values.get("log")),
                summary=values.get("summary"),
                next_on=values.get("next_on") or AUTO,
                next_action=values.get("next_action"),
            )
        return Saved(label, self.row.customer_id, {"activity_id": self.row.id})


class MoveForm(FormScreen):
    """Move an activity to another time (its length kept)."""

    save_label = _("Move")

    def __init__(self, store: Store, config: Config, row: ActivityRow) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.row = row

    def form_title(self) -> Text:
        title = Text(_("Move · ") + self.row.code + " · ", style="bold", end="")
        title.append_text(ut.line(self.row.name))
        return title

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            "planned_start",
            _("New start"),
            text_input(shown_time(self.row.start), id="move-start"),
            check=when_check(self.config, required=True),
            hint=when_hint,
            required=True,
        )

    def save(self, values: dict[str, Any]) -> Saved:
        label = f"move activity {self.row.code}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            move_activity(session, get_activity(session, self.row.id), values["planned_start"])
        return Saved(label, self.row.customer_id, {"activity_id": self.row.id})


__all__ = ["ActivityForm", "DoneForm", "MoveForm", "when_check"]
