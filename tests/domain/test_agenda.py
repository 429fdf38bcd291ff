"""The activity plan's pure rules (issue #17): groups, overdue, conflicts, durations, week KPI, --at."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tuicrm.config import AgendaConfig
from tuicrm.domain.agenda import (
    Slot,
    conflicts,
    default_duration,
    group_of,
    grouped,
    is_overdue,
    parse_when,
    week_kpi,
)
from tuicrm.domain.dates import DateInputError

NOW = datetime(2026, 12, 9, 9, 30)  # a Wednesday
CFG = AgendaConfig()


@pytest.mark.parametrize(
    ("start", "group"),
    [
        (datetime(2026, 12, 8, 10, 0), "today"),  # earlier: shown with today (overdue when planned)
        (datetime(2026, 12, 9, 8, 0), "today"),
        (datetime(2026, 12, 9, 23, 59), "today"),
        (datetime(2026, 12, 10, 0, 0), "week"),
        (datetime(2026, 12, 13, 18, 0), "week"),  # Sunday
        (datetime(2026, 12, 14, 0, 0), "later"),  # next Monday
    ],
)
def test_group_of(start: datetime, group: str) -> None:
    assert group_of(start, NOW) == group


def test_grouped_keeps_start_order() -> None:
    slots = [Slot(2, NOW + timedelta(hours=2), None, "planned"), Slot(1, NOW, None, "planned")]
    assert [s.id for s in grouped(slots, NOW)["today"]] == [1, 2]


@pytest.mark.parametrize(
    ("status", "start", "overdue"),
    [
        ("planned", NOW - timedelta(minutes=1), True),
        ("planned", NOW, False),
        ("planned", NOW + timedelta(hours=1), False),
        ("in-progress", NOW - timedelta(hours=3), False),
        ("done", NOW - timedelta(days=2), False),
        ("cancelled", NOW - timedelta(days=2), False),
    ],
)
def test_is_overdue(status: str, start: datetime, overdue: bool) -> None:
    assert is_overdue(status, start, NOW) is overdue


@pytest.mark.parametrize(
    ("kind", "minutes"), [("visit", 120), ("call", 30), ("demo", 90), ("other", 60), ("unknown", 60)]
)
def test_default_duration(kind: str, minutes: int) -> None:
    assert default_duration(kind, CFG) == timedelta(minutes=minutes)


def _at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 12, 9, h, m)


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        # a visit at 10:00 with no end lasts 2 h: a call at 11:00 clashes
        (
            [Slot(1, _at(10), None, "planned", "visit"), Slot(2, _at(11), None, "planned", "call")],
            {1: [2], 2: [1]},
        ),
        # touching ends do not clash
        ([Slot(1, _at(10), _at(11), "planned"), Slot(2, _at(11), _at(12), "planned")], {}),
        # a cancelled or done one takes no time
        ([Slot(1, _at(10), _at(12), "cancelled"), Slot(2, _at(11), _at(12), "planned")], {}),
        ([Slot(1, _at(10), _at(12), "done"), Slot(2, _at(11), _at(12), "planned")], {}),
        # one long meeting overlapping two others
        (
            [
                Slot(1, _at(9), _at(17), "in-progress"),
                Slot(2, _at(10), _at(10, 30), "planned"),
                Slot(3, _at(15), _at(16), "planned"),
            ],
            {1: [2, 3], 2: [1], 3: [1]},
        ),
        # a call (30 min) at 10:00 then something at 10:30
        ([Slot(1, _at(10), None, "planned", "call"), Slot(2, _at(10, 30), None, "planned", "call")], {}),
    ],
)
def test_conflicts(slots: list[Slot], expected: dict[int, list[int]]) -> None:
    assert conflicts(slots, CFG) == expected


@pytest.mark.parametrize(
    ("statuses", "planned", "done", "rate"),
    [
        ([], 0, 0, None),
        (["done", "done", "planned", "cancelled"], 3, 2, 0.6667),
        (["done"], 1, 1, 1.0),
        (["planned", "in-progress"], 2, 0, 0.0),
    ],
)
def test_week_kpi(statuses: list[str], planned: int, done: int, rate: float | None) -> None:
    kpi = week_kpi(statuses)
    assert (kpi.planned, kpi.done, kpi.completion_rate) == (planned, done, rate)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 10:00", datetime(2026, 12, 10, 10, 0)),
        ("fri 14:30", datetime(2026, 12, 11, 14, 30)),
        ("wed", datetime(2026, 12, 16, 9, 0)),  # a day without a time: the default hour, ahead
        ("14:30", datetime(2026, 12, 9, 14, 30)),
        ("8:05", datetime(2026, 12, 9, 8, 5)),  # earlier today is allowed (a past plan)
        ("2026-12-20 09:15", datetime(2026, 12, 20, 9, 15)),
        ("2026-12-20T09:15", datetime(2026, 12, 20, 9, 15)),
        ("+2d  16:00", datetime(2026, 12, 11, 16, 0)),
        ("12-01 10:00", datetime(2027, 12, 1, 10, 0)),  # month-day looks ahead
        ("now", datetime(2026, 12, 9, 9, 30)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, CFG) == expected


@pytest.mark.parametrize("text", ["", "25:00", "soon", "tomorrow 9:75", "auto"])
def test_parse_when_refuses(text: str) -> None:
    with pytest.raises(DateInputError):
        parse_when(text, NOW, CFG)


def test_agenda_settings_come_from_the_config_file() -> None:
    from tuicrm.config import ConfigError, config_from_mapping

    config = config_from_mapping({"agenda": {"duration_minutes": {"visit": 90}, "reminder_hours": 2}})
    assert config.agenda.duration_minutes["visit"] == 90 and config.agenda.duration_minutes["call"] == 30
    assert config.agenda.reminder_hours == 2
    with pytest.raises(ConfigError, match="agenda.soon"):
        config_from_mapping({"agenda": {"soon": 1}})
    with pytest.raises(ConfigError, match="agenda.default_hour"):
        config_from_mapping({"agenda": {"default_hour": 25}})
