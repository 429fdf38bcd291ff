"""Issue #16: the dormant status (休眠) and its cadence, read from config."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tuicrm.config import DEFAULT, STATUSES
from tuicrm.domain.cadence import cadence_interval, next_follow_up
from tuicrm.records import replace


def test_dormant_is_a_status_with_a_90_day_cadence():
    assert "dormant" in STATUSES
    assert DEFAULT.cadence_days["dormant"] == 90
    assert set(DEFAULT.cadence_days) == set(STATUSES)


@pytest.mark.parametrize(
    ("tier", "days"), [("A", 7), ("B", 90), ("C", 90), ("D", 90)]
)  # A is held to at most 7 days; C's minimum of 14 is below 90
def test_dormant_cadence_by_tier(tier, days):
    assert cadence_interval("dormant", tier, DEFAULT) == days
    # A Wednesday whose +7 and +90 days are plain working days (moves: tests/domain/test_workdays.py).
    assert next_follow_up("dormant", tier, date(2026, 6, 3), DEFAULT) == date(2026, 6, 3) + timedelta(days)


def test_the_config_file_sets_the_dormant_cadence(tmp_path, monkeypatch):
    from tuicrm.config import load_config

    path = tmp_path / "config.toml"
    path.write_text("[cadence_days]\ndormant = 60\n")
    assert load_config(path).cadence_days["dormant"] == 60
    assert replace(DEFAULT).cadence_days["dormant"] == 90


def test_a_dormant_customers_next_follow_up_is_90_days_after_logging(cli, db_path):
    now = "2026-06-03T09:00"  # a Wednesday
    assert (
        cli(db_path, "add", "customer", "Sleepy Co", "--status", "dormant", "--tier", "B", now=now).returncode
        == 0
    )
    r = cli(db_path, "log", "Sleepy", "checked in, no project this year", "--json", now=now)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["next_on"] == "2026-09-01"  # 2026-06-03 + 90 days, a Tuesday
    cli(db_path, "edit", "Sleepy", "--status", "intent", now=now)
    r = cli(db_path, "log", "Sleepy", "they called back", "--json", now=now)
    # intent: 3 days is Saturday 2026-06-06, not a working day: the Monday after.
    assert json.loads(r.stdout)["next_on"] == "2026-06-08"


def test_dormant_filters_and_lists(cli, db_path):
    cli(db_path, "add", "customer", "Sleepy Co", "--status", "DORMANT")
    cli(db_path, "add", "customer", "Busy Co", "--status", "intent")
    r = cli(db_path, "add", "customer", "Bad Co", "--status", "asleep")
    assert r.returncode == 2 and "dormant" in r.stderr
    rows = json.loads(cli(db_path, "find", "co", "--json").stdout)
    assert {row["name"]: row["status"] for row in rows} == {"Sleepy Co": "dormant", "Busy Co": "intent"}
