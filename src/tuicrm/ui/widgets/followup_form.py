"""Log a follow-up: what was said, and the next step (SPEC §2, §4).

Summary is focused when the form opens and the next date is prefilled with ``auto`` (the cadence
rule), so the daily loop is: type the summary, press enter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget

from tuicrm import clock
from tuicrm.config import ATTITUDES, CHANNELS, Config
from tuicrm.domain.cadence import cadence_interval, next_follow_up
from tuicrm.domain.dates import AUTO
from tuicrm.domain.limits import field_limit
from tuicrm.i18n import _
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.store import Store
from tuicrm.store.customers import get_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    choice_select,
    date_hint,
    date_input,
    limited_text,
    required_text,
    text_input,
)


class FollowUpForm(FormScreen):
    """``dismiss(Saved)`` after writing the FollowUp; ``dismiss(None)`` on escape (nothing written)."""

    save_label = _("Log it")

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
        title = Text(_("Log follow-up · "), style="bold", end="")
        title.append_text(ut.line(b.name, style="bold"))
        title.append(
            _("  {code} · tier {tier} · {status}").format(code=b.code, tier=b.tier, status=b.status),
            style="dim",
        )
        return title

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            "summary",
            _("Summary"),
            text_input(placeholder=_("what was discussed"), id="fu-summary"),
            check=required_text("Summary", field_limit("followup", "summary")),
            required=True,
        )
        yield FormField(
            "next_on",
            _("Next date"),
            text_input("auto", id="fu-next"),
            check=date_input(allow_auto=True),
            hint=self._next_hint,
            classes="-short",
        )
        yield FormField(
            "next_action",
            _("Next action"),
            text_input(placeholder=_("e.g. send the revised quote"), id="fu-action"),
            check=limited_text("followup", "next_action", _("Next action")),
        )
        yield FormField(
            "channel", _("Channel"), choice_select(CHANNELS, "phone", blank=False), classes="-short"
        )
        yield FormField(
            "feedback",
            _("Feedback"),
            text_input(placeholder=_("what the customer said / objections"), id="fu-feedback"),
            check=limited_text("followup", "feedback", _("Feedback")),
        )
        yield FormField("attitude", _("Attitude"), choice_select(ATTITUDES, None), classes="-short")

    def _next_hint(self, value: Any) -> str | None:
        if value == AUTO:
            b = self.brief
            when = next_follow_up(b.status, b.tier, clock.today(), self.config)
            if when is None:
                return _("→ none: {status} customers get no follow-up").format(status=b.status)
            days = cadence_interval(b.status, b.tier, self.config)
            return _("→ {when:%a} {isoformat} · {status}: {days} days").format(
                when=when, isoformat=when.isoformat(), status=b.status, days=days
            )
        return date_hint(value)

    def save(self, values: dict[str, Any]) -> Saved:
        label = f"log follow-up for {ut.clean(self.brief.name)}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            customer = get_customer(session, self.customer_id)
            fu = log_follow_up(
                session,
                self.config,
                customer,
                values["summary"],
                channel=values["channel"] or "phone",
                feedback=values["feedback"],
                attitude=values["attitude"],
                next_on=values["next_on"] if values["next_on"] is not None else AUTO,
                next_action=values["next_action"],
            )
            next_on = fu.next_on
            follow_up_id = fu.id
        return Saved(label, self.customer_id, {"follow_up_id": follow_up_id, "next_on": next_on})
