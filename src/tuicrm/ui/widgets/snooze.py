"""Snooze: move the pending follow-up to +1d/+3d/+1w or a date (recorded, SPEC §2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from rich.text import Text
from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input

from tuicrm import clock
from tuicrm.config import Config
from tuicrm.domain.dates import parse_date_input
from tuicrm.domain.workdays import settle
from tuicrm.i18n import _
from tuicrm.i18n.names import weekday
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.store import Store
from tuicrm.store.customers import get_customer
from tuicrm.store.followups import snooze
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import FormField, FormScreen, date_hint, date_input, optional_text, text_input


def snooze_date(raw: str) -> date:
    value: date = date_input(required=True, label=_("A date"))(raw)
    if value < clock.today():
        raise ValueError(_("Snooze to today or later."))
    return value


class SnoozeForm(FormScreen):
    """``dismiss(Saved)`` after recording the snooze; ``None`` on escape."""

    save_label = _("Snooze")

    def __init__(
        self, store: Store, config: Config, customer_id: int, *, brief: CustomerBrief | None = None
    ) -> None:
        super().__init__(classes="-bottom")
        self.store = store
        self.config = config
        self.customer_id = customer_id
        if brief is None:
            with store.reading() as conn:
                brief = customer_brief(conn, customer_id)
        self.brief = brief

    def form_title(self) -> Text:
        b = self.brief
        title = Text(_("Snooze · "), style="bold", end="")
        title.append_text(ut.line(b.name, style="bold"))
        current = b.next_follow_up_on.isoformat() if b.next_follow_up_on else "none"
        title.append(_("  next follow-up now: {current}").format(current=current), style="dim")
        return title

    def compose_fields(self) -> Iterable[Widget]:
        first = self.config.snooze_choices[0] if self.config.snooze_choices else "+1d"
        yield FormField(
            "to_on",
            _("Move to"),
            text_input(first, id="snooze-to"),
            check=self._working_day,
            hint=date_hint,
            required=True,
            classes="-short",
        )
        yield FormField(
            "reason",
            _("Reason"),
            text_input(placeholder=_("optional"), id="snooze-reason"),
            check=optional_text(500),
        )
        today = clock.today()
        with Horizontal(id="snooze-choices"):
            for n, choice in enumerate(self.config.snooze_choices):
                when = self._working_day(
                    choice, cast(date, parse_date_input(choice, today, allow_auto=False))
                )
                yield Button(
                    f"{choice} {weekday(when)} {when:%m-%d}",
                    id=f"snooze-choice-{n}",
                    name=choice,
                    compact=True,
                )

    def _working_day(self, raw: str, day: date | None = None) -> date:
        """``+1w`` lands on a working day (issue #19); a date typed outright is kept."""
        return settle(raw, snooze_date(raw) if day is None else day, self.config.workdays)[0]

    @on(Button.Pressed, "#snooze-choices Button")
    def _choice(self, event: Button.Pressed) -> None:
        event.stop()
        control = self.field("to_on").control
        assert isinstance(control, Input)
        control.value = event.button.name or ""
        self.action_save()

    def save(self, values: dict[str, Any]) -> Saved:
        to_on = values["to_on"]
        label = f"snooze {ut.clean(self.brief.name)} to {to_on.isoformat()}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            snooze(session, get_customer(session, self.customer_id), to_on, reason=values["reason"])
        return Saved(label, self.customer_id, {"to_on": to_on})
