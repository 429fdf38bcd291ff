"""ISO weeks in local time: Monday to Sunday; ``utc_range`` turns local days into the UTC
instants stored in the database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo


class WeekError(ValueError):
    """A week the rep typed that is not one."""


WEEK_FORMS = "2026-W47, W47, this, last, next, or a date in the week (2026-11-18, -1w)"
_WEEK = re.compile(r"^(?:(\d{4})-?)?w(\d{1,2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @property
    def start(self) -> date:
        """Monday."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        """Sunday (the last day, inclusive)."""
        return self.start + timedelta(days=6)

    @property
    def next_start(self) -> date:
        """The following Monday (exclusive bound)."""
        return self.start + timedelta(days=7)

    def shift(self, weeks: int) -> IsoWeek:
        return week_of(self.start + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def week_of(day: date) -> IsoWeek:
    y, w, _ = day.isocalendar()
    return IsoWeek(y, w)


def iso_week(year: int, week: int) -> IsoWeek:
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(f"{year} has no ISO week {week}.") from None
    return IsoWeek(year, week)


def parse_week(text: str | None, today: date) -> IsoWeek:
    """``2026-W47``/``2026W47``/``W47`` (this year)/``this``/``last``/``next``, or any date form in the week."""
    raw = re.sub(r"\s+", "", (text or "").strip().lower())
    if raw in ("", "this", "current"):
        return week_of(today)
    if raw in ("last", "previous", "prev"):
        return week_of(today - timedelta(days=7))
    if raw == "next":
        return week_of(today + timedelta(days=7))
    m = _WEEK.match(raw)
    if m:
        year = int(m.group(1)) if m.group(1) else today.isocalendar()[0]
        return iso_week(year, int(m.group(2)))
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        day = parse_date_input(text or "", today, allow_auto=False)
    except DateInputError:
        raise WeekError(f"'{(text or '').strip()}' is not a week. Use {WEEK_FORMS}.") from None
    assert isinstance(day, date)  # allow_auto=False: never AUTO
    return week_of(day)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The start of a local calendar day in ``tz`` (a pendulum/zoneinfo timezone), as aware UTC."""
    import pendulum

    start = pendulum.datetime(day.year, day.month, day.day, tz=tz).in_timezone("UTC")
    return datetime(start.year, start.month, start.day, start.hour, start.minute, start.second, tzinfo=UTC)


def utc_range(first_day: date, end_day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Local days ``first_day`` up to (excluding) ``end_day`` as a half-open UTC interval."""
    return local_midnight(first_day, tz), local_midnight(end_day, tz)


def local_date(value: datetime, tz: tzinfo) -> date:
    """A stored (UTC, naive or aware) timestamp as a local calendar date (``tz``: any tzinfo)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).date()
