"""Follow-up cadence (SPEC §4): when is the next follow-up, by status, bounded by tier, on a
working day (issue #19)."""

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
    """The automatic next date: the cadence's interval after ``logged_on``, moved to the first
    working day on or after it (``config.workdays``). A tier's longest interval still holds:
    when moving forward would pass it, the date moves back to the last working day within it
    (a tier A customer is never left longer than 7 calendar days for a holiday)."""
    interval = cadence_interval(status, tier, config)
    if interval is None:
        return None
    from tuicrm.domain.workdays import work_calendar

    calendar = work_calendar(config.workdays)
    day = calendar.on_or_after(logged_on + timedelta(days=interval))
    upper = config.tier_max_interval.get(tier)
    if upper is not None and (day - logged_on).days > upper:
        bound = logged_on + timedelta(days=upper)
        earlier = calendar.on_or_before(bound)
        day = earlier if earlier > logged_on else bound
    return day


def is_overdue(next_on: date | None, today: date) -> bool:
    return next_on is not None and next_on < today


def is_due_today(next_on: date | None, today: date) -> bool:
    return next_on is not None and next_on == today
