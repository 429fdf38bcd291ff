"""``tuicrm export agenda.ics`` (issue #17): activities as VEVENTs with a 24-hour reminder,
follow-ups as VTODOs, phones masked unless --unmasked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

NOW = "2026-12-07T09:00"


def _calendar(path):
    return Calendar.from_ical(path.read_bytes())


def test_activities_are_events_with_a_reminder(cli, db_path, tmp_path):
    assert (
        cli(
            db_path, "add", "customer", "Acme", "--phone", "13812345678", "--next", "tomorrow", now=NOW
        ).returncode
        == 0
    )
    r = cli(
        db_path,
        *(
            "activity",
            "add",
            "Acme",
            "Visit",
            "--at",
            "tomorrow 10:00",
            "--place",
            "Beijing",
            "--goal",
            "sign",
        ),
        now=NOW,
    )
    assert r.returncode == 0, r.stderr
    assert cli(db_path, "activity", "add", "Acme", "Old", "--at", "8:00", now=NOW).returncode == 0
    assert cli(db_path, "activity", "cancel", "A2", now=NOW).returncode == 0
    out = tmp_path / "agenda.ics"
    r = cli(db_path, "export", str(out), "--json", now=NOW)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["counts"] == {"pending follow-ups": 1, "activities": 1}
    cal = _calendar(out)
    (event,) = [c for c in cal.walk() if c.name == "VEVENT"]  # the cancelled one is left out
    (todo,) = [c for c in cal.walk() if c.name == "VTODO"]
    assert str(event["uid"]) == "activity-A000001@tuicrm"
    assert str(event["summary"]) == "Visit — Acme" and str(event["location"]) == "Beijing"
    # TZ is UTC in tests: 10:00 local is 10:00 UTC; a visit with no end lasts 2 h
    assert event["dtstart"].dt == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert event["dtend"].dt == datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    (alarm,) = [c for c in event.walk() if c.name == "VALARM"]
    assert alarm["trigger"].dt == timedelta(hours=-24) and str(alarm["action"]) == "DISPLAY"
    assert "138****5678" in str(event["description"]) and "13812345678" not in out.read_text()
    assert str(todo["uid"]) == "followup-C000001@tuicrm"
    r = cli(db_path, "export", str(out), "--unmasked", "--force", now=NOW)
    assert r.returncode == 0, r.stderr
    (event,) = [c for c in _calendar(out).walk() if c.name == "VEVENT"]
    assert "13812345678" in str(event["description"])
