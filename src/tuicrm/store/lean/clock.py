"""Now and today for the writes, without pendulum: ``tuicrm.clock`` answers only when
``$TUICRM_NOW`` pins the time (then its parsing and time zone rules apply exactly)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """``tuicrm.clock.utcnow()``: an aware UTC timestamp."""
    if os.environ.get("TUICRM_NOW"):
        from tuicrm import clock

        return clock.utcnow()
    return datetime.now(UTC)


def today() -> date:
    """``tuicrm.clock.today()``: the local calendar day."""
    if os.environ.get("TUICRM_NOW"):
        from tuicrm import clock

        return clock.today()
    return datetime.now().date()


def local_time(at: datetime) -> datetime:
    """A stored (UTC) timestamp as local wall-clock time: ``tuicrm.clock.to_local(at)``."""
    if os.environ.get("TUICRM_NOW"):
        from tuicrm import clock

        return clock.to_local(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone()


def local_day(at: datetime) -> date:
    """The local calendar day of a stored (UTC) timestamp: ``tuicrm.clock.to_local(at).date()``."""
    if os.environ.get("TUICRM_NOW"):
        from tuicrm import clock

        return clock.to_local(at).date()
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().date()
