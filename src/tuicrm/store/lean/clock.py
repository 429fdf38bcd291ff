"""Now and today for the writes, without pendulum: ``tuicrm.clock`` answers only when
``$TUICRM_NOW`` pins the time in a form other than a plain local date or date and time
(an offset, a form only pendulum reads, nonsense: then its parsing, time zone rules and errors
apply exactly). A plain pin is local wall-clock time, as ``tuicrm.query.connect.today`` reads it."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def plain_pin() -> datetime | None:
    """``$TUICRM_NOW`` as naive local time when it is a plain ISO date or date and time in the
    accepted years; None when it is unset or ``tuicrm.clock`` must read it."""
    pinned = os.environ.get("TUICRM_NOW", "").strip()
    if not pinned:
        return None
    try:
        parsed = datetime.fromisoformat(pinned)
    except ValueError:
        return None
    from tuicrm.domain.dates import MAX_YEAR, MIN_YEAR

    if parsed.tzinfo is not None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed


def utcnow() -> datetime:
    """``tuicrm.clock.utcnow()``: an aware UTC timestamp."""
    if os.environ.get("TUICRM_NOW"):
        pinned = plain_pin()
        if pinned is not None:
            return pinned.astimezone(UTC)
        from tuicrm import clock

        return clock.utcnow()
    return datetime.now(UTC)


def today() -> date:
    """``tuicrm.clock.today()``: the local calendar day."""
    if os.environ.get("TUICRM_NOW"):
        pinned = plain_pin()
        if pinned is not None:
            return pinned.date()
        from tuicrm import clock

        return clock.today()
    return datetime.now().date()


def local_time(at: datetime) -> datetime:
    """A stored (UTC) timestamp as local wall-clock time: ``tuicrm.clock.to_local(at)``."""
    if os.environ.get("TUICRM_NOW") and plain_pin() is None:
        from tuicrm import clock

        return clock.to_local(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone()


def local_day(at: datetime) -> date:
    """The local calendar day of a stored (UTC) timestamp: ``tuicrm.clock.to_local(at).date()``."""
    if os.environ.get("TUICRM_NOW") and plain_pin() is None:
        from tuicrm import clock

        return clock.to_local(at).date()
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().date()
