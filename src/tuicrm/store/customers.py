"""Customers and contacts: create, update, archive, resolve a rep's reference."""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, overload

from sqlmodel import Session, SQLModel, col, func, select

from tuicrm.clock import utcnow
from tuicrm.config import CONTACT_ROLES, KINDS, PREFERS, RELATIONSHIPS, STATUSES, TIERS
from tuicrm.domain.privacy import phone_digits, sanitize
from tuicrm.models import Contact, Customer
from tuicrm.store.errors import NotFound, StoreError

CUSTOMER_TEXT_FIELDS = (
    "name",
    "alias",
    "industry",
    "size",
    "kind",
    "source",
    "status",
    "tier",
    "needs",
    "address",
    "phone",
    "email",
    "tags",
    "notes",
    "owner",
    "next_action",
)
CUSTOMER_FIELDS = CUSTOMER_TEXT_FIELDS + (
    "first_contact_on",
    "budget_min",
    "budget_max",
    "purchase_by",
    "revenue_total",
    "last_deal_on",
    "next_follow_up_on",
)
CONTACT_FIELDS = (
    "name",
    "title",
    "department",
    "role",
    "phone",
    "mobile",
    "email",
    "im",
    "birthday",
    "relationship",
    "prefers",
    "interests",
    "notes",
    "is_primary",
    "is_key_decision_maker",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def current_user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "me"


def id_of(row: SQLModel) -> int:
    """The primary key of a row that has been flushed (every row the store hands out)."""
    key = getattr(row, "id", None)
    if not isinstance(key, int):
        raise StoreError(f"This {type(row).__name__.lower()} has not been saved yet.")
    return key


def clean(value: Any) -> Any:
    """Sanitise user text: strip escapes/control characters and whitespace; '' → None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = (sanitize(value) or "").strip()
        return value or None
    return value


def check_name(name: str | None, what: str = "customer") -> str:
    name = clean(name)
    if not name:
        raise StoreError(f"A {what} needs a name.")
    if len(name) > 200:
        raise StoreError(f"The {what} name is {len(name)} characters; at most 200 fit.")
    return name


@overload
def check_choice(value: str, choices: Sequence[str], what: str) -> str: ...
@overload
def check_choice(value: str | None, choices: Sequence[str], what: str) -> str | None: ...
def check_choice(value: str | None, choices: Sequence[str], what: str) -> str | None:
    if value is None:
        return None
    v = value.strip()
    for c in choices:
        if v.lower() == c.lower():
            return c
    raise StoreError(f"'{value}' is not a {what}. Use one of: {', '.join(choices)}.")


def check_amount(value: object, what: str = "amount") -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise StoreError(f"The {what} '{value}' is not a number.") from None
    if not amount.is_finite():
        raise StoreError(f"The {what} '{value}' is not a number.")
    if amount.adjusted() > 20:
        raise StoreError(f"The {what} '{value}' is too large.")
    amount = amount.quantize(Decimal("0.01"))  # round first, so the bound below holds for what is stored
    if amount < 0:
        raise StoreError(f"The {what} cannot be negative.")
    if amount >= Decimal("1e13"):
        raise StoreError(f"The {what} '{value}' is too large.")
    return amount


def check_email(value: str | None) -> str | None:
    value = clean(value)
    if value and not _EMAIL.match(value):
        raise StoreError(f"'{value}' is not an email address.")
    return value


def _normalise_customer_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in CUSTOMER_FIELDS:
            raise StoreError(f"Customers have no field called {key}.")
        if key in CUSTOMER_TEXT_FIELDS:
            value = clean(value)
        out[key] = value
    if "name" in out:
        out["name"] = check_name(out["name"])
    if "status" in out:
        out["status"] = check_choice(out["status"], STATUSES, "status") or "potential"
    if "tier" in out:
        out["tier"] = (check_choice(out["tier"], TIERS, "tier") or "D").upper()
    if "kind" in out and out["kind"]:
        out["kind"] = check_choice(out["kind"], KINDS, "kind (B2B or B2C)")
    if "email" in out:
        out["email"] = check_email(out["email"])
    for money in ("budget_min", "budget_max", "revenue_total"):
        if money in out:
            out[money] = check_amount(out[money], money.replace("_", " "))
    for d in ("first_contact_on", "purchase_by", "last_deal_on", "next_follow_up_on"):
        if d in out and out[d] is not None and not isinstance(out[d], date):
            raise StoreError(f"{d.replace('_', ' ')} must be a date.")
    return out


def next_code(session: Session) -> str:
    last = session.exec(select(func.max(Customer.code)).where(col(Customer.code).like("C%"))).one()
    number = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"C{number:06d}"


def search_text_for(customer: Customer, contacts: list[Contact]) -> str:
    return search_text_of(
        customer.name,
        customer.alias,
        customer.code,
        customer.email,
        customer.phone,
        [(c.name, c.email, c.phone, c.mobile) for c in contacts if c.archived_at is None],
    )


def search_text_of(
    name: str | None,
    alias: str | None,
    code: str | None,
    email: str | None,
    phone: str | None,
    contacts: Iterable[tuple[str | None, str | None, str | None, str | None]] = (),
) -> str:
    """What text search looks in: the customer's name, alias, code, e-mail and phone digits, then
    each live contact's (name, e-mail, phone, mobile); lower case, one field per unit separator."""
    parts = [name, alias, code, email, phone_digits(phone)]
    for c_name, c_email, c_phone, c_mobile in contacts:
        parts += [c_name, c_email, phone_digits(c_phone), phone_digits(c_mobile)]
    return "\x1f".join([p.lower() for p in parts if p])


def refresh_search_text(session: Session, customer: Customer) -> None:
    contacts = list(session.exec(select(Contact).where(Contact.customer_id == customer.id)))
    customer.search_text = search_text_for(customer, contacts)
    session.add(customer)


def create_customer(session: Session, name: str, **fields: Any) -> Customer:
    data = _normalise_customer_fields({"name": name, **fields})
    data.setdefault("owner", current_user())
    customer = Customer(code=next_code(session), **data)
    customer.search_text = search_text_for(customer, [])
    session.add(customer)
    session.flush()
    return customer


def update_customer(session: Session, customer: Customer, **fields: Any) -> Customer:
    data = _normalise_customer_fields(fields)
    for key, value in data.items():
        setattr(customer, key, value)
    refresh_search_text(session, customer)
    session.flush()
    return customer


def archive_customer(session: Session, customer: Customer) -> Customer:
    customer.archived_at = utcnow()
    session.add(customer)
    session.flush()
    return customer


def restore_customer(session: Session, customer: Customer) -> Customer:
    customer.archived_at = None
    session.add(customer)
    session.flush()
    return customer


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"No customer with id {customer_id}.")
    return customer


