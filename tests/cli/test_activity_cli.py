"""``tuicrm activity add|list|edit|start|done|cancel|move`` and ``tuicrm agenda`` (issue #17)."""

from __future__ import annotations

import json
import sqlite3

import pytest

NOW = "2026-12-07T09:00"  # a Monday


@pytest.fixture
def crm(cli, db_path):
    assert cli(db_path, "add", "customer", "Acme", now=NOW).returncode == 0
    assert cli(db_path, "add", "contact", "Acme", "Zhang Wei", now=NOW).returncode == 0
    r = cli(
        db_path,
        *("activity", "add", "Acme", "Visit Zhang", "--at", "tomorrow 10:00", "--place", "Beijing"),
        *("--goal", "sign", "--contact", "Zhang", "--budget", "500", "--json"),
        now=NOW,
    )
    assert r.returncode == 0, r.stderr
    return db_path


def _agenda(cli, db, *args, now=NOW):
    r = cli(db, "agenda", *args, "--json", now=now)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["activities"]


def _one(db, code="A000001"):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM activity WHERE code = ?", (code,)).fetchone())
    finally:
        conn.close()


def _next_step(db):
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute("SELECT next_follow_up_on, next_action FROM customer").fetchone())
    finally:
        conn.close()


def test_add_gives_a_code_and_stores_the_fields(cli, crm):
    r = cli(crm, "activity", "list", "--json", now=NOW)
    (item,) = json.loads(r.stdout)
    assert item["code"] == "A000001"
    assert item["planned_start"] == "2026-12-08T10:00"
    assert item["place"] == "Beijing" and item["goal"] == "sign" and item["budget"] == "500.00"
    assert item["contact"]["name"] == "Zhang Wei"
    assert item["status"] == "planned" and item["kind"] == "visit"


def test_add_needs_a_time_and_a_kind_it_knows(cli, crm):
    assert cli(crm, "activity", "add", "Acme", "x", now=NOW).returncode == 2
    r = cli(crm, "activity", "add", "Acme", "x", "--at", "someday", now=NOW)
    assert r.returncode == 2 and "--at" in r.stderr
    r = cli(crm, "activity", "add", "Acme", "x", "--at", "10:00", "--kind", "party", now=NOW)
    assert r.returncode != 0 and "party" in r.stderr


def test_agenda_today_week_and_overdue(cli, crm):
    assert _agenda(cli, crm) == []  # tomorrow's visit is not today's
    week = _agenda(cli, crm, "--week")
    assert [a["code"] for a in week] == ["A000001"] and week[0]["group"] == "week"
    # the next day at 11:00 it is on today's agenda, overdue (planned, not started)
    (late,) = _agenda(cli, crm, now="2026-12-08T11:00")
    assert late["overdue"] is True and late["group"] == "today"


def test_conflicts_shown(cli, crm):
    assert (
        cli(
            crm, "activity", "add", "Acme", "Call", "--kind", "call", "--at", "tomorrow 11:00", now=NOW
        ).returncode
        == 0
    )
    items = {a["code"]: a for a in _agenda(cli, crm, "--week")}
    assert items["A000001"]["conflicts"] == ["A000002"]
    assert items["A000002"]["conflicts"] == ["A000001"]
    r = cli(crm, "agenda", "--week", now=NOW)
    assert "A000002" in r.stdout and "clashes" in r.stdout


def test_edit_changes_only_the_fields_given(cli, crm):
    r = cli(crm, "activity", "edit", "A000001", "--place", "Shanghai", "--until", "12:30", now=NOW)
    assert r.returncode == 0, r.stderr
    row = _one(crm)
    assert row["place"] == "Shanghai" and row["goal"] == "sign"
    (item,) = _agenda(cli, crm, "--week")
    assert item["planned_end"] == "2026-12-08T12:30"
    assert cli(crm, "activity", "edit", "A000001", now=NOW).returncode == 2


