"""The "call next" order of overdue follow-ups (SPEC §4), with its explanation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tuicrm.config import Config
from tuicrm.domain.dates import days_overdue
from tuicrm.records import record


@record(frozen=True)  # a dataclass to type checkers; ``dataclasses`` stays out of ``tuicrm due``
class Priority:
    score: float
    days_overdue: int
    tier_weight: float
    pipeline_bonus: float

    def explain(self) -> str:
        return (
            f"{self.days_overdue} day(s) overdue (+1 so today counts) × tier weight {self.tier_weight:g}"
            f" + pipeline bonus {self.pipeline_bonus:.1f} = {self.score:.1f}"
        )


def call_next_priority(
    next_on: date, tier: str, open_pipeline: Decimal, today: date, config: Config
) -> Priority:
    """Higher first. Days overdue (today counts as 1) weighted by tier, plus open pipeline value."""
    overdue = days_overdue(next_on, today)
    weight = config.tier_weights.get(tier, config.tier_weights.get("D", 1.0))
    bonus = min(
        config.pipeline_weight_cap,
        float(open_pipeline or 0) / config.pipeline_weight_unit * config.pipeline_weight_per_unit,
    )
    score = (overdue + 1) * weight + bonus
    return Priority(
        score=round(score, 4), days_overdue=overdue, tier_weight=weight, pipeline_bonus=round(bonus, 4)
    )


def sort_key(priority: Priority, name: str) -> tuple[float, int, str]:
    """Highest score first, then most overdue, then by name (stable for equal scores)."""
    return (-priority.score, -priority.days_overdue, name)
