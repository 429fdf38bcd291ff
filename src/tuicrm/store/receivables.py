"""Receivables and payments (issue #18): add a receivable, record a payment, archive either.

Every function runs inside a ``Store.write`` session: one transaction the undo log records.
A receivable's ``received`` and ``paid_off_on`` are recomputed from its live payments on every
write that touches them (``recompute``), so they never disagree with the payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tuicrm.clock import today as clock_today
from tuicrm.clock import utcnow
from tuicrm.config import PAYMENT_METHOD_LABELS_ZH, PAYMENT_METHODS, Config
from tuicrm.domain.ledger import LedgerError, OpenItem, allocate, due_from_terms, received_and_paid_off
from tuicrm.i18n import _
from tuicrm.models import Customer, Opportunity, Payment, Receivable
from tuicrm.store.customers import clean, current_user, id_of
from tuicrm.store.errors import NotFound, StoreError
from tuicrm.store.session import dbapi

RECEIVABLE_TEXTS = ("invoice_no", "settled_by", "notes")
PAYMENT_TEXTS = ("reference", "settled_by", "notes")


def _next_code(session: Session, table: str, prefix: str) -> str:
    """The next free code of ``table`` (R000001…, P000001…)."""
    (last,) = (
        dbapi(session).execute(f"SELECT max(code) FROM {table} WHERE code LIKE '{prefix}%'").fetchone()  # noqa: S608
    )
    n = int(str(last)[1:]) + 1 if last and str(last)[1:].isdigit() else 1
    return f"{prefix}{n:06d}"


def money(value: Any, what: str) -> tuple[Decimal, str | None]:
    """An amount as typed (1000, 1.5万, ¥1,200, $300) and the currency it names, if any."""
    from tuicrm.io.values.numbers import parse_money

    if isinstance(value, Decimal | int):
        amount, currency = Decimal(value), None
    else:
        try:
            amount_or_none, currency = parse_money(value)
        except ValueError as exc:
            raise StoreError(_("The {what} {problem}.").format(what=what, problem=exc)) from None
        if amount_or_none is None:
            raise StoreError(_("Give the {what}.").format(what=what))
        amount = amount_or_none
    amount = amount.quantize(Decimal("0.01"))
    if amount <= 0:
        raise StoreError(_("The {what} must be more than zero.").format(what=what))
    if amount >= Decimal("1e13"):
        raise StoreError(_("The {what} is too large.").format(what=what))
    return amount, currency


def check_method(value: str | None) -> str | None:
    """cash, transfer, cheque, bill, monthly, other, or the template's words (现金, 转账…)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    by_label = {label: key for key, label in PAYMENT_METHOD_LABELS_ZH.items()}
    if text in by_label:
        return by_label[text]
    if text.lower() in PAYMENT_METHODS:
        return text.lower()
    raise StoreError(
        _("'{value}' is not a payment method. Use one of: {choices}.").format(
            value=text, choices=", ".join(PAYMENT_METHODS)
        )
    )


def recompute(session: Session, receivable: Receivable) -> Receivable:
    """``received`` and ``paid_off_on`` from the receivable's live payments."""
    session.flush()
    rows = dbapi(session).execute(
        "SELECT paid_on, amount FROM payment WHERE receivable_id = ? AND archived_at IS NULL",
        (receivable.id,),
    )
    payments = [(date.fromisoformat(str(on)), Decimal(int(cents)) / 100) for on, cents in rows]
    received, paid_off = received_and_paid_off(receivable.amount, payments)
    if receivable.received != received or receivable.paid_off_on != paid_off:
        receivable.received = received
        receivable.paid_off_on = paid_off
        session.add(receivable)
        session.flush()
    return receivable


def add_receivable(
    session: Session,
    customer: Customer,
    amount: Any,
    *,
    opportunity_id: int | None = None,
    due_on: date | None = None,
    settled_on: date | None = None,
    currency: str | None = None,
    **texts: Any,
) -> Receivable:
    """A new receivable (R000001…) of the customer, linked to one of its opportunities if given."""
    customer_id = id_of(customer)
    value, named_currency = money(amount, _("amount"))
    unknown = set(texts) - set(RECEIVABLE_TEXTS)
    if unknown:
        raise StoreError(_("Receivables have no field called {key}.").format(key=sorted(unknown)[0]))
    if opportunity_id is not None:
        opp = session.get(Opportunity, int(opportunity_id))
        if opp is None or opp.customer_id != customer_id:
            raise StoreError(
                _("That opportunity (#{id}) is not one of this customer's.").format(id=int(opportunity_id))
            )
        currency = currency or opp.currency
    row = Receivable(
        code=_next_code(session, "receivable", "R"),
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        amount=value,
        currency=currency or named_currency,
        due_on=due_on,
        settled_on=settled_on or clock_today(),
        settled_by=clean(texts.pop("settled_by", None)) or current_user(),
        **{k: clean(v) for k, v in texts.items()},
    )
    session.add(row)
    session.flush()
    return row


