"""Read helpers the TUI needs that the core store does not offer. No Textual here.

Everything returned is plain data (frozen dataclasses or detached rows), safe to
hand from a worker thread to the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from tuicrm import fastread
from tuicrm.config import Config
from tuicrm.models import Customer
from tuicrm.store import oplog
from tuicrm.store.cards import CustomerCard, customer_card
from tuicrm.store.customers import get_customer
from tuicrm.store.errors import StoreError
from tuicrm.ui.data import PanelData
from tuicrm.ui.data import panel_data as _panel_data


@dataclass(frozen=True)
class CustomerBrief:
    """What a form needs to know about the customer it writes for."""

    id: int
    code: str
    name: str
    status: str
    tier: str
    next_follow_up_on: date | None
    next_action: str | None
    archived: bool


def customer_brief(session: Session, customer_id: int) -> CustomerBrief:
    c = get_customer(session, customer_id)
    return CustomerBrief(
        c.id, c.code, c.name, c.status, c.tier, c.next_follow_up_on, c.next_action, c.archived_at is not None
    )


def panel_data(session: Session, config: Config, today: date, limit: int = 300) -> PanelData:
    """The overdue panel's counts and first ``limit`` items (``fastread.due_top``: exactly
    ``due(...)[:limit]`` without scoring every due customer through the ORM)."""
    return _panel_data(fastread.dbapi(session), config, today, limit)


def detail_card(session: Session, config: Config, customer_id: int, today: date) -> CustomerCard:
    """The customer card for the detail screen (archived customers included)."""
    return customer_card(session, config, get_customer(session, customer_id), today)


_DISTINCT = {"industry": Customer.industry, "owner": Customer.owner, "source": Customer.source}


def distinct_values(session: Session, field: str, limit: int = 200) -> list[str]:
    """Distinct non-empty values of a customer column, for filter choices."""
    col = _DISTINCT.get(field)
    if col is None:
        raise StoreError(f"Cannot list values of {field}.")
    q = (
        select(col)
        .where(Customer.archived_at.is_(None), col.is_not(None), col != "")
        .distinct()
        .order_by(col)
        .limit(limit)
    )
    return [v for v in session.exec(q) if v]


def distinct_tags(session: Session, limit: int = 200, scan: int = 5000) -> list[str]:
    """Tags in use (from the first ``scan`` distinct tag lists), sorted case-insensitively."""
    q = (
        select(Customer.tags)
        .where(Customer.archived_at.is_(None), Customer.tags.is_not(None))
        .distinct()
        .limit(scan)
    )
    tags: dict[str, str] = {}
    for value in session.exec(q):
        for tag in (value or "").split(","):
            t = tag.strip()
            if t:
                tags.setdefault(t.lower(), t)
    return sorted(tags.values(), key=str.lower)[:limit]


@dataclass(frozen=True)
class UndoPreview:
    operation_id: int
    label: str
    lines: list[str]


def undo_preview(session: Session) -> UndoPreview | None:
    """What ``u`` would undo, or None when there is nothing to undo."""
    op = oplog.last_operation(session)
    if op is None:
        return None
    return UndoPreview(op.id, op.label, oplog.describe(session, op))


def undo_operation(session: Session, operation_id: int) -> str:
    """Undo the last operation if it is still ``operation_id`` (inside ``store.write('undo', log=False)``)."""
    op = oplog.last_operation(session)
    if op is None or op.id != operation_id:
        raise StoreError(
            "Something else changed since; nothing was undone. Press u again to see the latest change."
        )
    label = op.label
    oplog.undo(session, op)
    return label
