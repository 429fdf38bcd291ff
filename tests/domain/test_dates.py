from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuicrm.domain.dates import AUTO, DateInputError, add_months, parse_date_input, relative_label

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", date(2026, 11, 22)),
        ("TODAY", date(2026, 11, 22)),
        ("tomorrow", date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 21)),
        ("+3d", date(2026, 11, 25)),
        ("+ 3d", date(2026, 11, 25)),
        ("+2w", date(2026, 12, 6)),
        ("+1m", date(2026, 12, 22)),
        ("-1d", date(2026, 11, 21)),
        ("+1y", date(2027, 11, 22)),
        ("mon", date(2026, 11, 23)),
        ("friday", date(2026, 11, 27)),
        ("sun", date(2026, 11, 29)),  # the next Sunday, never today
        ("next week", date(2026, 11, 23)),
        ("2026-12-01", date(2026, 12, 1)),
        ("12-01", date(2026, 12, 1)),
        ("11-22", date(2026, 11, 22)),  # today is not past
        ("01-15", date(2027, 1, 15)),  # already past this year: next year
        ("auto", AUTO),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date_input(text, SUNDAY) == expected


def test_month_arithmetic_clamps_the_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_next_week_from_a_monday_is_the_following_monday():
    assert parse_date_input("next week", date(2026, 11, 23)) == date(2026, 11, 30)


@pytest.mark.parametrize("text", ["someday", "", "   ", "2026-13-45", "13-40", "+3x", "next month please"])
def test_bad_input_names_the_accepted_forms(text):
    with pytest.raises(DateInputError) as err:
        parse_date_input(text, SUNDAY)
    assert "+3d" in str(err.value) and "today" in str(err.value)


def test_auto_can_be_refused():
    with pytest.raises(DateInputError):
        parse_date_input("auto", SUNDAY, allow_auto=False)


@pytest.mark.parametrize(
    "target, label",
    [
        (date(2026, 11, 19), "3 days overdue"),
        (date(2026, 11, 21), "1 day overdue"),
        (SUNDAY, "due today"),
        (date(2026, 11, 23), "tomorrow"),
        (date(2026, 11, 24), "in 2 days"),
        (None, "no follow-up set"),
    ],
)
def test_relative_labels(target, label):
    assert relative_label(target, SUNDAY) == label


@given(st.text(max_size=40))
def test_never_anything_but_a_date_or_a_clear_error(text):
    try:
        result = parse_date_input(text, SUNDAY)
    except DateInputError as exc:
        assert str(exc)
    else:
        assert result == AUTO or isinstance(result, date)


def test_clock_is_pinned_by_env(monkeypatch):
    from tuicrm import clock

    monkeypatch.setenv("TUICRM_NOW", "2026-11-26T08:30")
    assert clock.today() == date(2026, 11, 26)
    monkeypatch.setenv("TUICRM_NOW", "2026-12-01")
    assert clock.today() == date(2026, 12, 1)
    monkeypatch.setenv("TUICRM_NOW", "not a date")
    with pytest.raises(ValueError):
        clock.today()


@pytest.mark.parametrize(
    "text",
    ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01", "+100000d", "+99999999999999999999d", "-1000y"],
)
def test_dates_outside_1900_2199_are_refused_with_the_range(text):
    with pytest.raises(DateInputError) as err:
        parse_date_input(text, SUNDAY)
    assert "1900" in str(err.value) and "2199" in str(err.value)


@pytest.mark.parametrize(
    "text, expected", [("1900-01-01", date(1900, 1, 1)), ("2199-12-31", date(2199, 12, 31))]
)
def test_the_bounds_themselves_are_accepted(text, expected):
    assert parse_date_input(text, SUNDAY) == expected


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "Europe/London", "UTC"])
@pytest.mark.parametrize(
    "stored",
    [
        datetime(2026, 12, 6, 15, 59, 59),  # naive: stored UTC, 23:59:59 in Shanghai
        datetime(2026, 12, 6, 16, 0, 0, tzinfo=UTC),  # midnight in Shanghai
        datetime(2026, 3, 8, 6, 59, tzinfo=UTC),  # New York's spring-forward night
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # and its fall-back hour
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # London's clocks go forward
    ],
)
def test_local_date_is_to_local_date(monkeypatch, zone, stored):
    """The fast local date (the boards' and reports' thousands) is pendulum's, in every zone."""
    import pendulum

    from tuicrm import clock

    monkeypatch.setattr(clock, "_local_timezone", lambda: pendulum.timezone(zone))
    assert clock.local_date(stored) == clock.to_local(stored).date()
