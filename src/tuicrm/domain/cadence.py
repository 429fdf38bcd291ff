"""Follow-up cadence (SPEC §4): when is the next follow-up, by status, bounded by tier."""

from __future__ import annotations

from datetime import date, timedelta

from tuicrm.config import Config


def cadence_interval(status: str, tier: str, config: Config) -> int | None:
    """Days until the next follow-up, or None when none is scheduled (lost customers)."""
    base = config.cadence_days.get(status)
    if base is None:
        return None
    upper = config.tier_max_interval.get(tier)
    lower = config.tier_min_interval.get(tier)
    if upper is not None:
        base = min(base, upper)
    if lower is not None:
        base = max(base, lower)
    return base


def next_follow_up(status: str, tier: str, logged_on: date, config: Config) -> date | None:
    interval = cadence_interval(status, tier, config)
    return None if interval is None else logged_on + timedelta(days=interval)


def is_overdue(next_on: date | None, today: date) -> bool:
    return next_on is not None and next_on < today


def is_due_today(next_on: date | None, today: date) -> bool:
    return next_on is not None and next_on == today