def get_contact(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"No contact with id {contact_id}.")
    return contact


def resolve_customer(session: Session, ref: str) -> Customer:
    """The live customer a rep means (``tuicrm.query.customers.resolve``), as a model row to change."""
    from tuicrm.query.customers import resolve
    from tuicrm.store.session import dbapi

    return get_customer(session, resolve(dbapi(session), ref))


def _normalise_contact_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in CONTACT_FIELDS:
            raise StoreError(f"Contacts have no field called {key}.")
        out[key] = clean(value) if isinstance(value, str) or value is None else value
    if "name" in out:
        out["name"] = check_name(out["name"], "contact")
    if out.get("role"):
        out["role"] = check_choice(out["role"], CONTACT_ROLES, "role")
    if out.get("relationship"):
        out["relationship"] = check_choice(out["relationship"], RELATIONSHIPS, "relationship")
    if out.get("prefers"):
        out["prefers"] = check_choice(out["prefers"], PREFERS, "preferred channel")
    if "email" in out:
        out["email"] = check_email(out["email"])
    return out


def create_contact(session: Session, customer: Customer, name: str, **fields: Any) -> Contact:
    data = _normalise_contact_fields({"name": name, **fields})
    if data.get("role") == "decision-maker":
        data.setdefault("is_key_decision_maker", True)
    contact = Contact(customer_id=id_of(customer), **data)
    if contact.is_primary:
        _clear_primary(session, id_of(customer))
    elif not session.exec(
        select(Contact.id).where(Contact.customer_id == customer.id, col(Contact.archived_at).is_(None))
    ).first():
        contact.is_primary = True  # the first contact is the primary one until the rep says otherwise
    session.add(contact)
    session.flush()
    refresh_search_text(session, customer)
    session.flush()
    return contact


def _clear_primary(session: Session, customer_id: int) -> None:
    for other in session.exec(
        select(Contact).where(Contact.customer_id == customer_id, col(Contact.is_primary))
    ):
        other.is_primary = False
        session.add(other)


def update_contact(session: Session, contact: Contact, **fields: Any) -> Contact:
    data = _normalise_contact_fields(fields)
    if data.get("role") == "decision-maker" and contact.role != "decision-maker":
        data.setdefault("is_key_decision_maker", True)  # as a new contact with that role gets
    if data.get("is_primary"):
        _clear_primary(session, contact.customer_id)
    for key, value in data.items():
        setattr(contact, key, value)
    session.add(contact)
    session.flush()
    refresh_search_text(session, get_customer(session, contact.customer_id))
    session.flush()
    return contact


def archive_contact(session: Session, contact: Contact, restore: bool = False) -> Contact:
    contact.archived_at = None if restore else utcnow()
    session.add(contact)
    session.flush()
    refresh_search_text(session, get_customer(session, contact.customer_id))
    session.flush()
    return contact
