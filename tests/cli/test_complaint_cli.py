"""`tuicrm complaint` (issue #18): add with a deadline by severity, step, resolve, list filters,
the morning queue's complaint/birthday/renewal items, the first revisit after a win, undo."""

from __future__ import annotations

import json

import pytest

MONDAY = "2026-12-07T10:00"


def _ok(r):
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def shop(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Acme Robotics", "--next", "none", now=MONDAY))
    return db_path


@pytest.mark.parametrize(
    ("severity", "deadline"),
    [("high", "2026-12-08T10:00"), ("medium", "2026-12-10T10:00"), ("low", "2026-12-16T10:00")],
)
def test_add_sets_the_deadline_by_severity(cli, shop, severity, deadline):
    r = _ok(cli(shop, "complaint", "add", "Acme", "发货延迟", "--severity", severity, "--json", now=MONDAY))
    data = json.loads(r.stdout)
    assert (data["code"], data["severity"], data["status"]) == ("K000001", severity, "open")
    assert data["deadline_at"].startswith(deadline)


def test_unknown_severity_is_refused(cli, shop):
    r = cli(shop, "complaint", "add", "Acme", "x", "--severity", "urgent", now=MONDAY)
    assert r.returncode != 0 and "urgent" in r.stderr


def test_step_resolve_and_list_filters(cli, shop):
    _ok(
        cli(
            shop,
            "complaint",
            "add",
            "Acme",
            "Late delivery",
            "--severity",
            "high",
            "--cause",
            "logistics",
            now=MONDAY,
        )
    )
    _ok(cli(shop, "complaint", "add", "Acme", "Wrong invoice", "--severity", "low", now=MONDAY))
    r = _ok(cli(shop, "complaint", "step", "K000001", "Called the buyer", "--json", now=MONDAY))
    data = json.loads(r.stdout)
    assert data["status"] == "in-progress" and data["steps"][0]["text"] == "Called the buyer"
    later = "2026-12-08T11:00"
    overdue = json.loads(_ok(cli(shop, "complaint", "list", "--overdue", "--json", now=later)).stdout)
    assert [c["code"] for c in overdue] == ["K000001"] and overdue[0]["overdue"] is True
    r = _ok(
        cli(
            shop,
            "complaint",
            "resolve",
            "K000001",
            "--result",
            "Re-shipped",
            "--satisfaction",
            "4",
            now=later,
        )
    )
    assert "after its deadline" in r.stdout
    opened = json.loads(_ok(cli(shop, "complaint", "list", "--open", "--json", now=later)).stdout)
    assert [c["code"] for c in opened] == ["K000002"]
    every = json.loads(_ok(cli(shop, "complaint", "list", "--json", now=later)).stdout)
    assert {c["code"]: c["satisfaction"] for c in every} == {"K000001": 4, "K000002": None}
    r = cli(shop, "complaint", "step", "K000001", "again", now=later)
    assert r.returncode != 0 and "resolved" in r.stderr


def test_satisfaction_out_of_range_refused(cli, shop):
    _ok(cli(shop, "complaint", "add", "Acme", "x", now=MONDAY))
    r = cli(shop, "complaint", "resolve", "K000001", "--result", "ok", "--satisfaction", "9", now=MONDAY)
    assert r.returncode != 0


def test_undo_takes_the_complaint_back(cli, shop):
    _ok(cli(shop, "complaint", "add", "Acme", "x", now=MONDAY))
    _ok(cli(shop, "undo", "--yes", now=MONDAY))
    assert json.loads(_ok(cli(shop, "complaint", "list", "--json", now=MONDAY)).stdout) == []


def _due(cli, db, now, kind=None):
    args = ["due", "--json"] + (["--kind", kind] if kind else [])
    return json.loads(_ok(cli(db, *args, now=now)).stdout)["items"]


def test_a_high_complaint_tops_tomorrows_queue(cli, shop):
    _ok(cli(shop, "add", "customer", "Beta Ltd", now=MONDAY))
    _ok(cli(shop, "log", "Beta", "call", "--next", "2026-12-08", now=MONDAY))
    _ok(cli(shop, "complaint", "add", "Acme", "Broken part", "--severity", "high", now=MONDAY))
    items = _due(cli, shop, "2026-12-08T09:00")
    assert [i["kind"] for i in items][:2] == ["complaint", "follow-up"]
    items = _due(cli, shop, "2026-12-08T10:30")
    assert items[0]["kind"] == "complaint" and items[0]["overdue_by"] == "PT0H"


def test_birthday_and_renewal_in_the_queue(cli, shop):
    _ok(cli(shop, "contact", "add", "Acme", "张伟", "--birthday", "1985-12-09", now=MONDAY))
    _ok(cli(shop, "edit", "Acme", "--renewal-on", "2026-12-30", now=MONDAY))
    items = _due(cli, shop, MONDAY)
    kinds = {i["kind"]: i for i in items}
    assert "张伟" in kinds["birthday"]["title"] and kinds["birthday"]["on"] == "2026-12-09"
    assert kinds["renewal"]["on"] == "2026-12-30"
    assert _due(cli, shop, "2026-12-02T10:00", "birthday") == []  # 7 days ahead: not yet


def test_winning_schedules_the_first_revisit(cli, shop):
    friday = "2026-12-11T10:00"
    _ok(cli(shop, "opp", "add", "Acme", "Deal", "--amount", "1000", now=friday))
    _ok(cli(shop, "opp", "move", "Deal", "won", now=friday))
    shown = json.loads(_ok(cli(shop, "show", "Acme", "--json", now=friday)).stdout)
    assert shown["customer"]["next_follow_up_on"] == "2026-12-16"  # Fri + 3 working days
    items = _due(cli, shop, "2026-12-16T09:00", "follow-up")
    assert [i["customer"] for i in items] == ["Acme Robotics"]


def test_an_earlier_follow_up_stays(cli, shop):
    _ok(cli(shop, "log", "Acme", "call", "--next", "2026-12-08", now=MONDAY))
    _ok(cli(shop, "opp", "add", "Acme", "Deal", "--amount", "1000", now=MONDAY))
    _ok(cli(shop, "opp", "move", "Deal", "won", now=MONDAY))
    shown = json.loads(_ok(cli(shop, "show", "Acme", "--json", now=MONDAY)).stdout)
    assert shown["customer"]["next_follow_up_on"] == "2026-12-08"


def test_report_complaints(cli, shop):
    _ok(
        cli(
            shop, "complaint", "add", "Acme", "Late", "--severity", "high", "--cause", "logistics", now=MONDAY
        )
    )
    _ok(cli(shop, "complaint", "resolve", "K000001", "--result", "ok", now="2026-12-07T12:00"))
    r = _ok(cli(shop, "report", "complaints", "--json", now="2026-12-08T09:00"))
    data = json.loads(r.stdout)
    assert (data["opened"], data["resolved"], data["on_time_rate"]) == (1, 1, 100.0)
    assert data["by_cause"] == [{"cause": "logistics", "count": 1}]
