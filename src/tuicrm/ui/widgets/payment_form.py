"""Record a payment in one form (issue #18): customer, amount, the receivable it settles (default:
the oldest open one), date, method, reference. An excess is kept as a credit and said so."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget

from tuicrm.config import PAYMENT_METHODS
from tuicrm.i18n import _
from tuicrm.store import Store
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    choice_select,
    date_input,
    optional_text,
    required_text,
    text_input,
)


def money_check(raw: str) -> Any:
    """An amount as the rep types it (1000, 1.5万, ¥1,200): checked here, parsed by the store."""
    from tuicrm.store.receivables import money

    if not (raw or "").strip():
        raise ValueError(_("The amount is needed."))
    money(raw.strip(), _("amount"))  # StoreError is a ValueError: shown under the field
    return raw.strip()


class PaymentForm(FormScreen):
    """A payment from ``customer`` (code), settling ``receivable`` (code) if given."""

    def __init__(self, store: Store, customer: str = "", receivable: str = "") -> None:
        super().__init__()
        self.store, self.customer, self.receivable = store, customer, receivable

    def form_title(self) -> Text:
        return Text(_("Record a payment"), style="bold")

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            "customer",
            _("Customer"),
            text_input(self.customer),
            check=required_text(_("Customer")),
            required=True,
        )
        yield FormField(
            "amount",
            _("Amount"),
            text_input(placeholder=_("e.g. 800 or 1,200.50")),
            check=money_check,
            required=True,
        )
        yield FormField(
            "receivable",
            _("Receivable"),
            text_input(self.receivable, placeholder=_("R000001; empty: the oldest open one")),
            check=optional_text(),
        )
        yield FormField("paid_on", _("Paid on"), text_input(placeholder=_("today")), check=date_input())
        yield FormField("method", _("Method"), choice_select(PAYMENT_METHODS, "transfer"), classes="-short")
        yield FormField("reference", _("Reference"), text_input(), check=optional_text())

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.store.customers import resolve_customer
        from tuicrm.store.receivables import get_receivable, record_payment

        label = f"pay {values['customer']} {values['amount']}"  # i18n: not shown (the operation log keeps it)
        with self.store.write(label) as session:
            customer = resolve_customer(session, values["customer"])
            target = get_receivable(session, values["receivable"]) if values.get("receivable") else None
            texts = {"reference": values["reference"]} if values.get("reference") else {}
            done = record_payment(
                session,
                customer,
                values["amount"],
                receivable=target,
                paid_on=values.get("paid_on"),
                method=values.get("method"),
                **texts,
            )
            customer_id = customer.id
        return Saved(label, customer_id, done.as_dict())


def payment_notice(detail: dict[str, Any]) -> str:
    """What a saved payment did, in one line (the credit said, never silent)."""
    parts = []
    if detail.get("receivable"):
        parts.append(
            _("{amount} on {code}; {left} outstanding on it.").format(
                amount=detail["applied"], code=detail["receivable"], left=detail["outstanding"]
            )
        )
    if detail.get("credit") not in (None, "0.00"):
        parts.append(_("{credit} kept as a credit.").format(credit=detail["credit"]))
    return " ".join(parts) or _("Payment recorded.")
