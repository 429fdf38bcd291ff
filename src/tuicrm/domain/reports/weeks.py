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
    """The start of a local calendar day in ``tz`` (a pendulum/zoneinfo timezone), as aware UTC:
    ``pendulum.datetime(y, m, d, tz=tz).in_timezone("UTC")`` without importing pendulum (~30 ms
    of a report): midnight read the second time when the clocks go back over it (pendulum's
    ``fold=1``), moved on by the gap when they skip it."""
    start = datetime(day.year, day.month, day.day, fold=1)
    before, after = tz.utcoffset(start.replace(fold=0)), tz.utcoffset(start)
    if before is not None and after is not None and after > before:
        start = start + (after - before)  # (the standard library's sum: fold 0, as pendulum's)
    utc = start.replace(tzinfo=tz).astimezone(UTC)
    return datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, tzinfo=UTC)


def utc_range(first_day: date, end_day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Local days ``first_day`` up to (excluding) ``end_day`` as a half-open UTC interval."""
    return local_midnight(first_day, tz), local_midnight(end_day, tz)


def local_date(value: datetime, tz: tzinfo) -> date:
    """A stored (UTC, naive or aware) timestamp as a local calendar date (``tz``: any tzinfo)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).date()


DATE_TEXT = len("2026-11-22")  # a stored time's date part


def usual_stamp(stored: object) -> bool:
    """A stored time in the form every writer uses: naive UTC to the microsecond,
    ``"2026-11-22 09:00:00.000000"`` (two of them compare as text as they do as times)."""
    return isinstance(stored, str) and len(stored) == 26 and stored[10] == " " and stored[19] == "."


class LocalDays:
    """``local_date`` of stored times, for tens of thousands of them (a report's last activities).

    The offset of ``tz`` is looked up once per UTC day: when it is the same at the day's start,
    middle and end, a time's local date is that day's or its neighbour's, told apart by comparing
    the time of day as text with the one where the local date turns. A day with a change of offset,
    and a time not in the usual stored form, go through ``local_date``."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._days: dict[str, tuple[str, date, date] | None] = {}

    def __call__(self, stored: object) -> date:
        if usual_stamp(stored):
            assert isinstance(stored, str)
            key = stored[:DATE_TEXT]
            if key in self._days:
                plan = self._days[key]
            else:
                plan = self._days[key] = self._plan(key)
            if plan is not None:
                turn, before, after = plan
                return after if stored[11:] >= turn else before
        return local_date(datetime.fromisoformat(str(stored)), self.tz)

    def _plan(self, day_text: str) -> tuple[str, date, date] | None:
        """(time of day the local date turns at, local date before it, after it), or None: the
        offset changes during that UTC day."""
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return None
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        offsets = {
            (start + at).astimezone(self.tz).utcoffset()
            for at in (timedelta(0), timedelta(hours=12), timedelta(days=1, microseconds=-1))
        }
        if len(offsets) != 1:
            return None
        offset = offsets.pop()
        if offset is None:
            return None
        one_day = timedelta(days=1)
        if offset >= timedelta(0):
            # From ``one_day - offset`` on, the local clock is past midnight: the next day.
            return _time_text(one_day - offset), day, day + one_day
        return _time_text(-offset), day - one_day, day  # before ``-offset``: still the day before


def _time_text(of_day: timedelta) -> str:
    """A time of day as the stored form writes it (``"16:00:00.000000"``); a whole day: after every time."""
    if of_day >= timedelta(days=1):
        return "~"  # sorts after any "HH:MM:SS.ffffff"
    micros = of_day // timedelta(microseconds=1)
    seconds, micro = divmod(micros, 1_000_000)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{micro:06d}"
