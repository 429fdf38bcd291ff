"""The agenda joins the morning queue: today's activity in `due`, overdue once its start passed."""

from __future__ import annotations

import json


def _due(cli, db, now, *args):
    r = cli(db, "due", "--kind", "activity", "--json", *args, now=now)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["items"]


def test_todays_activity_is_in_due_then_overdue(cli, db_path):
    r = cli(db_path, "add", "customer", "Acme Robotics", now="2026-11-22T08:00")
    assert r.returncode == 0, r.stderr
    r = cli(db_path, "activity", "add", "Acme", "Plant visit", "--at", "today 11:00", now="2026-11-22T08:00")
    assert r.returncode == 0, r.stderr
    (item,) = _due(cli, db_path, "2026-11-22T09:00")
    assert (item["kind"], item["customer"], item["title"], item["overdue_by"]) == (
        "activity",
        "Acme Robotics",
        "Plant visit",
        None,
    )
    (item,) = _due(cli, db_path, "2026-11-22T13:30")
    assert item["overdue_by"] == "PT2H"
    r = cli(db_path, "due", "--count", now="2026-11-22T13:30")
    assert r.returncode == 0 and int(r.stdout.strip()) >= 1
