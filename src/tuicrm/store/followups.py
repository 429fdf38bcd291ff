"""Follow-ups: log one (and set the next step), snooze, the due list and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, func, select

from tuicrm.clock import local_midnight_utc, to_local, utcnow
from tuicrm.clock import today as clock_today
from tuicrm.config import CHANNELS, OPEN_STAGES, Config
from tuicrm.domain.cadence import next_follow_up
from tuicrm.domain.dates import AUTO, days_overdue
from tuicrm.domain.scoring import Priority, call_next_priority, sort_key
from tuicrm.models import Customer, FollowUp, Opportunity, Snooze
from tuicrm.store.customers import check_choice, clean, current_user
from tuicrm.store.errors import StoreError


def log_follow_up(
    session: Session,
    config: Config,
    customer: Customer,
    summary: str,
    *,
    channel: str = "phone",
    feedback: str | None = None,
    attitude: str | None = None,
    next_on: date | str | None = AUTO,
    next_action: str | None = None,
    goal: str | None = None,
    contact_id: int | None = None,
    opportunity_id: int | None = None,
    at: datetime | None = None,
    owner: str | None = None,
) -> FollowUp:
    """Record what was said and set the customer's pending follow-up.

    ``next_on`` may be a date, ``AUTO``/None (the cadence rule of SPEC §4).
    """
    summary = clean(summary)
    if not summary:
        raise StoreError("Say what was discussed: the summary cannot be empty.")
    channel = check_choice(channel or "phone", CHANNELS, "channel")
    if attitude:
        attitude = check_choice(attitude, ("positive", "neutral", "negative"), "attitude")
    at = at or utcnow()
    logged_on = to_local(at).date()
    if next_on is None or next_on == AUTO:
        next_on = next_follow_up(customer.status, customer.tier, logged_on, config)
    elif not isinstance(next_on, date):
        raise StoreError("The next follow-up must be a date or auto.")
    follow_up = FollowUp(
        customer_id=customer.id,
        contact_id=contact_id,
        opportunity_id=opportunity_id,
        at=at,
        channel=channel,
        summary=summary,
        feedback=clean(feedback),
        attitude=attitude,
        next_action=clean(next_action),
        next_on=next_on,
        goal=clean(goal),
        owner=clean(owner) or current_user(),
    )
    session.add(follow_up)
    customer.next_follow_up_on = next_on
    customer.next_action = follow_up.next_action
    if customer.first_contact_on is None:
        customer.first_contact_on = logged_on
    session.add(customer)
    session.flush()
    return follow_up


def snooze(session: Session, customer: Customer, to_on: date, reason: str | None = None) -> Snooze:
    """Move the pending follow-up; the move is recorded, the history kept."""
    if not isinstance(to_on, date):
        raise StoreError("Snooze needs a date.")
    record = Snooze(
        customer_id=customer.id, from_on=customer.next_follow_up_on, to_on=to_on, reason=clean(reason)
    )
    session.add(record)
    customer.next_follow_up_on = to_on
    session.add(customer)
    session.flush()
    return record


@dataclass(frozen=True)
class DueItem:
    customer_id: int
    code: str
    name: str
    tier: str
    status: str
    next_on: date
    next_action: str | None
    days_overdue: int
    open_pipeline: Decimal
    priority: Priority

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def open_pipeline_by_customer(session: Session, customer_ids: list[int] | None = None) -> dict[int, Decimal]:
    q = (
        select(Opportunity.customer_id, func.sum(Opportunity.__table__.c.amount, type_=sa.BigInteger))
        .where(Opportunity.stage.in_(OPEN_STAGES), Opportunity.archived_at.is_(None))
        .group_by(Opportunity.customer_id)
    )
    if customer_ids is not None:
        if not customer_ids:
            return {}
        if len(customer_ids) < 900:
            q = q.where(Opportunity.customer_id.in_(customer_ids))
    # Summed as raw integer cents (typed BigInteger so Money's conversion is not applied twice).
    return {cid: Decimal(int(cents or 0)) / 100 for cid, cents in session.exec(q)}


def due(session: Session, config: Config, today: date | None = None, days: int = 0) -> list[DueItem]:
    """Overdue and due today in "call next" order, then the next ``days`` days by date."""
    today = today or clock_today()
    horizon = today + timedelta(days=max(0, days))
    rows = list(
        session.exec(
            select(
                Customer.id,
                Customer.code,
                Customer.name,
                Customer.tier,
                Customer.status,
                Customer.next_follow_up_on,
                Customer.next_action,
            ).where(
                Customer.archived_at.is_(None),
                Customer.next_follow_up_on.is_not(None),
                Customer.next_follow_up_on <= horizon,
            )
        )
    )
    pipeline = open_pipeline_by_customer(session, [r[0] for r in rows])
    items = []
    for cid, code, name, tier, status, next_on, action in rows:
        value = pipeline.get(cid, Decimal(0))
        items.append(
            DueItem(
                cid,
                code,
                name,
                tier,
                status,
                next_on,
                action,
                days_overdue(next_on, today),
                value,
                call_next_priority(next_on, tier, value, today, config),
            )
        )
    now_items = sorted((i for i in items if i.next_on <= today), key=lambda i: sort_key(i.priority, i.name))
    later = sorted((i for i in items if i.next_on > today), key=lambda i: (i.next_on, i.name))
    return now_items + later


def count_due_now(session: Session, today: date | None = None) -> int:
    today = today or clock_today()
    return session.exec(
        select(func.count())
        .select_from(Customer)
        .where(
            Customer.archived_at.is_(None),
            Customer.next_follow_up_on.is_not(None),
            Customer.next_follow_up_on <= today,
        )
    ).one()


def history(session: Session, customer_id: int, limit: int | None = None) -> list[FollowUp]:
    q = (
        select(FollowUp)
        .where(FollowUp.customer_id == customer_id)
        .order_by(FollowUp.at.desc(), FollowUp.id.desc())
    )
    if limit:
        q = q.limit(limit)
    return list(session.exec(q))


@dataclass(frozen=True)
class TimelineEntry:
    customer_id: int
    code: str
    name: str
    tier: str
    day: date
    text: str  # next action (pending) or summary (past log)
    channel: str | None = None
    kind: str = "pending"  # pending | logged


@dataclass
class Timeline:
    overdue: list[TimelineEntry]
    today: list[TimelineEntry]
    next_7_days: list[TimelineEntry]
    later: list[TimelineEntry]
    past: list[tuple[date, list[TimelineEntry]]]  # newest day first

    def sections(self) -> list[tuple[str, list[TimelineEntry]]]:
        return [
            ("Overdue", self.overdue),
            ("Today", self.today),
            ("Next 7 days", self.next_7_days),
            ("Later", self.later),
        ]


def timeline(
    session: Session,
    today: date | None = None,
    past_days: int = 14,
    later_limit: int = 200,
    overdue_limit: int = 500,
) -> Timeline:
    today = today or clock_today()
    base = select(
        Customer.id,
        Customer.code,
        Customer.name,
        Customer.tier,
        Customer.next_follow_up_on,
        Customer.next_action,
    ).where(Customer.archived_at.is_(None), Customer.next_follow_up_on.is_not(None))

    def entries(q) -> list[TimelineEntry]:
        return [
            TimelineEntry(cid, code, name, tier, d, action or "")
            for cid, code, name, tier, d, action in session.exec(q)
        ]

    col = Customer.next_follow_up_on
    overdue = entries(base.where(col < today).order_by(col, Customer.name).limit(overdue_limit))
    due_today = entries(base.where(col == today).order_by(Customer.name))
    week = entries(base.where(col > today, col <= today + timedelta(days=7)).order_by(col, Customer.name))
    later = entries(
        base.where(col > today + timedelta(days=7)).order_by(col, Customer.name).limit(later_limit)
    )

    since = local_midnight_utc(today - timedelta(days=past_days))
    logs = session.exec(
        select(
            FollowUp.customer_id,
            Customer.code,
            Customer.name,
            Customer.tier,
            FollowUp.at,
            FollowUp.summary,
            FollowUp.channel,
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .where(FollowUp.at >= since)
        .order_by(FollowUp.at.desc())
        .limit(500)
    )
    by_day: dict[date, list[TimelineEntry]] = {}
    for cid, code, name, tier, at, summary, channel in logs:
        day = to_local(at).date()
        by_day.setdefault(day, []).append(
            TimelineEntry(cid, code, name, tier, day, summary, channel, "logged")
        )
    past = sorted(by_day.items(), key=lambda kv: kv[0], reverse=True)
    return Timeline(overdue, due_today, week, later, past)


def last_activity_by_customer(session: Session, customer_ids: list[int]) -> dict[int, date]:
    """Local date of the latest follow-up for each customer (for staleness)."""
    if not customer_ids:
        return {}
    out: dict[int, date] = {}
    for chunk in range(0, len(customer_ids), 900):
        ids = customer_ids[chunk : chunk + 900]
        q = (
            select(FollowUp.customer_id, func.max(FollowUp.at))
            .where(FollowUp.customer_id.in_(ids))
            .group_by(FollowUp.customer_id)
        )
        for cid, at in session.exec(q):
            if at is not None:
                out[cid] = to_local(
                    at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
                ).date()
    return out


__all__ = [
    "log_follow_up",
    "snooze",
    "due",
    "count_due_now",
    "history",
    "timeline",
    "DueItem",
    "Timeline",
    "TimelineEntry",
    "open_pipeline_by_customer",
    "last_activity_by_customer",
]
