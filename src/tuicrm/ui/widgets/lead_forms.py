"""The leads screen's forms: add a lead, score it (the four BANT answers, with the reasons),
convert it (stage, attach to a matching customer or not), drop it (the reason)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from tuicrm.config import Config
from tuicrm.i18n import _
from tuicrm.store import Store
from tuicrm.store.errors import StoreError
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    as_text,
    choice_select,
    date_input,
    email,
    optional_text,
    phone,
    required_text,
    text_input,
)

# The three-way answers of the score form: the rep's yes or no, or the default (title, needs…).
ANSWERS = ("default", "yes", "no")


def _answer(value: bool | None) -> str:
    return "default" if value is None else ("yes" if value else "no")


def _from_answer(value: str | None) -> bool | None:
    return None if value in (None, "default") else value == "yes"


class LeadForm(FormScreen):
    """A new lead: scored on save, with its class's response deadline."""

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store, self.config = store, config

    def form_title(self) -> Text:
        return Text(_("New lead"), style="bold")

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "company", _("Company"), text_input(), check=required_text(_("Company")), required=True
        )
        yield FormField(
            "source", _("Source"), text_input(placeholder=_("e.g. trade fair")), check=optional_text()
        )
        yield FormField("source_detail", _("Source detail"), text_input(), check=optional_text())
        yield FormField("industry", _("Industry"), text_input(), check=optional_text())
        yield FormField("contact_name", _("Contact"), text_input(), check=optional_text())
        yield FormField(
            "contact_title",
            _("Title"),
            text_input(placeholder=_("e.g. purchasing manager")),
            check=optional_text(),
        )
        yield FormField("phone", _("Phone"), text_input(), check=phone)
        yield FormField("email", _("E-mail"), text_input(), check=email)
        yield FormField(
            "budget_text",
            _("Budget"),
            text_input(placeholder=_("e.g. 150k or a range")),
            check=optional_text(),
        )
        yield FormField("needs", _("Needs"), text_input(), check=optional_text())
        yield FormField("purchase_by", _("Purchase by"), text_input(), check=date_input())

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.leads import create_lead

        company = values.pop("company")
        fields = {k: v for k, v in values.items() if v not in (None, "")}
        label = f"add lead {company}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            lead = create_lead(session, self.config, company, **fields)
            code = lead.code
        return Saved(label, None, {"code": code})


class ScoreForm(FormScreen):
    """The four BANT answers (and what they default from), with the current reasons."""

    def __init__(self, store: Store, config: Config, lead: Any, reasons: list[str]) -> None:
        super().__init__()
        self.store, self.config, self.lead, self.reasons = store, config, lead, reasons

    def form_title(self) -> Text:
        title = Text(_("Score · "), style="bold", end="")
        title.append_text(ut.line(f"{self.lead.code} {self.lead.company}", style="bold"))
        return title

    def compose_fields(self) -> ComposeResult:
        lead = self.lead
        yield Static(Text("\n".join(self.reasons)), id="lead-reasons")
        yield FormField("budget_text", _("Budget"), text_input(lead.budget_text), check=optional_text())
        yield FormField("contact_title", _("Title"), text_input(lead.contact_title), check=optional_text())
        yield FormField(
            "is_decision_maker",
            _("Decision-maker"),
            choice_select(ANSWERS, _answer(lead.is_decision_maker), blank=False),
        )
        yield FormField("needs", _("Needs"), text_input(lead.needs), check=optional_text())
        yield FormField(
            "need_clear", _("Need clear"), choice_select(ANSWERS, _answer(lead.need_clear), blank=False)
        )
        yield FormField(
            "purchase_by", _("Purchase by"), text_input(as_text(lead.purchase_by)), check=date_input()
        )
        yield FormField(
            "purchase_soon",
            _("Buys within 30 days"),
            choice_select(ANSWERS, _answer(lead.purchase_soon), blank=False),
        )

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.leads import resolve_lead, score_lead

        for key in ("is_decision_maker", "need_clear", "purchase_soon"):
            values[key] = _from_answer(values.get(key))
        label = f"score lead {self.lead.code}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            lead = score_lead(session, self.config, resolve_lead(session, self.lead.code), **values)
            detail = {"code": lead.code, "score": lead.score, "class": lead.score_class}
        return Saved(label, None, detail)


NEW_CUSTOMER = "new"


class ConvertForm(FormScreen):
    """Convert into customer + contact + opportunity; a company that looks known is offered."""

    save_label = _("Convert")

    def __init__(self, store: Store, config: Config, lead: Any, matches: list[tuple[str, str]]) -> None:
        super().__init__()
        self.store, self.config, self.lead, self.matches = store, config, lead, matches

    def form_title(self) -> Text:
        title = Text(_("Convert · "), style="bold", end="")
        title.append_text(ut.line(f"{self.lead.code} {self.lead.company}", style="bold"))
        return title

    def compose_fields(self) -> ComposeResult:
        yield FormField("stage", _("Stage"), choice_select(("lead", "need"), "lead", blank=False))
        choices = [NEW_CUSTOMER] + [code for code, _name in self.matches]
        if self.matches:
            yield Static(
                Text(
                    _("Looks like: ") + ", ".join(f"{code} {ut.clean(name)}" for code, name in self.matches)
                ),
                id="lead-matches",
            )
        yield FormField(
            "attach",
            _("Customer"),
            Select(
                [(_("a new customer") if c == NEW_CUSTOMER else c, c) for c in choices],
                value=choices[1] if self.matches else NEW_CUSTOMER,
                allow_blank=False,
                compact=True,
            ),
        )

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.customers import resolve_customer
        from tuicrm.store.leads import convert_lead, resolve_lead

        label = f"convert lead {self.lead.code}"  # i18n: not shown (the operation log keeps it as written)
        attach = values.get("attach")
        with self.store.write(label) as session:
            customer = resolve_customer(session, attach) if attach and attach != NEW_CUSTOMER else None
            done = convert_lead(
                session,
                self.config,
                resolve_lead(session, self.lead.code),
                stage=values["stage"],
                attach=customer,
            )
            customer_id = done.customer.id
            detail = {"customer": done.customer.code, "opportunity_id": done.opportunity.id}
        return Saved(label, customer_id, detail)


class DropForm(FormScreen):
    """Disqualify the lead: the reason is required."""

    save_label = _("Drop")

    def __init__(self, store: Store, lead: Any) -> None:
        super().__init__()
        self.store, self.lead = store, lead

    def form_title(self) -> Text:
        title = Text(_("Drop · "), style="bold", end="")
        title.append_text(ut.line(f"{self.lead.code} {self.lead.company}", style="bold"))
        return title

    def compose_fields(self) -> ComposeResult:
        yield FormField("reason", _("Reason"), text_input(), check=required_text(_("Reason")), required=True)

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.leads import drop_lead, resolve_lead

        label = f"drop lead {self.lead.code}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            lead = resolve_lead(session, self.lead.code)
            if lead.version != self.lead.version:
                raise StoreError(_("This lead changed meanwhile; look again before dropping it."))
            drop_lead(session, lead, values["reason"])
        return Saved(label, None, {"code": self.lead.code})
