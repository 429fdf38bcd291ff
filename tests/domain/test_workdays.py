"""Working days (issue #19), with dates taken from the holiday package's own data."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as CN_HOLIDAYS
from chinese_calendar.constants import workdays as CN_WORKDAYS

from tuicrm.config import DEFAULT, ConfigError, WorkdaysConfig, config_from_mapping
from tuicrm.domain.cadence import cadence_interval, next_follow_up
from tuicrm.domain.dates import is_counted
from tuicrm.domain.workdays import settle, work_calendar
from tuicrm.records import replace

LAST_YEAR = max(d.year for d in CN_HOLIDAYS)
CN = work_calendar(WorkdaysConfig())


def national_day_holiday(year: int = LAST_YEAR) -> list[date]:
    """The National Day days off of ``year`` in the package's data, in order."""
    days = sorted(
        d for d, name in CN_HOLIDAYS.items() if d.year == year and name == Holiday.national_day.value
    )
    assert days, f"the package lists no National Day for {year}"
    return days


def first_worked_after(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def last_worked_before(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def test_an_automatic_date_inside_national_day_moves_to_the_first_working_day_after():
    holiday = national_day_holiday()
    config = replace(DEFAULT, tier_max_interval={})  # no tier bound in the way
    interval = cadence_interval("potential", "B", config)
    assert interval is not None
    logged_on = holiday[1] - timedelta(days=interval)  # the calendar date falls in the holiday
    got = next_follow_up("potential", "B", logged_on, config)
    assert got == first_worked_after(holiday[1])
    assert got is not None and got > holiday[-1] and chinese_calendar.is_workday(got)


def test_a_weekend_make_up_day_counts_as_a_working_day():
    make_up = sorted(d for d in CN_WORKDAYS if d.year == LAST_YEAR and d.weekday() >= 5)
    assert make_up, "the package lists no 调休 weekend day"
    day = make_up[0]
    assert CN.is_working_day(day)
    assert CN.on_or_after(day) == day
    interval = cadence_interval("intent", "B", DEFAULT)
    assert interval is not None
    assert next_follow_up("intent", "B", day - timedelta(days=interval), DEFAULT) == day


def test_tier_a_never_passes_its_bound_it_moves_back_to_the_last_working_day():
    holiday = national_day_holiday()
    upper = DEFAULT.tier_max_interval["A"]
    logged_on = holiday[2] - timedelta(days=upper)  # the bound's date is a holiday day
    got = next_follow_up("potential", "A", logged_on, DEFAULT)
    assert got == last_worked_before(holiday[2])
    assert got is not None and logged_on < got <= logged_on + timedelta(days=upper)


def test_a_plain_weekend_moves_to_monday_and_off_means_calendar_days():
    saturday = next(
        d
        for d in (date(LAST_YEAR, 3, 1) + timedelta(days=n) for n in range(60))
        if d.weekday() == 5 and d not in CN_HOLIDAYS and d not in CN_WORKDAYS
    )
    interval = cadence_interval("intent", "B", DEFAULT)
    assert interval is not None
    logged_on = saturday - timedelta(days=interval)
    assert next_follow_up("intent", "B", logged_on, DEFAULT) == first_worked_after(saturday)
    off = replace(DEFAULT, workdays=WorkdaysConfig(enabled=False))
    assert next_follow_up("intent", "B", logged_on, off) == saturday


def test_a_year_the_package_does_not_cover_falls_back_to_weekends():
    year = LAST_YEAR + 1
    assert not CN.covers(year) and CN.covers(LAST_YEAR)
    assert CN.uncovered_years(range(LAST_YEAR, year + 1)) == [year]
    new_year = date(year, 1, 1)
    assert CN.is_working_day(new_year) == (new_year.weekday() < 5)  # no holiday known: weekdays work
    weekends_only = work_calendar(WorkdaysConfig(country="none"))
    assert weekends_only.covers(LAST_YEAR)
    assert weekends_only.is_working_day(national_day_holiday()[0]) == (
        national_day_holiday()[0].weekday() < 5
    )


def test_working_days_are_counted_over_a_holiday():
    holiday = national_day_holiday()
    before = last_worked_before(holiday[0])
    assert CN.add_working_days(before, 1) == first_worked_after(holiday[0])
    assert CN.add_working_days(before, 0) == before


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("+1w", True),
        ("+3d", True),
        ("next week", True),
        ("+1m", True),
        ("-1d", False),
        ("fri", False),
        ("2026-10-03", False),
    ],
)
def test_counted_dates(text, counted):
    assert is_counted(text) is counted


def test_a_counted_snooze_moves_and_a_typed_holiday_is_kept_with_a_note():
    holiday = national_day_holiday()
    day, note = settle("+1w", holiday[0], WorkdaysConfig())
    assert day == first_worked_after(holiday[0]) and note is None
    day, note = settle(holiday[0].isoformat(), holiday[0], WorkdaysConfig())
    assert day == holiday[0]
    assert note is not None and holiday[0].isoformat() in note and "National Day" in note
    assert settle(holiday[0].isoformat(), holiday[0], WorkdaysConfig(enabled=False)) == (holiday[0], None)


def test_the_workdays_table_in_the_config_file():
    config = config_from_mapping({"workdays": {"enabled": False, "country": "none"}})
    assert config.workdays == WorkdaysConfig(enabled=False, country="none")
    assert config_from_mapping({"workdays": {"country": "de"}}).workdays.country == "DE"
    for bad in ({"enabled": "yes"}, {"country": "China"}, {"holidays": 3}):
        with pytest.raises(ConfigError, match="workdays"):
            config_from_mapping({"workdays": bad})


def test_working_day_deadlines_skip_the_holiday_and_keep_the_time():
    from datetime import datetime

    from tuicrm.domain.workdays import add_working_days, add_working_days_at, is_working_day

    holiday = national_day_holiday()
    before = last_worked_before(holiday[0])
    assert not is_working_day(holiday[0]) and is_working_day(before)
    assert add_working_days(before, 1) == first_worked_after(holiday[0])
    at = datetime(before.year, before.month, before.day, 15, 30)
    assert add_working_days_at(at, 1) == datetime.combine(first_worked_after(holiday[0]), at.time())
    weekends_only = WorkdaysConfig(country="none")
    assert is_working_day(holiday[0], weekends_only) == (holiday[0].weekday() < 5)
