"""New / edit customer. Changing the next follow-up of an existing customer is recorded as a snooze."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from tuicrm.config import KINDS, RENEWAL_RISKS, STATUSES, TIERS, Config
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
        # The name/phone/e-mail the rep was told already exist: ^s again adds the customer anyway.
        self._warned_about: tuple[str, str | None, str | None] | None = None

    def first_follow_up(self) -> str:
        """A new customer's first follow-up by the cadence, prefilled (the rep may change or
        clear it): a customer added by hand reaches the morning queue."""
        from tuicrm import clock
        from tuicrm.domain.cadence import next_follow_up

        day = next_follow_up("potential", "D", clock.today(), self.config)
        return day.isoformat() if day else ""

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
            "name",
            _("Name"),
            text_input(get("name"), placeholder=_("full legal name"), id="cf-name"),
            check=_name,
            required=True,
        )
        yield FormField(
            "alias",
            _("Alias"),
            text_input(get("alias"), placeholder=_("short name")),
            check=limited_text("customer", "alias", _("Alias")),
        )
        yield FormField(
            "status",
            _("Status"),
            choice_select(STATUSES, get("status") or "potential", blank=False),
            classes="-short",
        )
        yield FormField(
            "tier", _("Tier"), choice_select(TIERS, get("tier") or "D", blank=False), classes="-short"
        )
        yield FormField(
            "industry",
            _("Industry"),
            text_input(get("industry")),
            check=limited_text("customer", "industry", _("Industry")),
        )
        yield FormField(
            "phone",
            _("Phone"),
            text_input(get("phone"), password=masked, id="cf-phone"),
            check=phone,
            hint=(lambda v: None if self.reveal else _("masked: ctrl+r shows it")) if masked else None,
        )
        yield FormField("email", _("Email"), text_input(get("email")), check=email)
        yield FormField(
            "next_follow_up_on",
            _("Next follow-up"),
            text_input(
                _iso(get("next_follow_up_on")) if c is not None else self.first_follow_up(),
                placeholder=_("e.g. +3d, fri, 12-01"),
            ),
            check=date_input(),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            "next_action",
            _("Next action"),
            text_input(get("next_action")),
            check=limited_text("customer", "next_action", _("Next action")),
        )
        yield FormField("kind", _("Kind"), choice_select(KINDS, get("kind")), classes="-short")
        yield FormField(
            "size",
            _("Size"),
            text_input(get("size"), placeholder="<100, 100-1000, >1000"),
            check=limited_text("customer", "size", _("Size")),
        )
        yield FormField(
            "source",
            _("Source"),
            text_input(get("source"), placeholder=_("referral, trade show, inbound…")),
            check=limited_text("customer", "source", _("Source")),
        )
        yield FormField(
            "tags",
            _("Tags"),
            text_input(get("tags"), placeholder=_("comma,separated")),
            check=limited_text("customer", "tags", _("Tags")),
        )
        yield FormField(
            "needs", _("Needs"), text_input(get("needs")), check=limited_text("customer", "needs", _("Needs"))
        )
        yield FormField(
            "budget_min",
            _("Budget from"),
            text_input(_money(get("budget_min"))),
            check=amount(label=_("budget from")),
            classes="-short",
        )
        yield FormField(
            "budget_max",
            _("Budget to"),
            text_input(_money(get("budget_max"))),
            check=amount(label=_("budget to")),
            classes="-short",
        )
        yield FormField(
            "purchase_by",
            _("Purchase by"),
            text_input(_iso(get("purchase_by"))),
            check=date_input(),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            "first_contact_on",
            _("First contact"),
            text_input(_iso(get("first_contact_on"))),
            check=date_input(),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            "address",
            _("Business addr."),
            text_input(get("address"), placeholder=_("where they work (经营地址)")),
            check=limited_text("customer", "address", _("Business addr.")),
        )
        yield FormField(
            "registered_address",
            _("Legal address"),
            text_input(get("registered_address"), placeholder=_("注册地址")),
            check=limited_text("customer", "registered_address", _("Legal address")),
        )
        yield FormField(
            "region",
            _("Region"),
            text_input(get("region")),
            check=limited_text("customer", "region", _("Region")),
            classes="-short",
        )
        yield FormField(
            "company_revenue",
            _("Company revenue"),
            text_input(_money(get("company_revenue")), placeholder=_("their yearly revenue")),
            check=amount(label=_("company revenue")),
            classes="-short",
        )
        yield FormField(
            "product_preference",
            _("Product pref."),
            text_input(get("product_preference")),
            check=limited_text("customer", "product_preference", _("Product pref.")),
        )
        yield FormField(
            "payment_method",
            _("Payment method"),
            text_input(get("payment_method"), placeholder=_("e.g. 30 days net")),
            check=limited_text("customer", "payment_method", _("Payment method")),
        )
        yield FormField(
            "payment_terms",
            _("Payment terms"),
            text_input(get("payment_terms"), placeholder=_("e.g. 月结30天, net 30")),
            check=limited_text("customer", "payment_terms", _("Payment terms")),
        )
        yield FormField(
            "renewal_risk",
            _("Renewal risk"),
            choice_select(RENEWAL_RISKS, get("renewal_risk")),
            classes="-short",
        )
        yield FormField(
            "renewal_on",
            _("Renewal on"),
            text_input(_iso(get("renewal_on"))),
            check=date_input(label=_("Renewal on")),
            hint=date_hint,
            classes="-short",
        )
        yield FormField(
            "owner", _("Owner"), text_input(get("owner")), check=limited_text("customer", "owner", _("Owner"))
        )
        yield FormField(
            "notes", _("Notes"), text_input(get("notes")), check=limited_text("customer", "notes", _("Notes"))
        )

    def action_reveal(self) -> None:
        field = self.query_one("#cf-phone", Input)
        field.password = not field.password
        self.reveal = not field.password
        self.field("phone").validate()  # the hint follows

    def _refuse_duplicate(self, name: str, phone: str | None, email: str | None) -> None:
        """The first ^s on a customer you already have (the same normalised name, phone or
        e-mail, as ``tuicrm add customer`` checks) names the candidates; the next one adds it."""
        from tuicrm.query.dupes import same_as, what_is_same

        key = (name, phone, email)
        if self._warned_about == key:
            return
        with self.store.reading() as conn:
            found = same_as(conn, name, phone, email, limit=3)
        if not found:
            return
        self._warned_about = key
        listed = "; ".join(f"{ref.code} {ref.name} ({what_is_same(same)})" for ref, same in found)
        raise ValueError(
            _("you may have this customer: {listed}. ^s again adds it anyway.").format(listed=listed)
        )

    def save(self, values: dict[str, Any]) -> Saved:
        lo, hi = values.get("budget_min"), values.get("budget_max")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(_("Budget to is less than budget from."))
        name = values.pop("name")
        next_on = values.pop("next_follow_up_on")
        if self.customer is None:
            self._refuse_duplicate(name, values.get("phone"), values.get("email"))
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
