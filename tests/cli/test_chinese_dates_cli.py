"""Chinese dates on the command line (issue #19): ``log X "..." --next 明天``, ``snooze X 下周一``;
a counted date (``3天后``) lands on a working day, a named one is kept, the TUI's snooze refuses a past one."""

from __future__ import annotations

import json

import pytest

from tuicrm import i18n

NOW = "2026-11-25T09:00"  # a Wednesday, no holiday near


@pytest.fixture
def customer(cli, db_path):
    assert cli(db_path, "add", "customer", "恒通精密", now=NOW).returncode == 0
    return "恒通"


def next_on(cli, db_path, ref):
    r = cli(db_path, "show", ref, "--json", now=NOW)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["customer"]["next_follow_up_on"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("明天", "2026-11-26"),
        ("下周一", "2026-11-30"),
        ("周五", "2026-11-27"),
        ("12月1日", "2026-12-01"),
        ("2027年1月5日", "2027-01-05"),
        ("3天后", "2026-11-30"),  # counted: Sat 11-28 moves to the next working day
    ],
)
def test_log_next_takes_chinese_dates(cli, db_path, customer, typed, expected):
    r = cli(db_path, "log", customer, "打过电话", "--next", typed, now=NOW)
    assert r.returncode == 0, r.stderr
    assert next_on(cli, db_path, customer) == expected


def test_snooze_to_next_monday_and_a_named_saturday_kept(cli, db_path, customer):
    r = cli(db_path, "snooze", customer, "下周一", now=NOW)
    assert r.returncode == 0, r.stderr
    assert "2026-11-30" in r.stdout
    r = cli(db_path, "snooze", customer, "星期六", now=NOW)
    assert r.returncode == 0, r.stderr
    assert next_on(cli, db_path, customer) == "2026-11-28"


def test_yesterday_behaves_as_the_english_word(cli, db_path, customer):
    """A past date for snooze (``昨天`` as ``yesterday``) is refused unless --force, as the TUI's form refuses it."""
    for word in ("昨天", "yesterday", "-1d"):
        r = cli(db_path, "snooze", customer, word, now=NOW)
        assert r.returncode == 2 and "2026-11-24 is in the past" in r.stderr and "--force" in r.stderr, word
    r = cli(db_path, "snooze", customer, "昨天", "--force", now=NOW)
    assert r.returncode == 0, r.stderr
    assert next_on(cli, db_path, customer) == "2026-11-24"


def test_the_snooze_form_refuses_yesterday(monkeypatch):
    from tuicrm.ui.widgets.snooze import snooze_date

    monkeypatch.setenv("TUICRM_NOW", NOW)
    assert snooze_date("明天").isoformat() == "2026-11-26"
    with pytest.raises(ValueError, match="today or later"):
        snooze_date("昨天")


def test_a_bad_chinese_date_names_the_chinese_forms(cli, db_path, customer):
    i18n.set_language("zh_CN")
    try:
        r = cli(db_path, "snooze", customer, "某天", now=NOW)
    finally:
        i18n.reset()
    assert r.returncode != 0
    assert "不是日期" in r.stderr and "下周一" in r.stderr
