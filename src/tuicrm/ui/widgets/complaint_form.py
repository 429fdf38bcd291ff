"""Complaint forms (issue #18): open one (customer, content, severity, channel, cause), log a
handling step, resolve with the result and the customer's satisfaction."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from tuicrm.config import COMPLAINT_SEVERITIES, Config
from tuicrm.i18n import _
from tuicrm.store import Store
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    choice_select,
    optional_text,
    required_text,
    text_input,
    whole_number,
)


class ComplaintForm(FormScreen):
    """A new complaint; its deadline follows the severity (high 24 h, medium 3, low 7 working days)."""

    def __init__(self, store: Store, config: Config, customer: str = "") -> None:
        super().__init__()
        self.store, self.config, self.customer = store, config, customer

    def form_title(self) -> Text:
        return Text(_("New complaint"), style="bold")

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "customer",
            _("Customer"),
            text_input(self.customer, placeholder=_("code or name")),
            check=required_text(_("Customer")),
            required=True,
        )
        yield FormField(
            "content", _("Complaint"), text_input(), check=required_text(_("Complaint"), 2000), required=True
        )
        yield FormField("severity", _("Severity"), choice_select(COMPLAINT_SEVERITIES, "medium", blank=False))
        yield FormField(
            "channel", _("Channel"), text_input(placeholder=_("e.g. phone")), check=optional_text()
        )
        yield FormField("cause", _("Cause"), text_input(), check=optional_text())

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.complaints import add_complaint
        from tuicrm.store.customers import resolve_customer

        label = "add complaint"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            customer = resolve_customer(session, values["customer"])
            row = add_complaint(
                session,
                self.config,
                customer,
                values["content"],
                severity=values.get("severity"),
                channel=values.get("channel"),
                cause=values.get("cause"),
            )
            code = row.code
        return Saved(label, None, {"code": code})


class StepForm(FormScreen):
    """One handling step (处理过程)."""

    save_label = _("Log step")

    def __init__(self, store: Store, complaint: Any) -> None:
        super().__init__()
        self.store, self.complaint = store, complaint

    def form_title(self) -> Text:
        title = Text(_("Handle · "), style="bold", end="")
        title.append_text(ut.line(f"{self.complaint.code} {self.complaint.customer_name}", style="bold"))
        return title

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "text", _("What was done"), text_input(), check=required_text(_("Step"), 2000), required=True
        )

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.complaints import add_step, get_complaint

        label = f"complaint step {self.complaint.code}"
        with self.store.write(label) as session:
            add_step(session, get_complaint(session, self.complaint.id), values["text"])
        return Saved(label, None, {"code": self.complaint.code})


class ResolveForm(FormScreen):
    """Resolved: the result (处理结果) and the customer's satisfaction (1–5, optional)."""

    save_label = _("Resolve")

    def __init__(self, store: Store, complaint: Any) -> None:
        super().__init__()
        self.store, self.complaint = store, complaint

    def form_title(self) -> Text:
        title = Text(_("Resolve · "), style="bold", end="")
        title.append_text(ut.line(f"{self.complaint.code} {self.complaint.customer_name}", style="bold"))
        return title

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "result", _("Result"), text_input(), check=required_text(_("Result"), 2000), required=True
        )
        yield FormField(
            "satisfaction",
            _("Satisfaction"),
            text_input(placeholder="1–5"),
            check=whole_number(1, 5, _("Satisfaction")),
        )

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.complaints import get_complaint, resolve_complaint

        label = f"resolve complaint {self.complaint.code}"
        with self.store.write(label) as session:
            resolve_complaint(
                session,
                get_complaint(session, self.complaint.id),
                values["result"],
                satisfaction=values.get("satisfaction"),
            )
        return Saved(label, None, {"code": self.complaint.code})
