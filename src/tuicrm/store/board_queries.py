"""Read-only queries behind the TUI boards (tier board, pipeline, timeline counts).

Plain data out, no Textual. Every query is bounded so the boards stay instant at
SPEC §11 scale: each column loads at most ``limit`` cards, while counts and sums
come from aggregate queries over the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, func, select

from tuicrm.clock import local_midnight_utc, to_local
from tuicrm.clock import today as clock_today
from tuicrm.config import OPEN_STAGES, STAGES, TIERS, Config
from tuicrm.domain.pipeline import is_stale, weighted_value
from tuicrm.models import Customer, FollowUp, Opportunity, TierAssessment
from tuicrm.store.followups import last_activity_by_customer
from tuicrm.store.pipeline import Card

DEFAULT_LIMIT = 200

# Raw integer cents of the Money column (bypasses the Decimal conversion so SQL
# arithmetic on it stays exact).
_CENTS = sa.type_coerce(Opportunity.__table__.c.amount, sa.BigInteger)


# --- tier board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TierCard:
    customer_id: int
    code: str
    name: str
    tier: str
    status: str
    next_on: date | None


@dataclass
class TierColumn:
    tier: str
    count: int  # all live customers in the tier, not only the loaded cards
    cards: list[TierCard] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def tier_board(session: Session, tiers=TIERS, limit_per_tier: int = DEFAULT_LIMIT) -> list[TierColumn]:
    """Live customers by tier: the soonest follow-ups first (none last), then by name."""
    live = Customer.archived_at.is_(None)
    counts = dict(session.exec(select(Customer.tier, func.count()).where(live).group_by(Customer.tier)).all())
    columns = []
    for tier in tiers:
        rows = session.exec(
            select(
                Customer.id,
                Customer.code,
                Customer.name,
                Customer.tier,
                Customer.status,
                Customer.next_follow_up_on,
            )
            .where(live, Customer.tier == tier)
            .order_by(
                Customer.next_follow_up_on.is_(None), Customer.next_follow_up_on, Customer.name, Customer.id
            )
            .limit(limit_per_tier)
        ).all()
        columns.append(TierColumn(tier, int(counts.get(tier, 0)), [TierCard(*row) for row in rows]))
    return columns


def latest_assessment(session: Session, customer_id: int) -> TierAssessment | None:
    return session.exec(
        select(TierAssessment)
        .where(TierAssessment.customer_id == customer_id)
        .order_by(TierAssessment.assessed_on.desc(), TierAssessment.id.desc())
        .limit(1)
    ).first()


# --- pipeline -----------------------------------------------------------------------------


@dataclass
class PipelineColumn:
    stage: str
    count: int  # every live opportunity in the stage
    total: Decimal  # sum of amounts over all of them
    weighted: Decimal  # sum of amount × probability over all of them
    cards: list[Card] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def stage_totals(session: Session, stages=STAGES) -> dict[str, tuple[int, Decimal, Decimal]]:
    """stage -> (count, sum of amounts, weighted sum), exact, over all live opportunities."""
    rows = session.exec(
        select(
            Opportunity.stage,
            func.count(),
            func.coalesce(func.sum(_CENTS), 0),
            func.coalesce(func.sum(_CENTS * Opportunity.probability), 0),
        )
        .where(Opportunity.archived_at.is_(None), Opportunity.stage.in_(stages))
        .group_by(Opportunity.stage)
    ).all()
    out = {s: (0, Decimal(0), Decimal(0)) for s in stages}
    for stage, count, cents, weighted_cents in rows:
        out[stage] = (
            int(count),
            (Decimal(int(cents)) / 100).quantize(Decimal("0.01")),
            (Decimal(int(weighted_cents)) / 10_000).quantize(Decimal("0.01")),
        )
    return out


def pipeline_board(
    session: Session,
    config: Config,
    today: date | None = None,
    stages=STAGES,
    limit_per_stage: int = DEFAULT_LIMIT,
) -> list[PipelineColumn]:
    """Pipeline columns: totals over everything, cards for the first ``limit_per_stage`` per stage.

    Cards are ordered by expected close (undated last), then id. Staleness follows the rule of
    ``tuicrm.store.pipeline.board``: the later of the customer's last follow-up and the
    opportunity's last change, older than the stage's stale days.
    """
    today = today or clock_today()
    totals = stage_totals(session, stages)
    loaded: dict[str, list[tuple[Opportunity, str]]] = {}
    for stage in stages:
        loaded[stage] = list(
            session.exec(
                select(Opportunity, Customer.name)
                .join(Customer, Customer.id == Opportunity.customer_id)
                .where(Opportunity.archived_at.is_(None), Opportunity.stage == stage)
                .order_by(
                    Opportunity.expected_close_on.is_(None), Opportunity.expected_close_on, Opportunity.id
                )
                .limit(limit_per_stage)
            ).all()
        )
    customer_ids = sorted({opp.customer_id for rows in loaded.values() for opp, _ in rows})
    activity = last_activity_by_customer(session, customer_ids)
    columns = []
    for stage in stages:
        count, total, weighted = totals[stage]
        col = PipelineColumn(stage, count, total, weighted)
        for opp, customer_name in loaded[stage]:
            last = max(
                filter(None, [activity.get(opp.customer_id), to_local(opp.updated_at).date()]), default=None
            )
            col.cards.append(
                Card(
                    opp.id,
                    opp.name,
                    opp.customer_id,
                    customer_name,
                    opp.amount,
                    opp.probability,
                    weighted_value(opp.amount, opp.probability),
                    opp.stage,
                    opp.expected_close_on,
                    is_stale(opp.stage, last, today, config),
                    last,
                )
            )
        columns.append(col)
    return columns


def stale_count(session: Session, config: Config, today: date | None = None, stages=OPEN_STAGES) -> int:
    """How many live open opportunities are stale, over the whole table (not only the loaded cards).

    The rule of ``store.pipeline.board`` in SQL: the later of the customer's last follow-up and the
    opportunity's last change falls before local midnight of ``today - stale days``. Uses the
    (customer_id, at) index of follow-ups, one correlated lookup per opportunity.
    """
    today = today or clock_today()
    last_follow_up = (
        select(func.max(FollowUp.at))
        .where(FollowUp.customer_id == Opportunity.customer_id)
        .correlate(Opportunity)
        .scalar_subquery()
    )
    updated = Opportunity.__table__.c.updated_at
    # SQLite's two-argument max() is the scalar "greater of"; ISO timestamps compare as text.
    activity = func.max(func.coalesce(last_follow_up, updated), updated, type_=sa.DateTime)
    total = 0
    for stage in stages:
        cutoff = local_midnight_utc(today - timedelta(days=config.stale_after(stage)))
        total += session.exec(
            select(func.count())
            .select_from(Opportunity)
            .where(Opportunity.archived_at.is_(None), Opportunity.stage == stage, activity < cutoff)
        ).one()
    return int(total)


def open_forecast_inputs(session: Session) -> list[tuple[str, Decimal, int, date | None]]:
    """(stage, amount, probability, expected close) of every live open opportunity,
    the input of ``tuicrm.domain.pipeline.forecast``."""
    return [
        (stage, amount, probability, close)
        for stage, amount, probability, close in session.exec(
            select(
                Opportunity.stage, Opportunity.amount, Opportunity.probability, Opportunity.expected_close_on
            ).where(Opportunity.archived_at.is_(None), Opportunity.stage.in_(OPEN_STAGES))
        )
    ]


def opportunity_brief(session: Session, opportunity_id: int) -> tuple[str, str, str] | None:
    """(opportunity name, customer name, stage) for a modal's title, or None if gone."""
    row = session.exec(
        select(Opportunity.name, Customer.name, Opportunity.stage)
        .join(Customer, Customer.id == Opportunity.customer_id)
        .where(Opportunity.id == opportunity_id)
    ).first()
    return tuple(row) if row else None


