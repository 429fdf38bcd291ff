"""After the deal on the command line (issue #18): a customer with an open complaint says so in
the call-next "why" of ``due --json``; the rest do not."""

from __future__ import annotations

import json

MONDAY = "2026-12-07T10:00"


def _ok(r):
    assert r.returncode == 0, r.stderr
    return r


def test_an_open_complaint_is_in_the_call_next_why(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Acme Robotics", "--next", "2026-12-01", now=MONDAY))
    _ok(cli(db_path, "add", "customer", "Beta Foods", "--next", "2026-12-01", now=MONDAY))
    _ok(cli(db_path, "complaint", "add", "Acme", "Late delivery", "--severity", "high", now=MONDAY))
    _ok(cli(db_path, "complaint", "add", "Acme", "Wrong invoice", "--severity", "low", now=MONDAY))
    later = "2026-12-08T12:00"  # the high one's 24 hours ran out at 10:00
    data = json.loads(_ok(cli(db_path, "due", "--json", "--kind", "follow-up", now=later)).stdout)
    why = {i["customer"]: i["why"] for i in data["items"]}
    score, flag = why["Acme Robotics"].split("\n")
    assert "overdue" in score
    assert flag.startswith("open complaint K000001 (high), deadline 2026-12-08 ") and flag.endswith(
        "2 h overdue"
    )
    assert "complaint" not in why["Beta Foods"]
    _ok(cli(db_path, "complaint", "resolve", "K000001", "--result", "Re-sent", now=later))
    data = json.loads(_ok(cli(db_path, "due", "--json", "--kind", "follow-up", now=later)).stdout)
    acme = next(i for i in data["items"] if i["customer"] == "Acme Robotics")
    assert acme["why"].split("\n")[1].startswith("open complaint K000002 (low)")


def test_contact_anniversary_set_and_cleared(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Acme Robotics", now=MONDAY))
    _ok(cli(db_path, "contact", "add", "Acme", "Wang Li", "--anniversary", "2015-12-09", now=MONDAY))
    contact = json.loads(_ok(cli(db_path, "contact", "list", "Acme", "--json", now=MONDAY)).stdout)[
        "contacts"
    ][0]
    assert contact["anniversary"] == "2015-12-09"
    due = json.loads(_ok(cli(db_path, "due", "--json", "--kind", "birthday", now=MONDAY)).stdout)
    assert any("Wang Li" in (i["title"] + i["why"]) for i in due["items"])  # 2 days ahead: in the queue
    _ok(cli(db_path, "contact", "edit", "Wang Li", "--anniversary", "", now=MONDAY))
    contact = json.loads(_ok(cli(db_path, "contact", "list", "Acme", "--json", now=MONDAY)).stdout)[
        "contacts"
    ][0]
    assert contact["anniversary"] is None
    bad = cli(db_path, "contact", "edit", "Wang Li", "--anniversary", "someday", now=MONDAY)
    assert bad.returncode != 0 and "someday" in bad.stderr


def test_opportunity_renewal_set_shown_and_cleared(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Acme Robotics", now=MONDAY))
    _ok(
        cli(
            db_path,
            "opp",
            "add",
            "Acme",
            "Support 2027",
            "--amount",
            "900",
            "--renewal",
            "2027-03-31",
            now=MONDAY,
        )
    )
    shown = json.loads(_ok(cli(db_path, "opp", "show", "Support", "--json", now=MONDAY)).stdout)
    assert shown["renewal_on"] == "2027-03-31"
    assert "2027-03-31" in _ok(cli(db_path, "opp", "show", "Support", now=MONDAY)).stdout
    _ok(cli(db_path, "opp", "edit", "Support", "--renewal", "2026-12-20", now=MONDAY))
    assert (
        json.loads(cli(db_path, "opp", "show", "Support", "--json", now=MONDAY).stdout)["renewal_on"]
        == "2026-12-20"
    )
    _ok(cli(db_path, "opp", "edit", "Support", "--renewal", "", now=MONDAY))
    assert (
        json.loads(cli(db_path, "opp", "show", "Support", "--json", now=MONDAY).stdout)["renewal_on"] is None
    )
