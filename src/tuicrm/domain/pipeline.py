"""Opportunity stages (SPEC §6): probabilities, weighted value, forecast, staleness."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tuicrm.config import OPEN_STAGES, STAGES, Config


class StageError(ValueError):
    pass


def check_stage(stage: str) -> str:
    value = (stage or "").strip().lower()
    if value not in STAGES:
        raise StageError(f"'{stage}' is not a stage. Use one of: {', '.join(STAGES)}.")
    return value


def default_probability(stage: str, config: Config) -> int:
    return config.stage_probability[check_stage(stage)]


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES


def weighted_value(amount: Decimal, probability: int) -> Decimal:
    return (Decimal(amount) * Decimal(probability) / Decimal(100)).quantize(Decimal("0.01"))


def check_move(from_stage: str, to_stage: str, reason: str | None) -> None:
    """Moving to lost needs a reason; moving to the same stage is not a move."""
    to_stage = check_stage(to_stage)
    if from_stage == to_stage:
        raise StageError(f"The opportunity is already in {to_stage}.")
    if to_stage == "lost" and not (reason or "").strip():
        raise StageError("Moving to lost needs a reason.")


def is_stale(stage: str, last_activity: date | None, today: date, config: Config) -> bool:
    """Open and no follow-up for more than N days (per-stage N)."""
    if not is_open(stage) or last_activity is None:
        return False
    return (today - last_activity).days > config.stale_after(stage)


def period_key(day: date, by: str) -> str:
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    raise ValueError("Group the forecast by month or quarter.")


@dataclass(frozen=True)
class ForecastRow:
    period: str
    count: int
    amount: Decimal
    weighted: Decimal


def forecast(opps: Iterable[tuple[str, Decimal, int, date | None]], by: str = "month") -> list[ForecastRow]:
    """Group open opportunities (stage, amount, probability, expected close) by period.

    Opportunities without an expected close date are grouped under "no date", last.
    """
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    weighted: dict[str, Decimal] = defaultdict(Decimal)
    for stage, amt, prob, close in opps:
        if not is_open(stage):
            continue
        key = period_key(close, by) if close else "no date"
        count[key] += 1
        amount[key] += Decimal(amt)
        weighted[key] += weighted_value(amt, prob)
    keys = sorted(k for k in count if k != "no date") + (["no date"] if "no date" in count else [])
    return [ForecastRow(k, count[k], amount[k], weighted[k]) for k in keys]
