"""After the deal (issue #18): working days, complaint deadlines by severity, reminder windows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tuicrm.config import DEFAULT, CareConfig
from tuicrm.domain.complaints import (
    ComplaintError,
    check_satisfaction,
    check_severity,
    deadline,
    is_overdue,
    resolved_on_time,
)
from tuicrm.domain.reminders import next_occurrence, once_within, yearly_within
from tuicrm.domain.workdays import add_working_days, add_working_days_at

# 2026-12-07 is a Monday.
MON, FRI, SAT, SUN = date(2026, 12, 7), date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 13)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (MON, 0, MON),
        (MON, 1, date(2026, 12, 8)),
        (MON, 3, date(2026, 12, 10)),
        (MON, 5, date(2026, 12, 14)),
        (FRI, 1, date(2026, 12, 14)),
        (FRI, 3, date(2026, 12, 16)),
        (SAT, 1, date(2026, 12, 14)),
        (SUN, 1, date(2026, 12, 14)),
        (MON, 7, date(2026, 12, 16)),
        (FRI, -2, FRI),
    ],
)
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected
    assert add_working_days(start, days).weekday() < 5 or days <= 0


def test_add_working_days_at_keeps_the_time():
    at = datetime(2026, 12, 11, 15, 30, tzinfo=UTC)
    assert add_working_days_at(at, 1) == datetime(2026, 12, 14, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("opened", "severity", "expected"),
    [
        (datetime(2026, 12, 7, 10, 0), "high", datetime(2026, 12, 8, 10, 0)),
        (datetime(2026, 12, 11, 10, 0), "high", datetime(2026, 12, 12, 10, 0)),  # hours: weekends count
        (datetime(2026, 12, 7, 10, 0), "medium", datetime(2026, 12, 10, 10, 0)),
        (datetime(2026, 12, 11, 10, 0), "medium", datetime(2026, 12, 16, 10, 0)),
        (datetime(2026, 12, 7, 10, 0), "low", datetime(2026, 12, 16, 10, 0)),
        (datetime(2026, 12, 12, 9, 0), "low", datetime(2026, 12, 22, 9, 0)),
    ],
)
def test_deadline_by_severity(opened, severity, expected):
    assert deadline(opened, severity, DEFAULT.care) == expected


def test_deadline_numbers_come_from_config():
    care = CareConfig(complaint_hours={"high": 4}, complaint_working_days={"medium": 1, "low": 2})
    opened = datetime(2026, 12, 7, 10, 0)
    assert deadline(opened, "high", care) == datetime(2026, 12, 7, 14, 0)
    assert deadline(opened, "medium", care) == datetime(2026, 12, 8, 10, 0)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("high", "high"), ("HIGH ", "high"), ("中", "medium"), ("低", "low"), (None, "medium")],
)
def test_severity_words(word, expected):
    assert check_severity(word) == expected


@pytest.mark.parametrize("bad", ["urgent", "严重"])
def test_unknown_severity_refused(bad):
    with pytest.raises(ComplaintError):
        check_severity(bad)


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), (1, 1), ("5", 5)])
def test_satisfaction_taken(value, expected):
    assert check_satisfaction(value) == expected


@pytest.mark.parametrize("bad", [0, 6, "x", -1])
def test_satisfaction_refused(bad):
    with pytest.raises(ComplaintError):
        check_satisfaction(bad)


NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "deadline_at", "expected"),
    [
        ("open", datetime(2026, 12, 7, 11, 0, tzinfo=UTC), True),
        ("in-progress", datetime(2026, 12, 7, 12, 0, tzinfo=UTC), True),
        ("open", datetime(2026, 12, 7, 13, 0, tzinfo=UTC), False),
        ("resolved", datetime(2026, 12, 6, 12, 0, tzinfo=UTC), False),
        ("open", None, False),
    ],
)
def test_overdue(status, deadline_at, expected):
    assert is_overdue(status, deadline_at, NOW) is expected


def test_resolved_on_time():
    due = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert resolved_on_time(due, datetime(2026, 12, 8, 10, 0, tzinfo=UTC)) is True
    assert resolved_on_time(due, datetime(2026, 12, 8, 10, 1, tzinfo=UTC)) is False
    assert resolved_on_time(due, None) is None


TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("day", "ahead", "expected"),
    [
        (date(1985, 12, 9), 3, date(2026, 12, 9)),  # 2 days ahead
        (date(1985, 12, 7), 3, date(2026, 12, 7)),  # today
        (date(1985, 12, 10), 3, date(2026, 12, 10)),  # the window's last day
        (date(1985, 12, 11), 3, None),  # one day too far
        (date(1985, 12, 6), 3, None),  # yesterday: next year, far away
        (date(1985, 12, 11), 5, date(2026, 12, 11)),
        (date(2026, 12, 8), 3, None),  # the date itself, not yet a yearly one
        (date(2025, 12, 8), 3, date(2026, 12, 8)),  # first signing anniversary
        (None, 3, None),
    ],
)
def test_yearly_window(day, ahead, expected):
    assert yearly_within(day, TODAY, ahead) == expected


def test_new_year_and_leap_day():
    assert yearly_within(date(1990, 1, 1), date(2026, 12, 30), 3) == date(2027, 1, 1)
    assert next_occurrence(date(1992, 2, 29), date(2027, 2, 1)) == date(2027, 2, 28)
    assert next_occurrence(date(1992, 2, 29), date(2028, 2, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 7), date(2026, 12, 7)),
        (date(2027, 1, 6), date(2027, 1, 6)),  # 30 days ahead
        (date(2027, 1, 7), None),  # 31
        (date(2026, 12, 6), None),  # passed
        (None, None),
    ],
)
def test_renewal_window(day, expected):
    assert once_within(day, TODAY, DEFAULT.care.renewal_days_ahead) == expected


class _Row:
    def __init__(self, opened, resolved=None, deadline=None, cause=None, satisfaction=None):
        self.opened_at, self.resolved_at, self.deadline_at = opened, resolved, deadline
        self.cause, self.satisfaction, self.severity = cause, satisfaction, "medium"


def _t(day, hour=10):
    return datetime(2026, 12, day, hour, 0, tzinfo=UTC)


def test_complaints_report_counts_on_time_and_causes():
    from tuicrm.domain.reports.complaints import complaints_report

    rows = [
        _Row(_t(1), _t(2), _t(3), "物流", 4),  # on time
        _Row(_t(1), _t(4), _t(3), "物流", 2),  # late
        _Row(_t(2), None, _t(5), "质量"),  # open
        _Row(_t(20), None, _t(22), "质量"),  # outside the period
    ]
    report = complaints_report(rows, date(2026, 12, 1), date(2026, 12, 10))
    assert (report.opened, report.resolved, report.resolved_on_time) == (3, 2, 1)
    assert report.on_time_rate == 50.0 and report.satisfaction_avg == 3.0
    assert report.by_cause == [("物流", 2), ("质量", 1)]
    assert complaints_report([], date(2026, 12, 1), date(2026, 12, 10)).on_time_rate is None


def test_the_config_file_sets_the_care_numbers():
    from datetime import datetime

    from tuicrm.config import ConfigError, config_from_mapping
    from tuicrm.domain.complaints import deadline

    care = config_from_mapping(
        {"care": {"complaint_hours": {"medium": 8}, "birthday_days_ahead": 7, "revisit_working_days": 2}}
    ).care
    assert (care.birthday_days_ahead, care.revisit_working_days) == (7, 2)
    opened = datetime(2026, 11, 23, 9, 0)  # a Monday
    assert deadline(opened, "medium", care) == datetime(2026, 11, 23, 17, 0)
    assert deadline(opened, "high", care) == datetime(2026, 11, 24, 9, 0)  # the default stays
    for bad in (
        {"care": {"soon": 1}},
        {"care": {"complaint_hours": {"urgent": 2}}},
        {"care": {"reassess_days": 0}},
    ):
        with pytest.raises(ConfigError, match="care"):
            config_from_mapping(bad)


@pytest.mark.parametrize(
    ("today", "days", "before"),
    [(date(2026, 11, 22), 91, date(2026, 8, 23)), (date(2026, 3, 1), 1, date(2026, 2, 28))],
)
def test_reassess_before_is_the_day_the_window_opens(today, days, before):
    from tuicrm.domain.tiers import reassess_before

    assert reassess_before(today, days) == before


@pytest.mark.parametrize(
    ("severity", "deadline", "line"),
    [
        ("high", None, "open complaint K000003 (high)"),
        ("low", datetime(2026, 12, 8, 15, tzinfo=UTC), "open complaint K000003 (low), deadline "),
    ],
)
def test_open_complaint_why(severity, deadline, line):
    from tuicrm.domain.complaints import open_complaint_why

    now = datetime(2026, 12, 8, 10, tzinfo=UTC)
    text = open_complaint_why("K000003", severity, deadline, now)
    assert text.startswith(line)
    assert text.endswith("5 h left") == (deadline is not None)
