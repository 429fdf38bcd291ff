"""New / edit customer. Changing the next follow-up of an existing customer is recorded as a snooze."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from tuicrm.config import KINDS, STATUSES, TIERS, Config
from tuicrm.domain.limits import field_limit
from tuicrm.i18n import _
from tuicrm.models import Customer
from tuicrm.store import Store
from tuicrm.store.customers import check_name, create_customer, get_customer, update_customer
from tuicrm.store.followups import snooze
from tuicrm.ui import text as ut
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    amount,
    choice_select,
    date_hint,
    date_input,
    email,
    limited_text,
    phone,
    required_text,
    text_input,
)


def _name(raw: str) -> str:
    value = required_text("Name", field_limit("customer", "name"))(raw)
    return check_name(value)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _money(value: Any) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _apply_edit(session: Any, customer: Customer, changes: dict[str, Any]) -> None:
    """The rep's changes to a customer; a new next follow-up date is recorded as a snooze."""
    missing = object()
    next_on = changes.pop("next_follow_up_on", missing)
    if changes:
        update_customer(session, customer, **changes)
    if next_on is None:
        update_customer(session, customer, next_follow_up_on=None)
    elif next_on is not missing:
        snooze(session, customer, next_on, reason="changed in the customer form")


class CustomerForm(FormScreen):
    """``CustomerForm(store, config)`` creates; ``CustomerForm(store, config, customer_id)`` edits.

    Dismisses with ``Saved(customer_id=...)``, or None on escape (nothing written).
    """

    BINDINGS = [Binding("ctrl+r", "reveal", _("Show phone"), id="form.reveal")]

    def __init__(
        self, store: Store, config: Config, customer_id: int | None = None, *, reveal: bool = False
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.customer_id = customer_id
        self.customer: Customer | None = None
        if customer_id is not None:
            with store.read() as session:
                self.customer = get_customer(session, customer_id)
            self.track("customer", customer_id, self.customer.version)
        self.reveal = reveal

    def form_title(self) -> Text:
        if self.customer is None:
            return Text(_("New customer"), style="bold")
        title = Text(_("Edit · "), style="bold", end="")
        title.append_text(ut.line(self.customer.name, style="bold"))
        title.append(f"  {self.customer.code}", style="dim")
        return title

    def compose_fields(self) -> Iterable[Widget]:
        c = self.customer
        get = (lambda k: getattr(c, k)) if c is not None else (lambda k: None)
        masked = bool(c is not None and c.phone and not self.reveal)
        yield FormField(
            _("name"),
            "Name",
            text_input(get("name"), placeholder=_("full legal name"), id="cf-name"),
            check=_name,
            required=True,
        )
        yield FormField(
            _("alias"),
            "Alias",
            text_input(get("alias"), placeholder=_("short name")),
            check=limited_text("customer", "alias", _("Alias")),
        )
        yield FormField(
            _("status"),
            "Status",
            choice_select(STATUSES, get("status") or "potential", blank=False),
            classes="-short",
        )
        yield FormField(
            _("tier"), "Tier", choice_select(TIERS, get("tier") or "D", blank=False), classes="-short"
        )
        yield FormField(
            _("industry"),
            "Industry",
            text_input(get("industry")),
            check=limited_text("customer", "industry", _("Industry")),
        )
        yield FormField(
            _("phone"),
            "Phone",
            text_input(get("phone"), password=masked, id="cf-phone"),
            check=phone,
            hint=(lambda v: None if self.reveal else _("masked: ctrl+r shows it")) if masked else None,
        )
        yield FormField(_("email"), "Email", text_input(get("email")), check=email)
        yield FormField(
            _("next_follow_up_on"),
            _("Next follow-up"),
            text_input(_iso(get("next_follow_up_on")), placeholder=_("e.g. +3d, fri, 12-01")),
            check=date_input(),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            _("next_action"),
            _("Next action"),
            text_input(get("next_action")),
            check=limited_text("customer", "next_action", _("Next action")),
        )
        yield FormField(_("kind"), "Kind", choice_select(KINDS, get("kind")), classes="-short")
        yield FormField(
            _("size"),
            "Size",
            text_input(get("size"), placeholder="<100, 100-1000, >1000"),
            check=limited_text("customer", "size", _("Size")),
        )
        yield FormField(
            _("source"),
            "Source",
            text_input(get("source"), placeholder=_("referral, trade show, inbound…")),
            check=limited_text("customer", "source", _("Source")),
        )
        yield FormField(
            _("tags"),
            "Tags",
            text_input(get("tags"), placeholder=_("comma,separated")),
            check=limited_text("customer", "tags", _("Tags")),
        )
        yield FormField(
            _("needs"), "Needs", text_input(get("needs")), check=limited_text("customer", "needs", _("Needs"))
        )
        yield FormField(
            _("budget_min"),
            _("Budget from"),
            text_input(_money(get("budget_min"))),
            check=amount(label=_("budget from")),
            classes="-short",
        )
        yield FormField(
            _("budget_max"),
            _("Budget to"),
            text_input(_money(get("budget_max"))),
            check=amount(label=_("budget to")),
            classes="-short",
        )
        yield FormField(
            _("purchase_by"),
            _("Purchase by"),
            text_input(_iso(get("purchase_by"))),
            check=date_input(),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            _("first_contact_on"),
            _("First contact"),
            text_input(_iso(get("first_contact_on"))),
            check=date_input(),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            _("address"),
            "Address",
            text_input(get("address")),
            check=limited_text("customer", "address", _("Address")),
        )
        yield FormField(
            _("owner"), "Owner", text_input(get("owner")), check=limited_text("customer", "owner", _("Owner"))
        )
        yield FormField(
            _("notes"), "Notes", text_input(get("notes")), check=limited_text("customer", "notes", _("Notes"))
        )

    def action_reveal(self) -> None:
        field = self.query_one("#cf-phone", Input)
        field.password = not field.password
        self.reveal = not field.password
        self.field("phone").validate()  # the hint follows

    def save(self, values: dict[str, Any]) -> Saved:
        lo, hi = values.get("budget_min"), values.get("budget_max")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(_("Budget to is less than budget from."))
        name = values.pop("name")
        next_on = values.pop("next_follow_up_on")
        if self.customer is None:
            label = f"new customer {name}"  # i18n: not shown (the operation log keeps it as written)
            if not values.get("owner"):
                values.pop("owner")
            with self.store.write(label) as session:
                customer = create_customer(session, name, next_follow_up_on=next_on, **values)
                customer_id = customer.id
        else:
            label = f"edit customer {name}"  # i18n: not shown (the operation log keeps it as written)
            assert self.customer_id is not None
            with self.store.write(label) as session:
                self.save_tracked(
                    session, {"name": name, "next_follow_up_on": next_on, **values}, _apply_edit
                )
            customer_id = self.customer_id
        return Saved(label, customer_id)
