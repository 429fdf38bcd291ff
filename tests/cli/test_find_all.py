"""``tuicrm find --all`` (issue #21): name, code and phone matches first, then the customers whose
notes, follow-ups or deals hold the text, each saying where. In-process CLI runner."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cli_runner import run_main
from tuicrm.config import DEFAULT
from tuicrm.store import Store
from tuicrm.store.customers import archive_customer, create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.pipeline import add_opportunity

ENV = {"TUICRM_NOW": "2026-11-25T10:00", "COLUMNS": "120", "TZ": "UTC"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("findall") / "crm.db"
    store = Store.open(str(path))
    cfg = DEFAULT
    with store.write("fixture") as s:
        create_customer(s, "Quote Masters Ltd", phone="13811112222")
        beta = create_customer(s, "Beta Co")
        log_follow_up(s, cfg, beta, "Intro call", at=datetime(2026, 10, 1, 9, tzinfo=UTC))
        log_follow_up(
            s, cfg, beta, "Visited; we sent the QUOTE on Monday", at=datetime(2026, 11, 3, 9, tzinfo=UTC)
        )
        create_customer(s, "Gamma Co", notes="Wants a quote in CNY,\nnot USD")
        delta = create_customer(s, "Delta Co")
        add_opportunity(s, cfg, delta, "Quote pilot 2027", 1000, stage="need")
        hotel = create_customer(s, "Hotel Co")
        log_follow_up(s, cfg, hotel, "quote sent", at=datetime(2026, 11, 4, 9, tzinfo=UTC))
        archive_customer(s, hotel)
    store.dispose()
    return path


def find(db, *args):
    return run_main(["--db", str(db), "find", *args], env=ENV)


def test_names_first_then_notes_follow_ups_and_deals_each_with_where(db):
    r = find(db, "--all", "quote")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "tier", "status", "found", "in"]
    names = [line.split("  ")[1].strip() for line in lines[1:]]
    assert names == ["Quote Masters Ltd", "Gamma Co", "Beta Co", "Delta Co"]  # no archived Hotel
    assert lines[1].endswith("name")
    assert lines[2].endswith("notes: “Wants a quote in CNY, not USD”")
    assert lines[3].endswith("follow-up 2026-11-03: “…we sent the QUOTE on Monday”")
    assert lines[4].endswith("opportunity Quote pilot 2027: “Quote pilot 2027”")
    plain = find(db, "quote")  # without --all: names only, as before
    rows = plain.stdout.splitlines()[1:]
    assert len(rows) == 1 and "Quote Masters Ltd" in rows[0]


def test_json_says_where_and_plain_find_json_is_unchanged(db):
    items = json.loads(find(db, "--all", "--json", "quote").stdout)
    assert [i["matched"]["kind"] for i in items] == ["name", "notes", "follow-up", "opportunity"]
    assert items[2]["matched"] == {
        "kind": "follow-up",
        "on": "2026-11-03",
        "opportunity": None,
        "snippet": "…we sent the QUOTE on Monday",
    }
    assert items[0]["phone"] == "138****2222"  # masked, as find --json
    plain = json.loads(find(db, "--json", "quote").stdout)
    assert "matched" not in plain[0] and set(plain[0]) == set(items[0]) - {"matched"}


def test_limit_and_nothing_found(db):
    assert len(json.loads(find(db, "--all", "--json", "--limit", "2", "quote").stdout)) == 2
    r = find(db, "--all", "nowhere-at-all")
    assert r.returncode != 0 and "No customer, note or follow-up matches 'nowhere-at-all'." in r.stdout