def receivable_for_won_deal(session: Session, config: Config, opp: Opportunity) -> Receivable:
    """The receivable of a won deal: its amount, due by the customer's payment terms (else the
    configured default) counted from the day it was won."""
    session.flush()
    session.refresh(opp)  # a stage move writes through the lean path: closed_on is fresh in SQL
    customer = session.get(Customer, opp.customer_id)
    assert customer is not None
    start = opp.closed_on or clock_today()
    return add_receivable(
        session,
        customer,
        opp.amount,
        opportunity_id=opp.id,
        due_on=due_from_terms(start, customer.payment_terms, config.collection),
        currency=opp.currency,
    )


def get_receivable(session: Session, ref: str | int) -> Receivable:
    """A live receivable by code (R000001, r1) or id."""
    text = str(ref).strip()
    row: Receivable | None = None
    if text[:1] in ("R", "r") and text[1:].isdigit():
        code = f"R{int(text[1:]):06d}"
        row = session.exec(select(Receivable).where(Receivable.code == code)).first()
    elif text.isdigit() and len(text) < 19:
        row = session.get(Receivable, int(text))
    if row is None or row.archived_at is not None:
        raise NotFound(_("No receivable {ref}.").format(ref=text))
    return row


def open_items(session: Session, customer_id: int) -> list[OpenItem]:
    """The customer's live receivables not yet paid off."""
    rows = session.exec(
        select(Receivable).where(
            Receivable.customer_id == customer_id,
            col(Receivable.archived_at).is_(None),
            col(Receivable.paid_off_on).is_(None),
        )
    ).all()
    return [OpenItem(int(r.id or 0), r.amount, r.received, r.due_on) for r in rows]


@dataclass(frozen=True)
class PaymentResult:
    """What a recorded payment did: the payment rows (the settling one first; a credit row last),
    the receivable settled (or None), the amount applied to it and the credit left over."""

    payments: tuple[str, ...]
    receivable: str | None
    applied: Decimal
    credit: Decimal
    outstanding: Decimal | None  # the receivable's outstanding amount after the payment

    def as_dict(self) -> dict[str, Any]:
        return {
            "payments": list(self.payments),
            "receivable": self.receivable,
            "applied": f"{self.applied:.2f}",
            "credit": f"{self.credit:.2f}",
            "outstanding": None if self.outstanding is None else f"{self.outstanding:.2f}",
        }


def record_payment(
    session: Session,
    customer: Customer,
    amount: Any,
    *,
    receivable: Receivable | None = None,
    paid_on: date | None = None,
    method: str | None = None,
    currency: str | None = None,
    **texts: Any,
) -> PaymentResult:
    """Money received from the customer: settles ``receivable`` (if named) else the oldest open
    one; an excess is kept as a credit payment (``receivable_id`` None), never lost."""
    customer_id = id_of(customer)
    value, named_currency = money(amount, _("payment"))
    unknown = set(texts) - set(PAYMENT_TEXTS)
    if unknown:
        raise StoreError(_("Payments have no field called {key}.").format(key=sorted(unknown)[0]))
    if receivable is not None and receivable.customer_id != customer_id:
        raise StoreError(_("{code} is not one of this customer's receivables.").format(code=receivable.code))
    checked_method = check_method(method)
    day = paid_on or clock_today()
    try:
        split = allocate(value, open_items(session, customer_id), receivable.id if receivable else None)
    except LedgerError as exc:
        raise StoreError(str(exc)) from None
    common: dict[str, Any] = {
        "customer_id": customer_id,
        "paid_on": day,
        "method": checked_method,
        "currency": currency or named_currency,
        "settled_by": clean(texts.pop("settled_by", None)) or current_user(),
        **{k: clean(v) for k, v in texts.items()},
    }
    codes: list[str] = []
    settled: Receivable | None = None
    applied = Decimal("0.00")
    for receivable_id, part in split.parts:
        row = Payment(
            code=_next_code(session, "payment", "P"), receivable_id=receivable_id, amount=part, **common
        )
        session.add(row)
        session.flush()
        codes.append(row.code)
        settled = session.get(Receivable, receivable_id)
        assert settled is not None
        recompute(session, settled)
        applied += part
    if split.credit > 0:
        credit = Payment(
            code=_next_code(session, "payment", "P"), receivable_id=None, amount=split.credit, **common
        )
        session.add(credit)
        session.flush()
        codes.append(credit.code)
    left = None if settled is None else settled.amount - settled.received
    return PaymentResult(tuple(codes), settled.code if settled else None, applied, split.credit, left)


def archive_payment(session: Session, payment: Payment) -> Payment:
    """A payment entered by mistake: archived (undo brings it back), its receivable recomputed."""
    payment.archived_at = utcnow()
    session.add(payment)
    session.flush()
    if payment.receivable_id is not None:
        target = session.get(Receivable, payment.receivable_id)
        if target is not None:
            recompute(session, target)
    return payment


def archive_receivable(session: Session, receivable: Receivable) -> Receivable:
    """A receivable raised by mistake: archived with its payments turned into credits (kept)."""
    for pay in session.exec(select(Payment).where(Payment.receivable_id == receivable.id)).all():
        pay.receivable_id = None
        session.add(pay)
    receivable.archived_at = utcnow()
    session.add(receivable)
    session.flush()
    return recompute(session, receivable)


__all__ = [
    "PaymentResult",
    "add_receivable",
    "archive_payment",
    "archive_receivable",
    "check_method",
    "get_receivable",
    "money",
    "open_items",
    "receivable_for_won_deal",
    "recompute",
    "record_payment",
]
