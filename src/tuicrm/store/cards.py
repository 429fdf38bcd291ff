"""The customer card: everything ``show`` and the detail screen display, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlmodel import Session

from tuicrm.config import Config
from tuicrm.domain.cadence import is_overdue
from tuicrm.domain.dates import relative_label
from tuicrm.domain.privacy import mask_phone
from tuicrm.models import Contact, Customer, FollowUp, Opportunity, TierAssessment
from tuicrm.store.customers import contacts_of
from tuicrm.store.followups import history
from tuicrm.store.pipeline import opportunities_of
from tuicrm.store.tiers import assessments_of


@dataclass
class CustomerCard:
    customer: Customer
    contacts: list[Contact]
    follow_ups: list[FollowUp]
    opportunities: list[Opportunity]
    assessments: list[TierAssessment]
    today: date
    extra: dict = field(default_factory=dict)

    @property
    def next_label(self) -> str:
        return relative_label(self.customer.next_follow_up_on, self.today)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.customer.next_follow_up_on, self.today)


def customer_card(
    session: Session, config: Config, customer: Customer, today: date, history_limit: int = 50
) -> CustomerCard:
    return CustomerCard(
        customer=customer,
        contacts=contacts_of(session, customer.id),
        follow_ups=history(session, customer.id, history_limit),
        opportunities=opportunities_of(session, customer.id),
        assessments=assessments_of(session, customer.id),
        today=today,
    )


def _jsonable(value):
    from datetime import datetime
    from decimal import Decimal

    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_to_dict(row, *, drop=("search_text",), reveal: bool = False) -> dict:
    # Field order of the model, so --json output is stable.
    data = (
        {k: getattr(row, k) for k in type(row).model_fields}
        if hasattr(type(row), "model_fields")
        else asdict(row)
    )
    out = {k: _jsonable(v) for k, v in data.items() if k not in drop}
    if not reveal:
        for key in ("phone", "mobile"):
            if out.get(key):
                out[key] = mask_phone(out[key])
    return out


def card_to_dict(card: CustomerCard, reveal: bool = False) -> dict:
    """The stable JSON shape of ``tuicrm show --json`` (documented in docs/cli.md)."""
    c = row_to_dict(card.customer, reveal=reveal)
    c["next_label"] = card.next_label
    c["overdue"] = card.overdue
    return {
        "customer": c,
        "contacts": [row_to_dict(x, reveal=reveal) for x in card.contacts],
        "follow_ups": [row_to_dict(x, reveal=reveal) for x in card.follow_ups],
        "opportunities": [row_to_dict(x, reveal=reveal) for x in card.opportunities],
        "assessments": [row_to_dict(x, reveal=reveal) for x in card.assessments],
    }
