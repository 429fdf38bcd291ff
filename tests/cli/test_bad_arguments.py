"""One sentence, exit 1 or 2, for every bad argument (issue #14): never "unexpected error",
never a traceback, never a control character echoed back to the terminal."""

from __future__ import annotations

import re

import pytest

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_sentence(r) -> None:
    assert r.returncode in (1, 2), (r.returncode, r.stdout, r.stderr)
    assert "unexpected error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("tuicrm: ") or "Error" in r.stderr, r.stderr
    assert not CONTROL.search(r.stderr + r.stdout), repr(r.stderr)


@pytest.fixture
def demo(demo_db):
    return demo_db(20, 1)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "99999999999999999999"],
        ["show", "²"],
        ["log", "99999999999999999999", "x"],
        ["snooze", "99999999999999999999", "+1d"],
        ["opp", "move", "99999999999999999999", "won"],
    ],
)
def test_ids_out_of_range_are_not_found(cli, demo, args):
    r = cli(demo, *args)
    one_sentence(r)
    assert r.returncode == 1 and "matches" in r.stderr


@pytest.mark.parametrize(
    "args, bound",
    [
        (["due", "--days", "99999999"], "3660"),
        (["find", "a", "--limit", "99999999999"], "1000000"),
        (["opp", "add", "1", "x", "--amount", "1", "--probability", "99999999999999999999"], "100"),
    ],
)
def test_numbers_out_of_range_say_the_range(cli, demo, args, bound):
    r = cli(demo, *args)
    assert r.returncode == 2 and "unexpected" not in r.stderr and "Traceback" not in r.stderr
    assert bound in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["log", "1", "x", "--next", "0001-01-01"],
        ["log", "1", "x", "--next", "9999-12-31"],
        ["snooze", "1", "+100000d"],
        ["snooze", "1", "2200-01-01"],
        ["add", "customer", "X", "--next", "1800-01-01"],
        ["opp", "add", "1", "deal", "--amount", "5", "--close", "9999-01-01"],
        ["report", "weekly", "--week", "9999-W52"],
        ["report", "weekly", "--week", "0001-W01"],
        ["report", "lost", "--from", "0001-01-01"],
    ],
)
def test_dates_outside_1900_2199_are_refused(cli, demo, args):
    r = cli(demo, *args)
    one_sentence(r)
    assert "1900" in r.stderr and "2199" in r.stderr


def test_an_undecodable_argument_is_one_sentence(cli, demo):
    bad = b"\xff\xfeacme".decode("utf-8", "surrogateescape")
    for args in (["show", bad], ["find", bad], ["add", "customer", bad], ["log", "1", bad]):
        r = cli(demo, *args)
        one_sentence(r)
        assert "could not read an argument as text" in r.stderr


def test_echoed_arguments_carry_no_control_characters(cli, demo, tmp_path):
    nasty = "\x1b]0;pwned\x07\x1b[31mred\x9b31m\x07acme\x85"
    for args in (
        ["show", nasty],
        ["find", nasty],
        ["snooze", "1", nasty],
        ["log", "1", "x", "--next", nasty],
        ["backup", str(tmp_path / nasty)],  # a success echoing the path: stdout is cleaned too
    ):
        r = cli(demo, *args)
        assert r.returncode in (0, 1, 2)
        assert not CONTROL.search(r.stderr + r.stdout), (args, r.stderr)


@pytest.mark.parametrize(
    "toml, says",
    [
        ('stale_days = "x"\n', "stale_days"),
        ("[cadence_days]\npotentail = 3\n", "config key 'cadence_days.potentail' is unknown"),
        ("cadence.potentail = 3\n", "config key 'cadence' is unknown"),
        ("pipeline_weight_unit = 0\n", "pipeline_weight_unit"),
        ("[reports]\nfocus_limit = -1\n", "reports.focus_limit"),
        ("stale_days = \n", "not valid TOML"),
    ],
)
def test_a_bad_config_names_the_key(cli, demo, tmp_path, toml, says):
    config = tmp_path / "config.toml"
    config.write_text(toml)
    for args in (["due"], ["log", "1", "x"]):
        r = cli(demo, *args, env_extra={"TUICRM_CONFIG": str(config)})
        one_sentence(r)
        assert says in r.stderr and "config.toml" in r.stderr


def test_a_config_table_changes_only_the_keys_it_names(tmp_path):
    from tuicrm.config import DEFAULT, load_config

    config = tmp_path / "config.toml"
    config.write_text("[cadence_days]\npotential = 5\n")
    loaded = load_config(config)
    assert loaded.cadence_days["potential"] == 5
    assert loaded.cadence_days["intent"] == DEFAULT.cadence_days["intent"]
    assert loaded.cadence_days["lost"] is None


def test_year_1_and_9999_dates_never_reach_the_ics_export():
    from datetime import date, datetime

    from tuicrm.io.ics import PendingFollowUp, write_ics

    items = [
        PendingFollowUp("C1", "a", "A", "intent", day, None, None, None)
        for day in (date(1, 1, 1), date(9999, 12, 31), date(2026, 12, 1))
    ]
    for events in (False, True):
        data = write_ics(items, now=datetime(2026, 11, 22), events=events)
        assert data.count(b"UID:") == 1
