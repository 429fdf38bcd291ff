"""Issue #21 on the command line: adding a customer a rep already has is refused with the
candidates (``--force`` adds anyway); a customer added by hand reaches the queue (its first
follow-up from the cadence); a past date for ``snooze`` or ``log --next`` is refused unless
``--force``; amounts are read as the rep writes them (one parser: CLI, forms, import)."""

from __future__ import annotations

import json

NOW = "2026-12-07T09:00"  # a Monday


def _ok(r):
    assert r.returncode == 0, r.stderr
    return r


def _next_on(cli, db, ref):
    return json.loads(_ok(cli(db, "show", ref, "--json", now=NOW)).stdout)["customer"]["next_follow_up_on"]


def test_a_customer_you_have_is_refused_with_the_candidates(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Beta Logistics", "--phone", "13800001111", now=NOW))
    _ok(cli(db_path, "add", "customer", "Gamma Foods", "--email", "Buy@Gamma.cn", now=NOW))
    for args, reason in (
        (["beta  LOGISTICS."], "same name"),  # case, spacing and punctuation
        (["Other Name", "--phone", "+86 138-0000-1111"], "same phone"),
        (["Third Name", "--email", "buy@gamma.cn"], "same e-mail"),
    ):
        r = cli(db_path, "add", "customer", *args, now=NOW)
        assert r.returncode == 2 and "--force" in r.stderr and reason in r.stderr, (args, r.stderr)
        assert ("C000001" in r.stderr) != ("C000002" in r.stderr), r.stderr
    found = json.loads(_ok(cli(db_path, "find", "a", "--json", now=NOW)).stdout)
    assert len(found) == 2  # nothing was added
    added = json.loads(
        _ok(cli(db_path, "add", "customer", "beta logistics", "--force", "--json", now=NOW)).stdout
    )
    assert added["code"] == "C000003"
    _ok(cli(db_path, "add", "customer", "Beta Logistics Shanghai", now=NOW))  # another name is no duplicate


def test_a_customer_added_by_hand_gets_its_first_follow_up(cli, db_path):
    r = _ok(cli(db_path, "add", "customer", "Acme", "--tier", "A", now=NOW))
    assert "2026-12-14" in r.stdout  # tier A: 7 days (SPEC §4)
    assert _next_on(cli, db_path, "Acme") == "2026-12-14"
    _ok(cli(db_path, "add", "customer", "Bolt", "--next", "none", now=NOW))
    assert _next_on(cli, db_path, "Bolt") is None
    _ok(cli(db_path, "add", "customer", "Crane", "--next", "+2d", now=NOW))
    assert _next_on(cli, db_path, "Crane") == "2026-12-09"


def test_a_past_date_needs_force(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Acme", now=NOW))
    for args in (
        ["snooze", "Acme", "-1d"],
        ["snooze", "Acme", "2026-11-01"],
        ["log", "Acme", "call", "--next", "yesterday"],
    ):
        r = cli(db_path, *args, now=NOW)
        assert r.returncode == 2 and "in the past" in r.stderr and "--force" in r.stderr, args
    before = _next_on(cli, db_path, "Acme")
    assert before == "2026-12-14"  # the cadence (a new potential customer: 7 days), untouched
    _ok(cli(db_path, "snooze", "Acme", "-1d", "--force", now=NOW))
    assert _next_on(cli, db_path, "Acme") == "2026-12-06"
    _ok(cli(db_path, "log", "Acme", "call", "--next", "2026-12-01", "--force", now=NOW))
    assert _next_on(cli, db_path, "Acme") == "2026-12-01"


def test_amounts_as_the_rep_writes_them(cli, db_path):
    _ok(cli(db_path, "add", "customer", "Acme", now=NOW))
    for written, stored in (
        ("1.2M", "1200000.00"),
        ("50万", "500000.00"),
        ("¥1,200.50", "1200.50"),
        ("1.5k", "1500.00"),
    ):
        r = _ok(cli(db_path, "opp", "add", "Acme", f"Deal {written}", "--amount", written, now=NOW))
        assert f"{stored} CNY" in r.stdout, (written, r.stdout)
    r = cli(db_path, "opp", "add", "Acme", "Dollars", "--amount", "$300", now=NOW)
    assert r.returncode == 2 and "USD" in r.stderr  # another currency is refused, never dropped
    r = cli(db_path, "opp", "add", "Acme", "Junk", "--amount", "lots", now=NOW)
    assert r.returncode == 2 and "not a number" in r.stderr


def test_the_log_forms_next_date_refuses_the_past_as_the_cli_does(monkeypatch):
    import pytest

    from tuicrm.ui.widgets.forms import date_input

    monkeypatch.setenv("TUICRM_NOW", NOW)
    check = date_input(allow_auto=True, future=True)
    assert check("tomorrow").isoformat() == "2026-12-08" and check("auto") == "auto"
    for past in ("yesterday", "昨天", "-1d", "2026-11-01"):
        with pytest.raises(ValueError, match="in the past"):
            check(past)
    assert date_input()("yesterday").isoformat() == "2026-12-06"  # a correction may be dated before


def test_the_demo_has_no_two_customers_of_one_name(demo_db):
    """The demo names a second company drawn with a taken name as a branch of it."""
    import sqlite3

    conn = sqlite3.connect(demo_db(300, 1))
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM customer")]
    finally:
        conn.close()
    assert len(names) == 300 and len(set(names)) == 300
    assert any(name.endswith(("分公司", ")")) for name in names)  # there were some to rename