# --- timeline -----------------------------------------------------------------------------


def timeline_counts(session: Session, today: date | None = None) -> dict[str, int]:
    """How many pending follow-ups fall in each timeline section (the lists themselves are capped)."""
    today = today or clock_today()
    col = Customer.next_follow_up_on
    week_end = today + timedelta(days=7)
    row = session.exec(
        select(
            func.coalesce(func.sum(sa.case((col < today, 1), else_=0)), 0),
            func.coalesce(func.sum(sa.case((col == today, 1), else_=0)), 0),
            func.coalesce(func.sum(sa.case((sa.and_(col > today, col <= week_end), 1), else_=0)), 0),
            func.coalesce(func.sum(sa.case((col > week_end, 1), else_=0)), 0),
        ).where(Customer.archived_at.is_(None), col.is_not(None))
    ).one()
    return {"Overdue": int(row[0]), "Today": int(row[1]), "Next 7 days": int(row[2]), "Later": int(row[3])}


__all__ = [
    "TierCard",
    "TierColumn",
    "tier_board",
    "latest_assessment",
    "PipelineColumn",
    "stage_totals",
    "pipeline_board",
    "stale_count",
    "open_forecast_inputs",
    "opportunity_brief",
    "timeline_counts",
    "DEFAULT_LIMIT",
]