def test_start_then_done_then_undo_of_a_logged_follow_up(cli, crm):
    assert cli(crm, "activity", "start", "A1", now="2026-12-08T10:05").returncode == 0
    assert _one(crm)["status"] == "in-progress"
    r = cli(
        crm,
        *("activity", "done", "A000001", "--result", "went well", "--log"),
        *("--next", "2026-12-15", "--next-action", "send the quote"),
        now="2026-12-08T12:00",
    )
    assert r.returncode == 0, r.stderr
    row = _one(crm)
    assert row["status"] == "done" and row["result"] == "went well" and row["actual_end"]
    assert row["follow_up_id"] is not None and row["next_action"] == "send the quote"
    assert _next_step(crm) == ("2026-12-15", "send the quote")
    conn = sqlite3.connect(crm)
    summary, channel = conn.execute("SELECT summary, channel FROM followup").fetchone()
    conn.close()
    assert (summary, channel) == ("went well", "visit")
    # one undo takes back the follow-up, the customer's next step and the activity's status
    assert cli(crm, "undo", "--yes", now="2026-12-08T12:01").returncode == 0
    row = _one(crm)
    assert row["status"] == "in-progress" and row["follow_up_id"] is None and row["result"] is None
    conn = sqlite3.connect(crm)
    assert conn.execute("SELECT count(*) FROM followup").fetchone()[0] == 0
    conn.close()
    assert _next_step(crm) != ("2026-12-15", "send the quote")


def test_done_without_log_logs_nothing_and_needs_a_result(cli, crm):
    assert cli(crm, "activity", "done", "A000001", "--result", "  ", now=NOW).returncode == 2
    assert cli(crm, "activity", "done", "A000001", "--result", "ok", now=NOW).returncode == 0
    assert _one(crm)["follow_up_id"] is None
    # a done activity cannot be done again, started, moved or cancelled
    for args in (
        ("done", "A1", "--result", "x"),
        ("start", "A1"),
        ("move", "A1", "--at", "fri"),
        ("cancel", "A1"),
    ):
        assert cli(crm, "activity", *args, now=NOW).returncode == 2


def test_cancel_and_undo(cli, crm):
    assert cli(crm, "activity", "cancel", "A000001", now=NOW).returncode == 0
    assert _one(crm)["status"] == "cancelled"
    assert _agenda(cli, crm, "--week") == []
    assert cli(crm, "undo", "--yes", now=NOW).returncode == 0
    assert _one(crm)["status"] == "planned"


def test_move_keeps_the_length(cli, crm):
    assert cli(crm, "activity", "edit", "A1", "--until", "11:30", now=NOW).returncode == 0
    r = cli(crm, "activity", "move", "A000001", "--at", "wed 14:00", now=NOW)
    assert r.returncode == 0, r.stderr
    (item,) = _agenda(cli, crm, "--week")
    assert (item["planned_start"], item["planned_end"]) == ("2026-12-09T14:00", "2026-12-09T15:30")


def test_list_filters(cli, crm):
    assert cli(crm, "add", "customer", "Globex", now=NOW).returncode == 0
    assert (
        cli(crm, "activity", "add", "Globex", "Demo", "--kind", "demo", "--at", "fri", now=NOW).returncode
        == 0
    )
    assert cli(crm, "activity", "cancel", "A2", now=NOW).returncode == 0

    def codes(*a):
        return [x["code"] for x in json.loads(cli(crm, "activity", "list", *a, "--json", now=NOW).stdout)]

    assert codes() == ["A000001", "A000002"]
    assert codes("--status", "cancelled") == ["A000002"]
    assert codes("--customer", "Acme") == ["A000001"]
    assert cli(crm, "activity", "list", "--status", "maybe", now=NOW).returncode == 2


def test_undo_of_add_removes_it(cli, crm):
    assert cli(crm, "undo", "--yes", now=NOW).returncode == 0
    assert json.loads(cli(crm, "activity", "list", "--json", now=NOW).stdout) == []


