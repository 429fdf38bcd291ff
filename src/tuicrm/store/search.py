"""Customer lookups: one LIKE over the denormalised ``search_text`` column, and list pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func, select

from tuicrm.domain.privacy import phone_digits
from tuicrm.models import Customer

SORTABLE = {"code": Customer.code, "name": Customer.name, "tier": Customer.tier, "status": Customer.status,
            "industry": Customer.industry, "next": Customer.next_follow_up_on, "owner": Customer.owner}


@dataclass(frozen=True)
class CustomerRow:
    id: int
    code: str
    name: str
    alias: str | None
    industry: str | None
    status: str
    tier: str
    phone: str | None
    email: str | None
    next_follow_up_on: date | None
    next_action: str | None
    owner: str | None


@dataclass(frozen=True)
class CustomerFilter:
    text: str = ""
    tier: str | None = None
    status: str | None = None
    industry: str | None = None
    tag: str | None = None
    owner: str | None = None
    due_by: date | None = None  # next follow-up on or before this date
    include_archived: bool = False


_ROW_COLUMNS = (Customer.id, Customer.code, Customer.name, Customer.alias, Customer.industry, Customer.status,
                Customer.tier, Customer.phone, Customer.email, Customer.next_follow_up_on, Customer.next_action,
                Customer.owner)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: CustomerFilter) -> list:
    conds = []
    if not f.include_archived:
        conds.append(Customer.archived_at.is_(None))
    text = (f.text or "").strip().lower()
    if text:
        terms = [text]
        digits = phone_digits(text)
        if digits and digits != text and len(digits) >= 3:
            terms.append(digits)
        conds.append(sa.or_(*[Customer.search_text.like(f"%{_escape_like(t)}%", escape="\\") for t in terms]))
    if f.tier:
        conds.append(Customer.tier == f.tier)
    if f.status:
        conds.append(Customer.status == f.status)
    if f.industry:
        conds.append(Customer.industry == f.industry)
    if f.owner:
        conds.append(Customer.owner == f.owner)
    if f.tag:
        conds.append(sa.func.lower("," + sa.func.replace(Customer.tags, " ", "") + ",").like(
            f"%,{_escape_like(f.tag.strip().lower())},%", escape="\\"))
    if f.due_by:
        conds.append(Customer.next_follow_up_on <= f.due_by)
    return conds


def count_customers(session: Session, f: CustomerFilter = CustomerFilter()) -> int:
    return session.exec(select(func.count()).select_from(Customer).where(*_conditions(f))).one()


def page(session: Session, f: CustomerFilter = CustomerFilter(), *, offset: int = 0, limit: int = 100,
         sort: str = "name", descending: bool = False) -> list[CustomerRow]:
    """One window of the customer list: only the rows a screen can show are loaded."""
    col = SORTABLE.get(sort, Customer.name)
    order = [col.desc() if descending else col.asc(), Customer.id]
    q = select(*_ROW_COLUMNS).where(*_conditions(f)).order_by(*order).offset(offset).limit(limit)
    return [CustomerRow(*r) for r in session.exec(q)]


def find(session: Session, query: str, limit: int = 50) -> list[CustomerRow]:
    """Customers whose name, alias, code, phone/email or a contact's name/phone/email contain ``query``."""
    if not (query or "").strip():
        return []
    return page(session, CustomerFilter(text=query), limit=limit, sort="name")
