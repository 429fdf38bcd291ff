"""An opportunity's form (SPEC §2, §6; templates 000 §4, 003 §3): a new one for a customer, or
an existing one to edit (``opportunity_id``), every field the templates keep.

Editing saves through ``tuicrm.store.versions.save_changes`` against the values and version the
form read when it opened: only the fields the rep changed are written, so a field they left alone
never undoes another writer's change meanwhile; a field both changed raises ``EditConflict`` (a
``StoreError``), shown by the form and nothing written. The stage is not edited here: a move
records a stage change (``m`` on the pipeline)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Select

from tuicrm import clock
from tuicrm.config import STAGES, Config
from tuicrm.domain.limits import field_limit
from tuicrm.domain.lost import split_lost_reason
from tuicrm.domain.pipeline import weighted_value
from tuicrm.i18n import _
from tuicrm.i18n.names import display, stage_name
from tuicrm.query.cards import Record, contacts_of
from tuicrm.query.customers import CustomerBrief, customer_brief
from tuicrm.query.pipeline import opportunity_detail
from tuicrm.store import Store, dbapi
from tuicrm.store.customers import check_name, get_customer
from tuicrm.store.errors import NotFound
from tuicrm.store.pipeline import add_opportunity
from tuicrm.store.versions import save_changes
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


_KEY_STAGE = "stage"

# The fields an edit writes (the stage moves elsewhere), in the form's order.
EDITED = (
    "name",
    "amount",
    "probability",
    "expected_close_on",
    "decision_maker_id",
    "product",
    "competitors",
    "strengths",
    "weaknesses",
    "key_success_factors",
    "risks",
    "plan",
    "next_step",
    "next_step_owner",
    "next_step_due_on",
    "next_step_done_on",
    "renewal_on",
    "owner",
)
# A lost deal's reason (the category the reports count by) and its details, edited apart (issue #21).
LOST_FIELDS = ("lost_reason", "lost_detail")
# Free-text fields: (key, label).
TEXTS = (
    ("product", _("Product")),
    ("competitors", _("Competitors")),
    ("strengths", _("Strengths")),
    ("weaknesses", _("Weaknesses")),
    ("key_success_factors", _("Success factors")),
    ("risks", _("Risks")),
    ("plan", _("Plan")),
    ("next_step", _("Next step")),
    ("next_step_owner", _("Step owner")),
)
DATES = (
    ("expected_close_on", _("Expected close")),
    ("next_step_due_on", _("Step due")),
    ("next_step_done_on", _("Step done")),
    ("renewal_on", _("Renewal")),  # 续约日期: a reminder in the queue before it
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class OpportunityForm(FormScreen):
    """``dismiss(Saved(detail={'opportunity_id': ...}))`` after writing; None on escape."""

    draft_edits = ("opportunity", "opportunity_id")  # an edit's draft is the deal's

    def __init__(
        self,
        store: Store,
        config: Config,
        customer_id: int,
        *,
        opportunity_id: int | None = None,
        brief: CustomerBrief | None = None,
        contacts: list[Record] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.opportunity_id = opportunity_id
        self.base: dict[str, Any] = {}
        self.base_version = 0
        self.stage = "lead"
        with store.read() as session:
            conn = dbapi(session)
            if opportunity_id is not None:
                detail = opportunity_detail(conn, opportunity_id, clock.today())
                if detail is None:
                    raise NotFound(_("That opportunity is gone."))
                self.customer_id = customer_id = int(detail.fields["customer_id"])
                self.stage = str(detail.fields["stage"])
                edited = EDITED + (LOST_FIELDS if self.stage == "lost" else ())
                self.base = {k: detail.fields[k] for k in edited}
                self.base_version = int(detail.fields["version"])
            if brief is None:
                brief = customer_brief(conn, customer_id)
            if contacts is None:
                contacts = contacts_of(conn, customer_id)
        self.brief = brief
        self.contacts = contacts

    @property
    def editing(self) -> bool:
        return self.opportunity_id is not None

    def form_title(self) -> Text:
        if self.editing:
            title = Text(_("Edit opportunity · "), style="bold", end="")
            title.append_text(ut.line(self.base.get("name") or "", style="bold"))
            title.append(" · ")
            title.append_text(ut.line(self.brief.name))
            title.append(" · " + stage_name(self.stage))
            return title
        title = Text(_("New opportunity · "), style="bold", end="")
        title.append_text(ut.line(self.brief.name, style="bold"))
        return title

    def compose_fields(self) -> Iterable[Widget]:
        base = self.base
        yield FormField(
            key="name",
            label=_("Name"),
            control=text_input(
                _text(base.get("name")), placeholder=_("e.g. 2027 annual supply"), id="op-name"
            ),
            check=_name,
            required=True,
        )
        yield FormField(
            key="amount",
            label=_("Amount"),
            control=text_input(_text(base.get("amount")), placeholder=self.config.currency, id="op-amount"),
            check=amount(required=True),
            required=True,
            hint=self._amount_hint,
            classes="-short",
        )
        if not self.editing:
            yield FormField(
                _KEY_STAGE, _("Stage"), choice_select(NEW_STAGES, "lead", blank=False), classes="-short"
            )
        yield FormField(
            key="probability",
            label=_("Probability %"),
            control=text_input(_text(base.get("probability")), placeholder=_("from stage"), id="op-prob"),
            check=whole_number(0, 100, "Probability"),
            hint=self._probability_hint,
            classes="-short",
        )
        yield FormField(
            key="expected_close_on",
            label=_("Expected close"),
            control=text_input(
                _text(base.get("expected_close_on")), placeholder=_("e.g. +1m, 2027-03-31"), id="op-close"
            ),
            check=date_input(label=_("Expected close")),
            hint=date_hint,
            classes="-short",
        )
        options = [(ut.line(c.name), c.id) for c in self.contacts]
        maker = base.get("decision_maker_id")
        yield FormField(
            key="decision_maker_id",
            label=_("Decision maker"),
            control=Select(
                options,
                value=maker if maker in {c.id for c in self.contacts} else Select.NULL,
                allow_blank=True,
                prompt="—",
                compact=True,
            ),
            classes="-short",
        )
        for key, label in TEXTS:
            yield FormField(
                key,
                label,
                text_input(_text(base.get(key)), id=f"op-{key.replace('_', '-')}"),
                check=limited_text("opportunity", key, label),
            )
        for key, label in DATES[1:]:
            yield FormField(
                key,
                label,
                text_input(
                    _text(base.get(key)),
                    placeholder=_("e.g. fri, 2027-01-15"),
                    id=f"op-{key.replace('_', '-')}",
                ),
                check=date_input(label=label),
                hint=date_hint,
                classes="-short",
            )
        if self.editing and self.stage == "lost":
            reason = base.get("lost_reason")
            yield FormField(
                "lost_reason",
                _("Lost reason"),
                text_input(display("lost_reason", reason) if reason else "", id="op-lost-reason"),
                check=required_text(_("Lost reason"), field_limit("opportunity", "lost_reason")),
                required=True,
            )
            yield FormField(
                "lost_detail",
                _("Lost details"),
                text_input(_text(base.get("lost_detail")), id="op-lost-detail"),
                check=limited_text("opportunity", "lost_detail", _("Lost details")),
            )
        if self.editing:
            yield FormField(
                key="owner",
                label=_("Owner"),
                control=text_input(_text(base.get("owner")), id="op-owner"),
                check=limited_text("opportunity", "owner", _("Owner")),
            )

    def _stage(self) -> str:
        if self.editing:
            return self.stage
        try:
            return self.field(_KEY_STAGE).raw() or "lead"
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
        if field.key in (_KEY_STAGE, "probability"):
            self.field("probability").validate()
            self.field("amount").validate()

    def save(self, values: dict[str, Any]) -> Saved:
        if self.editing:
            return self._save_edit(values)
        name = values.pop("name")
        won = values.get(_KEY_STAGE) == "won"
        label = f"new opportunity {name} for {ut.clean(self.brief.name)}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            opp = add_opportunity(
                session,
                self.config,
                get_customer(session, self.customer_id),
                name,
                values.pop("amount"),
                stage=values.pop(_KEY_STAGE) or "lead",
                probability=values.pop("probability"),
                expected_close_on=values.pop("expected_close_on"),
                **{k: v for k, v in values.items() if v is not None},
            )
            opportunity_id = opp.id
        return Saved(label, self.customer_id, {"opportunity_id": opportunity_id, "won": won})

    def dismiss(self, result: Any = None) -> Any:
        """A deal added as won: once the form is gone, offer to raise its receivable (issue #18)."""
        done = super().dismiss(result)
        if isinstance(result, Saved) and result.detail.get("won"):
            from tuicrm.ui.widgets.receivable_form import offer_receivable

            app = self.app
            app.call_later(
                offer_receivable, app, self.store, self.config, int(result.detail["opportunity_id"])
            )
        return done

    def _save_edit(self, values: dict[str, Any]) -> Saved:
        """Only what the rep changed since the form opened (``save_changes``); a cleared
        probability stays as it was (a move to a stage sets the stage default)."""
        assert self.opportunity_id is not None
        mine = {k: values[k] for k in EDITED + LOST_FIELDS if k in values}
        if mine.get("probability") is None:
            mine.pop("probability", None)
        if "lost_reason" in mine:  # "价格" is price; "price: chose Huawei" splits
            mine["lost_reason"], mine["lost_detail"] = split_lost_reason(
                mine["lost_reason"], mine.get("lost_detail"), self.config.lost_reasons
            )
        label = f"edit opportunity {self.opportunity_id}"  # i18n: not shown (the operation log keeps it as written)
        with self.store.write(label) as session:
            save_changes(session, "opportunity", self.opportunity_id, self.base, self.base_version, mine)
        return Saved(label, self.customer_id, {"opportunity_id": self.opportunity_id})
