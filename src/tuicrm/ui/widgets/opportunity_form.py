"""New opportunity for a customer (SPEC §2, §6)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Select

from tuicrm.config import STAGES, Config
from tuicrm.domain.limits import field_limit
from tuicrm.domain.pipeline import weighted_value
from tuicrm.i18n import _
from tuicrm.query.cards import Record, contacts_of
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.store import Store, dbapi
from tuicrm.store.customers import check_name, get_customer
from tuicrm.store.pipeline import add_opportunity
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    amount,
    choice_select,
    date_hint,
    date_input,
    limited_text,
    required_text,
    text_input,
    whole_number,
)

NEW_STAGES = tuple(s for s in STAGES if s != "lost")


def _name(raw: str) -> str:
    return check_name(required_text("Name", field_limit("opportunity", "name"))(raw), "opportunity")


class OpportunityForm(FormScreen):
    """``dismiss(Saved(detail={'opportunity_id': ...}))`` after writing; None on escape."""

    def __init__(
        self,
        store: Store,
        config: Config,
        customer_id: int,
        *,
        brief: CustomerBrief | None = None,
        contacts: list[Record] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        with store.read() as session:
            if brief is None:
                brief = customer_brief(dbapi(session), customer_id)
            if contacts is None:
                contacts = contacts_of(dbapi(session), customer_id)
        self.brief = brief
        self.contacts = contacts

    def form_title(self) -> Text:
        title = Text(_("New opportunity · "), style="bold", end="")
        title.append_text(ut.line(self.brief.name, style="bold"))
        return title

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            "name",
            _("Name"),
            text_input(placeholder=_("e.g. 2027 annual supply"), id="op-name"),
            check=_name,
            required=True,
        )
        yield FormField(
            "amount",
            _("Amount"),
            text_input(placeholder=self.config.currency, id="op-amount"),
            check=amount(required=True),
            required=True,
            hint=self._amount_hint,
            classes="-short",
        )
        yield FormField("stage", _("Stage"), choice_select(NEW_STAGES, "lead", blank=False), classes="-short")
        yield FormField(
            "probability",
            _("Probability %"),
            text_input(placeholder=_("from stage"), id="op-prob"),
            check=whole_number(0, 100, "Probability"),
            hint=self._probability_hint,
            classes="-short",
        )
        yield FormField(
            "expected_close_on",
            _("Expected close"),
            text_input(placeholder=_("e.g. +1m, 2027-03-31")),
            check=date_input(label=_("Expected close")),
            hint=date_hint,
            classes="-short",
        )
        options = [(ut.line(c.name), c.id) for c in self.contacts]
        yield FormField(
            "decision_maker_id",
            _("Decision maker"),
            Select(options, allow_blank=True, prompt="—", compact=True),
            classes="-short",
        )
        yield FormField(
            "competitors",
            _("Competitors"),
            text_input(),
            check=limited_text("opportunity", "competitors", _("Competitors")),
        )
        yield FormField(
            "risks", _("Risks"), text_input(), check=limited_text("opportunity", "risks", _("Risks"))
        )
        yield FormField(
            "plan",
            _("Plan"),
            text_input(placeholder=_("next steps")),
            check=limited_text("opportunity", "plan", _("Plan")),
        )

    def _stage(self) -> str:
        try:
            return self.field("stage").raw() or "lead"
        except Exception:
            return "lead"

    def _probability(self) -> int:
        try:
            ok, value = self.field("probability").validate()
        except Exception:
            ok, value = True, None
        if ok and value is not None:
            return int(value)
        return self.config.stage_probability.get(self._stage(), 0)

    def _probability_hint(self, value: Any) -> str | None:
        if value is None:
            return _("→ {get}% from the stage").format(
                get=self.config.stage_probability.get(self._stage(), 0)
            )
        return None

    def _amount_hint(self, value: Any) -> str | None:
        if value is None:
            return None
        return _("→ weighted {weighted_value:,.2f} {currency}").format(
            weighted_value=weighted_value(value, self._probability()), currency=self.config.currency
        )

    def on_field_changed(self, field: FormField) -> None:
        if field.key in ("stage", "probability"):
            self.field("probability").validate()
            self.field("amount").validate()

    def save(self, values: dict[str, Any]) -> Saved:
        name = values.pop("name")
        label = f"new opportunity {name} for {ut.clean(self.brief.name)}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            opp = add_opportunity(
                session,
                self.config,
                get_customer(session, self.customer_id),
                name,
                values.pop("amount"),
                stage=values.pop("stage") or "lead",
                probability=values.pop("probability"),
                expected_close_on=values.pop("expected_close_on"),
                **{k: v for k, v in values.items() if v is not None},
            )
            opportunity_id = opp.id
        return Saved(label, self.customer_id, {"opportunity_id": opportunity_id})
