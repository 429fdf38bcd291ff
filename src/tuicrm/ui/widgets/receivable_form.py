"""Add a receivable (issue #18): customer, amount, due date (default: the customer's payment
terms, else the configured days), invoice number, the deal it bills."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rich.text import Text
from textual.widget import Widget

from tuicrm.config import Config
from tuicrm.i18n import _
from tuicrm.store import Store
from tuicrm.ui.messages import Saved
from tuicrm.ui.widgets.forms import (
    FormField,
    FormScreen,
    as_text,
    date_input,
    optional_text,
    required_text,
    text_input,
)
from tuicrm.ui.widgets.payment_form import money_check


class ReceivableForm(FormScreen):
    """A new receivable of ``customer`` (code); from a won deal, its amount and due date filled in."""

    def __init__(
        self,
        store: Store,
        config: Config,
        customer: str = "",
        *,
        amount: Any = None,
        due_on: date | None = None,
        opportunity_id: int | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__()
        self.store, self.config, self.customer = store, config, customer
        self.amount, self.due_on, self.opportunity_id, self.title = amount, due_on, opportunity_id, title

    def form_title(self) -> Text:
        return Text(self.title or _("New receivable"), style="bold")

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(
            "customer",
            _("Customer"),
            text_input(self.customer),
            check=required_text(_("Customer")),
            required=True,
        )
        yield FormField(
            "amount", _("Amount"), text_input(as_text(self.amount)), check=money_check, required=True
        )
        yield FormField(
            "due_on",
            _("Due on"),
            text_input(as_text(self.due_on), placeholder=_("empty: by the payment terms")),
            check=date_input(),
        )
        yield FormField("invoice_no", _("Invoice no."), text_input(), check=optional_text())
        yield FormField("notes", _("Notes"), text_input(), check=optional_text())

    def save(self, values: dict[str, Any]) -> Saved:
        from tuicrm.clock import today
        from tuicrm.domain.ledger import due_from_terms
        from tuicrm.store.customers import resolve_customer
        from tuicrm.store.receivables import add_receivable

        label = f"add receivable {values['customer']} {values['amount']}"  # i18n: not shown (the operation log keeps it)
        with self.store.write(label) as session:
            customer = resolve_customer(session, values["customer"])
            due_on = values.get("due_on") or due_from_terms(
                today(), customer.payment_terms, self.config.collection
            )
            texts = {k: values[k] for k in ("invoice_no", "notes") if values.get(k)}
            row = add_receivable(
                session,
                customer,
                values["amount"],
                opportunity_id=self.opportunity_id,
                due_on=due_on,
                **texts,
            )
            code, customer_id = row.code, customer.id
        return Saved(label, customer_id, {"code": code})


def offer_receivable(screen: Any, store: Store, config: Config, opportunity_id: int) -> None:
    """After a deal is won: ask whether to raise its receivable (amount, due by the payment
    terms); yes writes it (one undoable write) and says so. Nothing asked when it has one."""
    from tuicrm.clock import today
    from tuicrm.query.receivables import won_deal_offer

    try:
        with store.reading() as conn:
            offer = won_deal_offer(conn, opportunity_id, today(), config)
    except Exception as exc:  # the win is saved; the offer is a convenience: say why, keep running
        screen.notify(str(exc), severity="error", markup=False)
        return
    if offer is None:
        return
    from tuicrm.ui.widgets.confirm import ConfirmModal

    body = Text(end="")
    body.append_text(Text(f"{offer.customer_code} {offer.customer_name}"))
    body.append("\n")
    body.append(
        _("{amount} due {due}").format(amount=f"{offer.amount:,.2f}", due=offer.due_on.isoformat())
        + (f" ({offer.terms})" if offer.terms else " " + _("(default terms)"))
    )

    def answered(yes: bool | None) -> None:
        if yes:
            _create(screen, store, config, offer)

    screen.app.push_screen(
        ConfirmModal(_("Won: create its receivable?"), body, yes=_("Create"), no=_("Later")), answered
    )


def _create(screen: Any, store: Store, config: Config, offer: Any) -> None:
    from tuicrm.ui.background import write_in_background

    def work() -> str:
        from tuicrm.models import Opportunity
        from tuicrm.store.receivables import receivable_for_won_deal

        with store.write(f"add receivable for opportunity {offer.opportunity_id}") as session:
            opp = session.get(Opportunity, offer.opportunity_id)
            assert opp is not None
            return receivable_for_won_deal(session, config, opp).code

    def done(code: str) -> None:
        screen.notify(
            _("Added {code}: {amount} due {due}.").format(
                code=code, amount=f"{offer.amount:,.2f}", due=offer.due_on.isoformat()
            ),
            markup=False,
        )
        data_changed = getattr(screen.app, "data_changed", None)
        if data_changed is not None:
            data_changed()

    def failed(exc: Exception) -> None:
        screen.notify(str(exc), severity="error", markup=False)

    write_in_background(screen, work, done, failed)
