"""One length limit per field (issue #14): the CLI refuses what the TUI would refuse, in one
sentence naming the option and the limit; nothing is written."""

from __future__ import annotations

import pytest

from tuicrm.domain.limits import LIMITS, LengthError, check_changes, field_limit


@pytest.fixture
def demo(demo_db):
    return demo_db(20, 1)


NOTE = field_limit("customer", "notes")


@pytest.mark.parametrize(
    "args, says",
    [
        (["add", "customer", "Zed", "--notes", "n" * (NOTE + 1)], f"--notes is {NOTE + 1} characters"),
        (["edit", "1", "--notes", "n" * 10_001], "at most 8000 fit"),
        (["add", "customer", "Z" * 201], "NAME is 201 characters"),
        (["add", "contact", "1", "Bob", "--title", "t" * 201], "--title"),
        (["log", "1", "s" * 4001], "SUMMARY"),
        (["log", "1", "x", "--action", "a" * 2001], "--action"),
        (["snooze", "1", "+1d", "--reason", "r" * 501], "--reason"),
        (["assess", "1", "--potential", "5", "--willingness", "5", "--basis", "b" * 2001], "--basis"),
        (["opp", "add", "1", "o" * 201, "--amount", "1"], "NAME"),
        (["edit", "1", "--add-tag", "t" * 501], "--tags/--add-tag"),
    ],
)
def test_the_cli_refuses_text_over_its_limit(cli, demo, args, says):
    before = cli(demo, "show", "1", "--json").stdout
    r = cli(demo, *args)
    assert r.returncode == 2 and says in r.stderr and "fit" in r.stderr, r.stderr
    assert cli(demo, "show", "1", "--json").stdout == before


def test_text_at_its_limit_is_taken(cli, demo):
    r = cli(demo, "edit", "1", "--notes", "n" * NOTE)
    assert r.returncode == 0, r.stderr


def test_the_store_check_holds_only_changed_fields():
    long = "n" * (NOTE + 5)
    check_changes("customer", {"notes": long, "industry": "a"}, {"notes": long, "industry": "b"})
    with pytest.raises(LengthError):
        check_changes("customer", {"notes": "short"}, {"notes": long})


def test_every_limited_field_is_a_text_column():
    from tuicrm import models

    tables = {m.__tablename__: m for m in models.UNDOABLE.values()}
    for table, fields in LIMITS.items():
        columns = tables[table].__table__.columns
        for field in fields:
            assert field in columns, f"{table}.{field}"