def test_queue_items_shape(cli, crm):
    from datetime import UTC, datetime

    from tuicrm.query.activities import queue_items

    assert (
        cli(crm, "activity", "add", "Acme", "Call", "--kind", "call", "--at", "8:00", now=NOW).returncode == 0
    )
    conn = sqlite3.connect(crm)
    try:
        now = datetime(2026, 12, 7, 9, 0).astimezone(UTC)
        day_end = datetime(2026, 12, 8).astimezone(UTC)
        items = queue_items(conn, now, day_end)
    finally:
        conn.close()
    (item,) = items  # tomorrow's visit is not in today's queue
    assert item["kind"] == "activity" and item["code"] == "A000002"
    assert (
        item["at"] == datetime(2026, 12, 7, 8, 0).astimezone(UTC) and item["on"].isoformat() == "2026-12-07"
    )
    assert item["overdue_by"] == 60 and item["hard_deadline"] is False
    assert item["customer"]["name"] == "Acme" and item["title"] == "Call"


def test_the_queue_counts_every_activity_and_lists_the_first(cli, crm):
    """At scale the queue reads only its first items, but counts every overdue activity; the
    oldest overdue ones and today's coming ones are the items it keeps."""
    from datetime import UTC, date, datetime

    from tuicrm.config import load_config
    from tuicrm.query.queue import queue

    for at in ("2026-12-01 08:00", "2026-12-02 08:00", "2026-12-03 08:00", "8:00", "16:00", "tomorrow 10:00"):
        assert cli(crm, "activity", "add", "Acme", f"Call {at}", "--at", at, now=NOW).returncode == 0
    conn = sqlite3.connect(crm)
    try:
        now = datetime(2026, 12, 7, 9, 0).astimezone(UTC)
        day_end = datetime(2026, 12, 8).astimezone(UTC)
        whole = queue(conn, load_config(), date(2026, 12, 7), now, day_end, kind="activity")
        first = queue(conn, load_config(), date(2026, 12, 7), now, day_end, limit=2, kind="activity")
    finally:
        conn.close()
    assert (whole.overdue, whole.due_today) == (first.overdue, first.due_today)
    assert whole.due_today == 1 and whole.overdue >= 4  # 12-01, 12-02, 12-03 and today 08:00
    assert [i.title for i in first.items] == [i.title for i in whole.items][:2]
    assert first.items[0].title == "Call 16:00"  # today's timed activity comes first


def _weekly(cli, db, now, *args):
    r = cli(db, "report", "weekly", *args, "--json", now=now)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["activities"]


def test_weekly_report_counts_planned_and_done(cli, crm):
    for at in ("tomorrow 14:00", "wed 10:00", "thu 10:00"):
        assert (
            cli(crm, "activity", "add", "Acme", "Call", "--kind", "call", "--at", at, now=NOW).returncode == 0
        )
    assert cli(crm, "activity", "done", "A1", "--result", "ok", now="2026-12-08T12:00").returncode == 0
    assert cli(crm, "activity", "done", "A2", "--result", "ok", now="2026-12-08T15:00").returncode == 0
    assert cli(crm, "activity", "cancel", "A4", now="2026-12-08T15:00").returncode == 0
    week = _weekly(cli, crm, "2026-12-10T09:00")
    assert week == {"planned": 3, "done": 2, "completion_rate": 0.6667}
    text = cli(crm, "report", "weekly", now="2026-12-10T09:00").stdout
    assert "2/3" in text and "67%" in text
    # a finished week reads as it stood at its end: A3 done the week after does not count
    assert cli(crm, "activity", "done", "A3", "--result", "late", now="2026-12-15T09:00").returncode == 0
    assert _weekly(cli, crm, "2026-12-15T10:00", "--week", "2026-W50") == week
    assert _weekly(cli, crm, "2026-12-15T10:00", "--week", "2026-W51")["planned"] == 0
