"""Working days (issue #19): automatic dates skip weekends and public holidays.

Mainland China (country "CN") comes from the chinese-calendar package: the State Council's
yearly notice of holidays and of the weekend days worked to make up for them (调休), which
count as working days. The package refuses a year it has no notice for; such a year falls back
to weekends only, and ``uncovered_years`` names it for ``tuicrm check``. Another two-letter
country comes from the ``holidays`` package when it is installed (weekends only when not);
"none" is weekends only; ``enabled = false`` makes every day a working day.

Pure: no clock, no database. The calendar is built once per setting (``work_calendar``).
The module-level ``is_working_day`` / ``add_working_days`` / ``add_working_days_at`` take the
settings (``config.workdays``); without them, the defaults (mainland China, on).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from tuicrm.config import WorkdaysConfig
from tuicrm.records import record

TYPE_CHECKING = False  # ``typing`` and ``dataclasses`` stay out of ``tuicrm due`` (~15 ms)
if TYPE_CHECKING:
    from typing import Any


@record(frozen=True)
class WorkCalendar:
    settings: WorkdaysConfig

    @property
    def source(self) -> str:
        """Where the holidays come from, for ``tuicrm check``."""
        if not self.settings.enabled:
            return "off"
        if self._backend() is None:
            return "weekends only"
        return "chinese-calendar" if self.settings.country == "CN" else "holidays"

    def _backend(self) -> Any:
        return _backend(self.settings.country) if self.settings.enabled else None

    def _known(self, day: date) -> bool | None:
        """Whether the holiday data says ``day`` is worked; None when it has no data for it."""
        backend = self._backend()
        if backend is None:
            return None
        if self.settings.country == "CN":
            try:
                return bool(backend.is_workday(day))
            except NotImplementedError:  # no notice for that year yet
                return None
        if not backend.start_year <= day.year <= backend.end_year:
            return None
        return day not in backend and day.weekday() not in self.settings.weekend

    def covers(self, year: int) -> bool:
        """True when the holiday data knows ``year`` (or none is asked for)."""
        if not self.settings.enabled or self.settings.country == "none":
            return True
        return self._known(date(year, 6, 30)) is not None

    def is_working_day(self, day: date) -> bool:
        if not self.settings.enabled:
            return True
        known = self._known(day)
        return day.weekday() not in self.settings.weekend if known is None else known

    def holiday_name(self, day: date) -> str | None:
        """The holiday ``day`` falls in, by the package's name; None on a working day or a
        plain weekend."""
        if self.is_working_day(day) or self._known(day) is None:
            return None
        backend = self._backend()
        if self.settings.country == "CN":
            _is_holiday, name = backend.get_holiday_detail(day)
            return str(name) if name else None
        name = backend.get(day)
        return str(name) if name else None

    def on_or_after(self, day: date) -> date:
        """``day`` when it is a working day, else the first working day after it."""
        for n in range(self.settings.search_days + 1):
            candidate = day + timedelta(days=n)
            if self.is_working_day(candidate):
                return candidate
        return day

    def on_or_before(self, day: date) -> date:
        """``day`` when it is a working day, else the last working day before it."""
        for n in range(self.settings.search_days + 1):
            candidate = day - timedelta(days=n)
            if self.is_working_day(candidate):
                return candidate
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """``n`` working days after ``day`` (a deadline "within n working days")."""
        out = day
        for _ in range(max(0, n)):
            out = self.on_or_after(out + timedelta(days=1))
        return out

    def uncovered_years(self, years: range) -> list[int]:
        return [y for y in years if not self.covers(y)]


@lru_cache(maxsize=8)
def _backend(country: str) -> Any:
    """The holiday data for ``country``; None for weekends only (or the package missing)."""
    if country == "none":
        return None
    if country == "CN":
        import chinese_calendar

        return chinese_calendar
    try:
        import holidays  # optional: other countries
    except ImportError:
        return None
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:  # a code the package does not know
        return None


@lru_cache(maxsize=8)
def work_calendar(settings: WorkdaysConfig) -> WorkCalendar:
    return WorkCalendar(settings)


def automatic(day: date, settings: WorkdaysConfig) -> date:
    """An automatic date moved to a working day (forward)."""
    return work_calendar(settings).on_or_after(day)


def holiday_note(day: date, settings: WorkdaysConfig) -> str | None:
    """One line when a date the rep typed is not a working day (the date is kept)."""
    from tuicrm.i18n import _

    calendar = work_calendar(settings)
    if calendar.is_working_day(day):
        return None
    name = calendar.holiday_name(day)
    if name:
        return _("Note: {date} is a public holiday ({name}); kept as typed.").format(
            date=day.isoformat(), name=name
        )
    return _("Note: {date} is not a working day; kept as typed.").format(date=day.isoformat())


def settle(text: str, day: date, settings: WorkdaysConfig) -> tuple[date, str | None]:
    """A date the rep typed as ``text``: counted forward (``+1w``) it moves to a working day;
    named outright it is kept, with a one-line note when it is not a working day."""
    from tuicrm.domain.dates import is_counted

    if is_counted(text):
        return automatic(day, settings), None
    return day, holiday_note(day, settings)


def is_working_day(day: date, settings: WorkdaysConfig | None = None) -> bool:
    return work_calendar(settings or WorkdaysConfig()).is_working_day(day)


def add_working_days(start: date, days: int, settings: WorkdaysConfig | None = None) -> date:
    """The day ``days`` working days after ``start`` (``days`` <= 0: ``start`` itself): a
    deadline "within 3 working days" skips weekends and holidays, and counts a 调休 Saturday."""
    return work_calendar(settings or WorkdaysConfig()).add_working_days(start, days)


def add_working_days_at(start: datetime, days: int, settings: WorkdaysConfig | None = None) -> datetime:
    """``add_working_days`` keeping the time of day (and zone) of ``start``."""
    return datetime.combine(add_working_days(start.date(), days, settings), start.timetz())


__all__ = [
    "WorkCalendar",
    "add_working_days",
    "add_working_days_at",
    "automatic",
    "holiday_note",
    "is_working_day",
    "settle",
    "work_calendar",
]
