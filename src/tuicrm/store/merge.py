"""Merging one customer into another (``tuicrm merge A B``, the detail's ``M``; issue #15).

Everything of B moves to A — contacts, follow-ups, deals (with their stage history),
tier assessments, snoozes, status history, leads and activities — A's empty fields take B's
values, a value of B that differs from A's is kept in A's notes under its label, and B is
archived with a line saying where it went. Every change goes through the ORM session, so the
undo log records it and one ``undo`` reverses the merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from tuicrm.clock import utcnow
from tuicrm.models import (
    Activity,
    Contact,
    Customer,
    FollowUp,
    Lead,
    Opportunity,
    Snooze,
    StatusChange,
    TierAssessment,
)
from tuicrm.store.customers import get_customer, refresh_search_text
from tuicrm.store.errors import StoreError

CHILDREN: tuple[type[SQLModel], ...] = (
    Contact,
    Opportunity,
    FollowUp,
    TierAssessment,
    Snooze,
    StatusChange,
    Lead,
    Activity,
)
# Not merged as values: who the row is, bookkeeping, and what follows from the children.
SKIPPED = {"id", "version", "code", "search_text", "archived_at", "created_at", "updated_at", "notes"}
DEFAULTS = {"status": "potential", "tier": "D"}


@dataclass
class MergeResult:
    keep: str  # "C000001 Acme"
    merged: str
    moved: dict[str, int] = field(default_factory=dict)  # table -> rows moved
    filled: list[str] = field(default_factory=list)  # A's empty fields that took B's value
    noted: list[str] = field(default_factory=list)  # labels of B's differing values in A's notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "keep": self.keep,
            "merged": self.merged,
            "moved": self.moved,
            "filled": self.filled,
            "noted": self.noted,
        }


def _label(field_name: str) -> str:
    from tuicrm.io.headers import LABELS_EN

    return LABELS_EN.get("customers", {}).get(field_name) or field_name.replace("_", " ").capitalize()


def _shown(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _empty(name: str, value: Any) -> bool:
    return value is None or value == "" or DEFAULTS.get(name) == value


def merge_customers(session: Session, keep_id: int, other_id: int) -> MergeResult:
    """Merge customer ``other_id`` into ``keep_id`` (inside one ``store.write``)."""
    if keep_id == other_id:
        raise StoreError("A customer cannot be merged into itself.")
    keep, other = get_customer(session, keep_id), get_customer(session, other_id)
    if keep.archived_at is not None or other.archived_at is not None:
        raise StoreError("Only live customers can be merged; restore the archived one first.")
    result = MergeResult(f"{keep.code} {keep.name}", f"{other.code} {other.name}")
    has_primary = any(
        c.is_primary and c.archived_at is None
        for c in session.exec(select(Contact).where(Contact.customer_id == keep_id))
    )
    for model in CHILDREN:
        owner = getattr(model, "customer_id")  # noqa: B009  (every child table has one)
        moved = list(session.exec(select(model).where(col(owner) == other_id)))
        for row in moved:
            setattr(row, "customer_id", keep_id)  # noqa: B010
            if isinstance(row, Contact) and has_primary:
                row.is_primary = False
            session.add(row)
        if moved:
            result.moved[str(model.__tablename__)] = len(moved)
    lines = _merge_values(keep, other, result)
    if other.notes:
        lines.append(other.notes)
    if lines:
        addition = "\n".join([f"Merged from {other.code} {other.name}:", *lines])
        keep.notes = f"{keep.notes}\n{addition}" if keep.notes else addition
    other.archived_at = utcnow()
    other.notes = f"{other.notes}\nMerged into {keep.code}." if other.notes else f"Merged into {keep.code}."
    session.add(keep)
    session.add(other)
    session.flush()
    refresh_search_text(session, keep)
    refresh_search_text(session, other)
    return result


def _merge_values(keep: Customer, other: Customer, result: MergeResult) -> list[str]:
    """Fill A's empty fields from B; B's differing values as ``Label: value`` lines."""
    lines: list[str] = []
    for name in Customer.model_fields:
        if name in SKIPPED:
            continue
        mine, theirs = getattr(keep, name), getattr(other, name)
        if _empty(name, theirs) or mine == theirs:
            continue
        if name == "revenue_total" and mine is not None:
            # The won deals behind both totals now belong to A.
            keep.revenue_total = Decimal(mine) + Decimal(theirs)
            result.filled.append(name)
        elif _empty(name, mine):
            setattr(keep, name, theirs)
            result.filled.append(name)
        elif name in ("first_contact_on",) and theirs < mine:
            lines.append(f"{_label(name)}: {_shown(mine)}")
            keep.first_contact_on = theirs  # the earlier first contact is the first
            result.noted.append(_label(name))
        else:
            lines.append(f"{_label(name)}: {_shown(theirs)}")
            result.noted.append(_label(name))
    return lines
