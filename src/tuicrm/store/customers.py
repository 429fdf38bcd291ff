"""Customers and contacts: create, update, archive, resolve a rep's reference."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from tuicrm.clock import utcnow
from tuicrm.config import CONTACT_ROLES, PREFERS, RELATIONSHIPS
from tuicrm.models import Contact, Customer
from tuicrm.store.errors import NotFound, StoreError
from tuicrm.store.lean.checks import (
    CUSTOMER_FIELDS,
    CUSTOMER_TEXT_FIELDS,
    check_amount,
    check_budget,
    check_choice,
    check_email,
    check_name,
    clean,
    current_user,
    normalise_customer_fields,
    search_text_of,
)

__all__ = [
    "CONTACT_FIELDS",
    "CUSTOMER_FIELDS",
    "CUSTOMER_TEXT_FIELDS",
    "archive_contact",
    "archive_customer",
    "check_amount",
    "check_choice",
    "check_email",
    "check_name",
    "clean",
    "create_contact",
    "create_customer",
    "current_user",
    "get_contact",
    "get_customer",
    "id_of",
    "refresh_search_text",
    "resolve_contact",
    "resolve_customer",
    "restore_customer",
    "search_text_for",
    "search_text_of",
    "update_contact",
    "update_customer",
]

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
    "anniversary",
    "relationship",
    "prefers",
    "interests",
    "gender",
    "education",
    "work_history",
    "notes",
    "is_primary",
    "is_key_decision_maker",
)


def id_of(row: SQLModel) -> int:
    """The primary key of a row that has been flushed (every row the store hands out)."""
    key = getattr(row, "id", None)
    if not isinstance(key, int):
        raise StoreError(f"This {type(row).__name__.lower()} has not been saved yet.")
    return key


def search_text_for(customer: Customer, contacts: list[Contact]) -> str:
    return search_text_of(
        customer.name,
        customer.alias,
        customer.code,
        customer.email,
        customer.phone,
        [(c.name, c.email, c.phone, c.mobile) for c in contacts if c.archived_at is None],
    )


def refresh_search_text(session: Session, customer: Customer) -> None:
    contacts = list(session.exec(select(Contact).where(Contact.customer_id == customer.id)))
    customer.search_text = search_text_for(customer, contacts)
    session.add(customer)


def create_customer(session: Session, name: str, **fields: Any) -> Customer:
    """A new customer (``tuicrm.store.lean.writes.create_customer``) in a ``Store.write`` session."""
    from tuicrm.store import oplog
    from tuicrm.store.lean import writes

    done = oplog.lean(session, lambda conn, log: writes.create_customer(conn, log, name, **fields))
    return get_customer(session, done.id)


def update_customer(session: Session, customer: Customer, **fields: Any) -> Customer:
    data = normalise_customer_fields(fields)
    for key, value in data.items():
        setattr(customer, key, value)
    if "budget_min" in data or "budget_max" in data:
        check_budget(customer.budget_min, customer.budget_max)  # the one given against the one stored
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


def resolve_contact(session: Session, ref: str, customer: Customer | None = None) -> Contact:
    """The live contact a rep means: its id, or a fragment of the name of exactly one live contact
    (of ``customer`` when given). ``Ambiguous`` lists the candidates as (id, name · customer)."""
    from tuicrm.store.errors import Ambiguous

    ref = (ref or "").strip()
    live = col(Contact.archived_at).is_(None)
    mine = (Contact.customer_id == customer.id) if customer is not None else sa.true()
    if ref.isascii() and ref.isdigit() and len(ref) <= 18:
        found = session.exec(select(Contact).where(Contact.id == int(ref), live, mine)).first()
        if found is not None:
            return found
    pattern = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = list(
        session.exec(
            select(Contact, Customer)
            .join(Customer, col(Customer.id) == Contact.customer_id)
            .where(live, mine, col(Contact.name).like(pattern, escape="\\"))
            .order_by(col(Contact.name), col(Contact.id))
            .limit(21)
        )
    )
    exact = [(k, c) for k, c in matches if k.name == ref]
    if len(exact) == 1:
        matches = exact
    if not matches or not ref:
        raise NotFound(f"No contact matches '{ref}'.")
    if len(matches) > 1:
        raise Ambiguous(
            f"'{ref}' matches {len(matches)} contacts.",
            [(str(k.id), f"{k.name} · {c.code} {c.name}") for k, c in matches[:20]],
        )
    return matches[0][0]


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
