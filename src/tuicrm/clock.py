"""The one source of "now". ``$TUICRM_NOW`` (ISO 8601) pins it for tests and demos."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pendulum

# ``pendulum.local_timezone`` is also the name of a submodule, which type checkers resolve to the module.
from pendulum.tz import local_timezone as _local_timezone


class ClockError(ValueError):
    """``$TUICRM_NOW`` is not a date or time in the accepted years (the message says which)."""


def now() -> pendulum.DateTime:
    """Current local time, or the pinned ``$TUICRM_NOW`` (read on every call).

    A pinned time with a UTC offset (``2026-12-07T07:00:00+08:00``) names an instant: it is
    converted to the local zone first, so "today" is the local day of that instant wherever the
    date comes from (``--next +7d`` from ``today()``, ``--next auto`` from the stored UTC time).
    """
    pinned = os.environ.get("TUICRM_NOW")
    if pinned:
        try:
            parsed = pendulum.parse(pinned, tz=_local_timezone())
        except Exception as exc:  # pendulum raises its own ParserError
            raise ClockError(f"TUICRM_NOW={pinned!r} is not an ISO 8601 date or time.") from exc
        if isinstance(parsed, pendulum.DateTime | pendulum.Date):
            from tuicrm.domain.dates import MAX_YEAR, MIN_YEAR

            if not MIN_YEAR <= parsed.year <= MAX_YEAR:
                raise ClockError(f"TUICRM_NOW={pinned!r} is outside the years {MIN_YEAR} to {MAX_YEAR}.")
        if isinstance(parsed, pendulum.DateTime):
            return parsed.in_timezone(_local_timezone())
        if isinstance(parsed, pendulum.Date):
            return pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=_local_timezone())
        raise ClockError(f"TUICRM_NOW={pinned!r} is not an ISO 8601 date or time.")
    return pendulum.now()


def today() -> date:
    n = now()
    return date(n.year, n.month, n.day)


def utcnow() -> datetime:
    """Aware UTC timestamp for storage (SQLModel stores UTC and hands back aware values)."""
    n = now().in_timezone("UTC")
    return datetime(n.year, n.month, n.day, n.hour, n.minute, n.second, n.microsecond, tzinfo=UTC)


def to_local(value: datetime) -> pendulum.DateTime:
    """A stored UTC timestamp as local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return pendulum.instance(value).in_timezone(_local_timezone())


def local_date(value: datetime) -> date:
    """A stored UTC timestamp's local calendar date: ``to_local(value).date()`` without building
    a pendulum DateTime (~15x faster: the boards and reports take thousands of them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_local_timezone()).date()


def local_midnight_utc(day: date) -> datetime:
    """The start of a local calendar day, as an aware UTC datetime (for stored-time ranges)."""
    start = pendulum.datetime(day.year, day.month, day.day, tz=_local_timezone()).in_timezone("UTC")
    return datetime(start.year, start.month, start.day, start.hour, start.minute, tzinfo=UTC)
