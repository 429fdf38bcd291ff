"""One change to many customers (the rows marked in the customer list or the timeline): snooze,
tag, assign an owner, change the status, archive.

Each function runs inside the caller's ``Store.write(label)`` — ONE transaction, so one undo
reverses the change for every customer — through the same writes a single change uses
(``followups.snooze``, ``customers.update_customer``, ``customers.archive_customer``; the row
versions and the status history follow as they do for one). ``label`` words the change as the
undo question shows it ("snooze 3 customers to 2026-12-10"). Each returns how many customers
changed (those already so are left alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session

from tuicrm.config import STATUSES
from tuicrm.models import Customer
from tuicrm.store.customers import archive_customer, check_choice, update_customer
from tuicrm.store.errors import StoreError
from tuicrm.store.followups import snooze

__all__ = [
    "ACTIONS",
    "add_tag",
    "archive_customers",
    "assign_owner",
    "label",
    "set_status",
    "snooze_customers",
    "tag_customers",
]

ACTIONS = ("snooze", "tag", "owner", "status", "archive")


def label(action: str, names: list[str], value: str | None = None) -> str:
    """The operation's label (English, as the operation log keeps it; ``i18n.names.operation_label``
    words it for the rep): the customer's name for one, "N customers" for several."""
    who = names[0] if len(names) == 1 else f"{len(names)} customers"
    if action == "snooze":
        return f"snooze {who} to {value}"
    if action == "tag":
        return f"tag {who} with {value}"
    if action == "owner":
        return f"assign {who} to {value}"
    if action == "status":
        return f"set status of {who} to {value}"
    if action == "archive":
        return f"archive customer {who}" if len(names) == 1 else f"archive {who}"
    raise ValueError(action)


def _customers(session: Session, ids: Iterable[int], *, live: bool = True) -> list[Customer]:
    """The customers of ``ids`` (each once, in order); archived ones left out when ``live``."""
    out: list[Customer] = []
    seen: set[int] = set()
    for customer_id in ids:
        if customer_id in seen:
            continue
        seen.add(customer_id)
        customer = session.get(Customer, customer_id)
        if customer is not None and (customer.archived_at is None or not live):
            out.append(customer)
    if not out:
        raise StoreError("None of those customers is there any more.")
    return out


def snooze_customers(session: Session, ids: Iterable[int], to_on: date, reason: str | None = None) -> int:
    """Move each one's pending follow-up to ``to_on`` (each move recorded, as a single snooze)."""
    changed = 0
    for customer in _customers(session, ids):
        if customer.next_follow_up_on != to_on:
            snooze(session, customer, to_on, reason=reason)
            changed += 1
    return changed


def add_tag(tags: str | None, tag: str) -> str | None:
    """``tags`` (comma-separated) with ``tag`` added at the end, unless it is there; None: no change."""
    tag = tag.strip().replace(",", " ")
    have = [t.strip() for t in (tags or "").split(",") if t.strip()]
    if not tag or tag.lower() in (t.lower() for t in have):
        return None
    return ",".join([*have, tag])


def tag_customers(session: Session, ids: Iterable[int], tag: str) -> int:
    """Add ``tag`` to each one's tags (the others kept)."""
    if not tag.strip():
        raise StoreError("Give a tag to add.")
    changed = 0
    for customer in _customers(session, ids):
        tags = add_tag(customer.tags, tag)
        if tags is not None:
            update_customer(session, customer, tags=tags)
            changed += 1
    return changed


def assign_owner(session: Session, ids: Iterable[int], owner: str | None) -> int:
    """Make ``owner`` the owner of each (None or blank: no owner)."""
    owner = (owner or "").strip() or None
    changed = 0
    for customer in _customers(session, ids):
        if customer.owner != owner:
            update_customer(session, customer, owner=owner)
            changed += 1
    return changed


def set_status(session: Session, ids: Iterable[int], status: str) -> int:
    """Set each one's status (the status history records each change, as for one)."""
    status = check_choice(status, STATUSES, "status")
    changed = 0
    for customer in _customers(session, ids):
        if customer.status != status:
            update_customer(session, customer, status=status)
            changed += 1
    return changed


def archive_customers(session: Session, ids: Iterable[int]) -> int:
    """Archive each (``u`` brings them all back)."""
    customers = _customers(session, ids)
    for customer in customers:
        archive_customer(session, customer)
    return len(customers)
