"""A finished week's report is rebuilt from history as it stood at its end (issue #16): run on the
Monday after and again after this week's work, ``report weekly --week --json`` is the same."""

from __future__ import annotations

import json

WEEK = "2026-W48"  # Monday 2026-11-23 to Sunday 2026-11-29, local time (TZ=UTC in tests)


def _ok(result):
    assert result.returncode == 0, result.stderr
    return result


def _last_weeks_work(cli, db):
    def run(now, *args):
        return _ok(cli(db, *args, now=now))

    run("2026-11-23T09:00", "add", "customer", "Early Bird", "--next", "2026-11-25")  # never worked in W48
    run("2026-11-23T09:05", "add", "customer", "Focus Co", "--tier", "A", "--status", "intent")
    run("2026-11-23T09:10", "add", "customer", "Snoozy", "--tier", "B")
    run("2026-11-23T09:15", "add", "customer", "Deal Co", "--tier", "B", "--next", "none")
    run(
        "2026-11-24T10:00",
        "log",
        "Focus Co",
        "demo booked",
        "--next",
        "2026-12-01",
        "--action",
        "run the demo",
    )
    run("2026-11-24T11:00", "opp", "add", "Deal Co", "Big deal", "--amount", "50000", "--stage", "proposal")
    run("2026-11-25T10:00", "log", "Snoozy", "call", "--next", "2026-11-27")
    run("2026-11-26T15:00", "opp", "move", "Big deal", "won")


def _this_weeks_work(cli, db):
    def run(now, *args):
        return _ok(cli(db, *args, now=now))

    run("2026-11-30T10:00", "log", "Early Bird", "first call at last", "--next", "2026-12-04")
    run("2026-11-30T11:00", "snooze", "Focus Co", "2026-12-09")
    run("2026-11-30T12:00", "log", "Snoozy", "late call", "--next", "2026-12-02")
    run("2026-12-01T09:00", "opp", "move", "Big deal", "negotiation")
    run("2026-12-01T10:00", "opp", "move", "Big deal", "lost", "--reason", "price")
    run("2026-12-01T11:00", "edit", "Deal Co", "--status", "lost", "--tier", "C")
    run("2026-12-01T12:00", "edit", "Focus Co", "--tier", "C", "--name", "Focus Renamed")
    run("2026-12-02T09:00", "add", "customer", "Newcomer", "--next", "2026-11-28")
    run("2026-12-02T09:30", "log", "Newcomer", "hello", "--next", "2026-12-05")


def _weekly(cli, db, now):
    return json.loads(_ok(cli(db, "report", "weekly", "--week", WEEK, "--json", now=now)).stdout)


def test_last_weeks_report_is_the_same_before_and_after_this_weeks_work(cli, db_path):
    _last_weeks_work(cli, db_path)
    before = _weekly(cli, db_path, "2026-11-30T09:00")

    # What the week looked like at its end, counted by hand.
    assert before["overdue_is_projection"] is False
    assert before["overdue_at_week_end"] == 2  # Early Bird (11-25, never worked), Snoozy (11-27)
    assert before["won"] == {"count": 1, "customers": 1, "amount": "50000.00"}
    # Deal Co's win on Thursday set its first revisit 3 working days on (issue #18): Tuesday 12-01.
    assert before["focus"]["total"] == 2
    revisit = next(i for i in before["focus"]["items"] if i["name"] == "Deal Co")
    assert revisit["next_on"] == "2026-12-01" and revisit["next_action"].startswith("First revisit")
    focus = next(i for i in before["focus"]["items"] if i["name"] == "Focus Co")
    assert focus | {"customer_id": 0} == {
        "customer_id": 0,
        "code": "C000002",
        "name": "Focus Co",
        "tier": "A",
        "next_follow_up_on": "2026-12-01",
        "next_on": "2026-12-01",
        "next_action": "run the demo",
    }
    assert before["new_customers"] == 4 and before["high_value_new"] == 1

    _this_weeks_work(cli, db_path)
    after = _weekly(cli, db_path, "2026-12-02T18:00")
    assert after == before

    # This week's report does see this week's work.
    this_week = _weekly_of(cli, db_path, "2026-W49", "2026-12-02T18:00")
    assert this_week["lost"]["count"] == 1 and this_week["won"]["count"] == 0


def _weekly_of(cli, db, week, now):
    return json.loads(_ok(cli(db, "report", "weekly", "--week", week, "--json", now=now)).stdout)


def test_a_customer_first_worked_after_the_week_still_counts_as_overdue_at_its_end(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Waiting", "--next", "2026-11-24", now="2026-11-23T09:00"))
    _ok(cli(db_path, "log", "Waiting", "finally", "--next", "2026-12-10", now="2026-12-01T09:00"))
    assert _weekly(cli, db_path, "2026-12-01T10:00")["overdue_at_week_end"] == 1
