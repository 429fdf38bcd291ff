"""Working days in the command line (issue #19): the note on a typed holiday, `+1w` on a working
day, and `tuicrm check` naming the years the holiday data lacks. Dates from the package's data."""

from __future__ import annotations

import json
from datetime import timedelta

from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as CN_HOLIDAYS

LAST_YEAR = max(d.year for d in CN_HOLIDAYS)
NATIONAL_DAY = sorted(
    d for d, name in CN_HOLIDAYS.items() if d.year == LAST_YEAR and name == Holiday.national_day.value
)


def test_snooze_and_log_keep_a_typed_holiday_with_a_note_and_move_plus_one_week(cli, db_path):
    now = f"{(NATIONAL_DAY[0] - timedelta(days=7)).isoformat()}T09:00"
    assert cli(db_path, "add", "customer", "恒通精密", now=now).returncode == 0
    typed = NATIONAL_DAY[1].isoformat()
    r = cli(db_path, "snooze", "恒通", typed, now=now)
    assert r.returncode == 0, r.stderr
    assert f"to {typed}." in r.stdout and "National Day" in r.stdout and "kept as typed" in r.stdout
    r = cli(db_path, "log", "恒通", "called", "--next", typed, now=now)
    assert r.returncode == 0, r.stderr
    assert typed in r.stdout and "National Day" in r.stdout
    r = cli(db_path, "snooze", "恒通", "+1w", now=now)
    assert r.returncode == 0, r.stderr
    assert f"to {NATIONAL_DAY[0].isoformat()}." not in r.stdout and "Note" not in r.stdout
    moved = r.stdout.rsplit(" to ", 1)[1].strip(". \n")
    assert moved > NATIONAL_DAY[-1].isoformat()


def test_check_says_which_years_fall_back_to_weekends(cli, db_path):
    assert cli(db_path, "add", "customer", "Acme").returncode == 0
    now = f"{LAST_YEAR}-12-01T09:00"
    r = cli(db_path, "check", "--json", now=now)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["calendar"]["uncovered_years"] == [LAST_YEAR + 1]
    assert report["calendar"]["source"] == "chinese-calendar"
    text = cli(db_path, "check", now=now).stdout
    assert f"does not cover {LAST_YEAR + 1}" in text and "weekends only" in text
    covered = cli(db_path, "check", "--json", now=f"{LAST_YEAR - 1}-06-01T09:00")
    assert json.loads(covered.stdout)["notes"] == []
