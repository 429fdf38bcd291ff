"""``tuicrm find --filter NAME`` and ``tuicrm filters``: saved filters on the command line
(saved here through the store, as the TUI's filter form saves them)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from tuicrm.query.filters import CustomerFilter

TODAY = date(2026, 11, 22)


def test_find_filter_lists_and_refuses_unknown_names(cli, db_path, store):
    from tuicrm.models import Customer
    from tuicrm.store import customers as C
    from tuicrm.store import followups as F
    from tuicrm.store import saved_filters as SF

    with store.write("setup") as s:
        acme = C.create_customer(s, "Acme", tier="A", owner="li")
        acme_code = acme.code
        C.create_customer(s, "Globex", tier="A", owner="wang")
        C.create_customer(s, "Initech", tier="B", owner="li")
        F.log_follow_up(
            s, store.config, s.get(Customer, acme.id), "called", at=datetime(2026, 11, 20, tzinfo=UTC)
        )
        SF.save_filter(s, "going cold", CustomerFilter(no_contact_days=30), TODAY)
        SF.save_filter(s, "A of li", CustomerFilter(tier="A", owner="li"), TODAY, slot=5)

    r = cli(db_path, "find", "--filter", "going cold")
    assert r.returncode == 0, r.stderr
    assert "Globex" in r.stdout and "Initech" in r.stdout and "Acme" not in r.stdout
    found = json.loads(cli(db_path, "find", "a of LI", "--filter", "--json").stdout)
    assert [c["code"] for c in found] == [acme_code]
    assert set(found[0]) >= {"code", "name", "tier", "next_follow_up_on"}  # find's --json shape

    r = cli(db_path, "find", "--filter", "hot")
    assert r.returncode == 2 and r.stdout == ""
    assert "No saved filter called 'hot'. Saved filters: going cold, A of li." in r.stderr

    listed = cli(db_path, "filters")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert "going cold" in lines[1] and "1" in lines[1] and "no contact in 30d" in lines[1]  # by key
    assert "A of li" in lines[2] and "5" in lines[2] and "tier A, owner li" in lines[2]
    as_json = json.loads(cli(db_path, "filters", "--json").stdout)
    assert as_json[0] == {
        "name": "going cold",
        "slot": 1,
        "scope": "customers",
        "spec": {"v": 1, "no_contact_days": 30},
        "description": "no contact in 30d",
    }


def test_no_saved_filters_yet(cli, db_path, store):
    assert "No saved filters yet" in cli(db_path, "filters").stdout
    r = cli(db_path, "find", "--filter", "cold")
    assert r.returncode == 2 and "none is saved yet" in r.stderr
