"""``log``'s back-dating and linking options, and ``followup list|edit|delete`` (issue #16)."""

from __future__ import annotations

import json

import pytest

from tuicrm.domain.dates import DateInputError
from tuicrm.domain.moments import parse_moment

NOW = "2026-11-22T09:00"  # a Sunday


@pytest.fixture
def crm(cli, db_path):
    """Acme with two contacts and two deals; a second customer with its own contact."""
    for args in (
        ("add", "customer", "Acme Ltd", "--status", "intent", "--tier", "B"),
        ("add", "customer", "Other Co"),
        ("add", "contact", "Acme", "Wang Li"),
        ("add", "contact", "Acme", "Wang Fang"),
        ("add", "contact", "Other", "Zhao"),
        ("opp", "add", "Acme", "Fleet renewal", "--amount", "5000"),
        ("opp", "add", "Other", "Other deal", "--amount", "10"),
    ):
        r = cli(db_path, *args)
        assert r.returncode == 0, r.stderr
    return db_path


def listed(cli, db, ref="Acme"):
    r = cli(db, "followup", "list", ref, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def pending(cli, db, ref="Acme"):
    return json.loads(cli(db, "show", ref, "--json").stdout)["customer"]["next_follow_up_on"]


def test_log_back_dated_with_contact_deal_and_every_field(cli, crm):
    r = cli(
        crm,
        *("log", "Acme", "visited their plant", "--at", "yesterday 15:00", "--contact", "Wang Li"),
        *("--opp", "fleet", "--goal", "agree the demo", "--place", "Suzhou plant"),
        *("--attendees", "me, Zhang", "--objection", "price too high", "--outcome", "部分完成", "--json"),
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["next_on"] == "2026-11-24"  # intent·B: 3 days from the 21st, not from today
    (fu,) = listed(cli, crm)["follow_ups"]
    assert fu["at"] == "2026-11-21T15:00:00+00:00"
    assert fu["contact"] == {"id": 1, "name": "Wang Li"}
    assert fu["opportunity"] == {"id": 1, "name": "Fleet renewal"}
    assert (fu["goal"], fu["place"], fu["attendees"], fu["objection"], fu["outcome"]) == (
        "agree the demo",
        "Suzhou plant",
        "me, Zhang",
        "price too high",
        "partly",
    )


def test_a_back_dated_log_older_than_the_newest_keeps_the_newer_next_step(cli, crm):
    assert cli(crm, "log", "Acme", "called", "--next", "+3d", "--action", "send quote").returncode == 0
    assert pending(cli, crm) == "2026-11-25"
    r = cli(crm, "log", "Acme", "met last week", "--at", "-5d 10:00", "--next", "+1d")
    assert r.returncode == 0, r.stderr
    assert pending(cli, crm) == "2026-11-25"
    card = json.loads(cli(crm, "show", "Acme", "--json").stdout)["customer"]
    assert card["next_action"] == "send quote"
    assert card["first_contact_on"] == "2026-11-22"  # set once, by the first follow-up logged
    summaries = [f["summary"] for f in listed(cli, crm)["follow_ups"]]
    assert summaries == ["called", "met last week"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--at", "tomorrow"), 2, "future"),
        (("--at", "15:00"), 2, "future"),  # later today
        (("--at", "yesterday 25:00"), 2, "time of day"),
        (("--at", "someday"), 2, "not a date"),
        (("--contact", "Zhao"), 1, "No contact"),  # another customer's contact
        (("--contact", "Wang"), 2, "Use its id"),
        (("--opp", "Other deal"), 1, "No opportunity"),
        (("--outcome", "maybe"), 2, "done, partly, not-done"),
    ],
)
def test_log_refuses_bad_times_and_other_customers_records(cli, crm, args, code, says):
    r = cli(crm, "log", "Acme", "called", *args)
    assert r.returncode == code and says in r.stderr, (r.returncode, r.stderr)
    assert listed(cli, crm)["follow_ups"] == []


def test_followup_edit_writes_only_the_given_fields(cli, crm):
    cli(crm, "log", "Acme", "called", "--feedback", "keen", "--contact", "1")
    r = cli(crm, "followup", "edit", "1", "--summary", "called Wang", "--outcome", "done", "--opp", "1")
    assert r.returncode == 0, r.stderr
    (fu,) = listed(cli, crm)["follow_ups"]
    assert (fu["summary"], fu["feedback"], fu["outcome"]) == ("called Wang", "keen", "done")
    assert fu["contact"]["name"] == "Wang Li" and fu["opportunity"]["name"] == "Fleet renewal"
    r = cli(
        crm, "followup", "edit", "1", "--contact", "none", "--next", "2026-12-01", "--next-action", "demo"
    )
    assert r.returncode == 0, r.stderr
    (fu,) = listed(cli, crm)["follow_ups"]
    assert fu["contact"] is None and fu["next_on"] == "2026-12-01"
    assert pending(cli, crm) == "2026-12-01"  # the newest follow-up's next step is the customer's
    r = cli(crm, "followup", "edit", "1", "--at", "-2d 08:30", "--channel", "visit", "--attitude", "positive")
    assert r.returncode == 0, r.stderr
    (fu,) = listed(cli, crm)["follow_ups"]
    assert (fu["at"], fu["channel"], fu["attitude"]) == ("2026-11-20T08:30:00+00:00", "visit", "positive")


def test_followup_edit_refuses_nothing_to_do_and_unknown_ids(cli, crm):
    cli(crm, "log", "Acme", "called")
    assert cli(crm, "followup", "edit", "1").returncode == 2
    r = cli(crm, "followup", "edit", "99", "--summary", "x")
    assert r.returncode == 1 and "No follow-up" in r.stderr
    r = cli(crm, "followup", "edit", "1", "--summary", "   ")
    assert r.returncode == 2 and "summary" in r.stderr


def test_followup_delete_recomputes_the_pending_follow_up_and_undo_restores(cli, crm):
    cli(crm, "log", "Acme", "first", "--at", "-3d", "--next", "+10d")
    cli(crm, "log", "Acme", "second", "--next", "+2d")
    assert pending(cli, crm) == "2026-11-24"
    newest = listed(cli, crm)["follow_ups"][0]
    r = cli(crm, "followup", "delete", str(newest["id"]))
    assert r.returncode == 0 and "undo" in r.stdout
    assert [f["summary"] for f in listed(cli, crm)["follow_ups"]] == ["first"]
    assert pending(cli, crm) == "2026-12-02"  # the remaining newest's next step
    assert cli(crm, "undo", "--yes").returncode == 0
    assert [f["summary"] for f in listed(cli, crm)["follow_ups"]] == ["second", "first"]
    assert pending(cli, crm) == "2026-11-24"
    assert cli(crm, "followup", "delete", "99").returncode == 1


def test_deleting_an_older_follow_up_or_after_a_snooze_leaves_the_pending_one(cli, crm):
    cli(crm, "log", "Acme", "first", "--at", "-3d", "--next", "+10d")
    cli(crm, "log", "Acme", "second", "--next", "+2d")
    cli(crm, "snooze", "Acme", "+5d")
    oldest, newest = listed(cli, crm)["follow_ups"][1], listed(cli, crm)["follow_ups"][0]
    cli(crm, "followup", "delete", str(oldest["id"]))
    assert pending(cli, crm) == "2026-11-27"
    cli(crm, "followup", "delete", str(newest["id"]))
    assert pending(cli, crm) == "2026-11-27"  # snoozed since: the rep's move stays


def test_followup_list_text_shows_who_what_when(cli, crm):
    cli(crm, "log", "Acme", "visited", "--at", "yesterday 15:00", "--contact", "Wang Li", "--place", "plant")
    r = cli(crm, "followup", "list", "Acme")
    assert r.returncode == 0, r.stderr
    assert "2026-11-21 15:00" in r.stdout and "Wang Li · plant" in r.stdout and "#1" in r.stdout
    assert cli(crm, "followup", "list", "nobody-here").returncode == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", "2026-11-22 09:00"),
        ("yesterday 15:00", "2026-11-21 15:00"),
        ("2026-11-01 9:30", "2026-11-01 09:30"),
        ("fri", "2026-11-20 09:00"),  # the last Friday, not the next
        ("sun 08:00", "2026-11-22 08:00"),  # today is Sunday
        ("11-23", "2025-11-23 09:00"),  # a month-day not yet reached this year: last year's
        ("-1w", "2026-11-15 09:00"),
        ("today", "2026-11-22 09:00"),
        ("08:15", "2026-11-22 08:15"),
    ],
)
def test_parse_moment_looks_back(text, expected):
    from datetime import datetime

    got = parse_moment(text, datetime(2026, 11, 22, 9, 0, 41))
    assert f"{got:%Y-%m-%d %H:%M}" == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "9:01", "+1d 00:00", "yesterday 24:00", "10:61", "soon"])
def test_parse_moment_refuses(text):
    from datetime import datetime

    with pytest.raises(DateInputError):
        parse_moment(text, datetime(2026, 11, 22, 9, 0))
