"""Working days: Monday to Friday (this version knows no public holidays).

``add_working_days(start, days)`` is the day ``days`` working days after ``start``; a deadline
counted in working days (a medium complaint: 3) lands on a weekday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

SATURDAY = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days after ``start`` (``days`` <= 0: ``start`` itself). A start on
    a weekend counts from the next Monday: Saturday + 1 working day is Tuesday."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def add_working_days_at(start: datetime, days: int) -> datetime:
    """``add_working_days`` keeping the time of day (and zone) of ``start``."""
    return datetime.combine(add_working_days(start.date(), days), start.timetz())


__all__ = ["add_working_days", "add_working_days_at", "is_working_day"]
