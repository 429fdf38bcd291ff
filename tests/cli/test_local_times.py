"""Every time the command line shows is local, and ``$TUICRM_NOW`` with an offset is an instant
converted to the local zone before "today" is taken (issue #16)."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import pendulum
import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain.cadence import next_follow_up


@pytest.fixture
def zone(monkeypatch):
    """``zone(name)``: the process's local zone (TZ + tzset, and pendulum's cached one); both restored."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
        pendulum.set_local_timezone(pendulum.timezone(name))

    yield set_zone
    monkeypatch.undo()
    time.tzset()
    pendulum.set_local_timezone(None)


def test_a_seven_oclock_call_in_shanghai_shows_on_its_local_date(cli, db_path, zone):
    zone("Asia/Shanghai")
    now = "2026-12-07T07:00"  # local: 2026-12-06 23:00 UTC
    assert cli(db_path, "add", "customer", "上海精工", now=now).returncode == 0
    r = cli(db_path, "log", "上海精工", "早上电话确认方案", "--next", "2026-12-10", now=now)
    assert r.returncode == 0, r.stderr

    shown = cli(db_path, "show", "上海精工", now=now)
    assert shown.returncode == 0, shown.stderr
    line = next(x for x in shown.stdout.splitlines() if "早上电话确认方案" in x)
    assert line.split()[:2] == ["2026-12-07", "07:00"]
    assert "2026-12-06" not in line

    card = json.loads(cli(db_path, "show", "上海精工", "--json", now=now).stdout)
    at = card["follow_ups"][0]["at"]
    assert at == "2026-12-06T23:00:00+00:00"  # the stored instant, its zone written out
    assert pendulum.parse(at).in_timezone("Asia/Shanghai").to_date_string() == "2026-12-07"


def test_the_same_call_in_utc_shows_the_utc_date(cli, db_path, zone):
    zone("UTC")
    now = "2026-12-06T23:00"
    cli(db_path, "add", "customer", "Late Caller", now=now)
    cli(db_path, "log", "Late Caller", "late call", "--next", "2026-12-10", now=now)
    line = next(
        x for x in cli(db_path, "show", "Late Caller", now=now).stdout.splitlines() if "late call" in x
    )
    assert line.split()[:2] == ["2026-12-06", "23:00"]


def test_now_with_an_offset_is_converted_to_the_local_zone(monkeypatch, zone):
    from tuicrm import clock
    from tuicrm.store.lean import clock as lean_clock

    zone("UTC")
    monkeypatch.setenv("TUICRM_NOW", "2026-12-07T07:00:00+08:00")
    assert clock.today() == date(2026, 12, 6)
    assert clock.now().utcoffset() == timedelta(0)
    assert lean_clock.today() == date(2026, 12, 6)
    assert lean_clock.local_day(lean_clock.utcnow()) == date(2026, 12, 6)

    zone("Asia/Shanghai")
    monkeypatch.setenv("TUICRM_NOW", "2026-12-06T23:00:00Z")
    assert clock.today() == date(2026, 12, 7)
    assert clock.now().hour == 7


def test_next_auto_and_next_plus_days_count_from_the_same_day(cli, db_path, zone):
    zone("UTC")
    now = "2026-12-07T07:00:00+08:00"  # 2026-12-06 in UTC
    cli(db_path, "add", "customer", "Offset One", "--status", "intent", "--tier", "A", now=now)
    cli(db_path, "add", "customer", "Offset Two", "--status", "intent", "--tier", "A", now=now)
    auto = cli(db_path, "log", "Offset One", "call", "--next", "auto", "--json", now=now)
    week = cli(db_path, "log", "Offset Two", "call", "--next", "+7d", "--json", now=now)
    assert auto.returncode == 0 and week.returncode == 0, auto.stderr + week.stderr
    day = date(2026, 12, 6)
    assert json.loads(auto.stdout)["next_on"] == next_follow_up("intent", "A", day, DEFAULT).isoformat()
    # +7d is Sunday 2026-12-13: a date counted from today lands on the next working day.
    assert (day + timedelta(days=7)).isoformat() == "2026-12-13"
    assert json.loads(week.stdout)["next_on"] == "2026-12-14"
    due = json.loads(cli(db_path, "due", "--json", now=now).stdout)
    assert due["today"] == "2026-12-06"


def test_every_time_the_command_line_prints_is_local(cli, db_path, zone):
    """Issue #21: due, agenda, the activity and complaint sentences, the complaint list, the
    follow-up list, the undo prompt and the receivables' "as of" all speak Shanghai time at 07:00
    on 2026-12-07 (23:00 UTC the evening before): no UTC time or date slips through."""
    zone("Asia/Shanghai")
    now = "2026-12-07T07:00"

    def run(*args: str, code: int = 0) -> str:
        result = cli(db_path, *args, now=now)
        assert result.returncode == code, (args, result.stderr)
        text = result.stdout + result.stderr
        assert "23:00" not in text and "2026-12-06" not in text and "UTC" not in text, (args, text)
        return text

    run("add", "customer", "上海精工", "--next", "today")
    assert "2026-12-07 08:30" in run("activity", "add", "上海精工", "拜访", "--at", "08:30")
    assert "2026-12-07 08:30" in run("agenda")
    assert "08:30" in next(line for line in run("due").splitlines() if "A000001" in line)
    assert "2026-12-08 07:00" in run("complaint", "add", "上海精工", "发货延迟", "--severity", "high")
    assert "12-08 07:00" in run("complaint", "list")
    run("log", "上海精工", "早上电话", "--next", "+2d")
    assert "2026-12-07 07:00" in run("followup", "list", "上海精工")
    # The undo prompt names the change's local time (no terminal: it stops after saying so).
    assert "(2026-12-07 07:00)" in run("undo", code=2)
    run("receivable", "add", "上海精工", "1000", "--due", "today")
    assert "2026-12-07" in run("report", "receivables")
