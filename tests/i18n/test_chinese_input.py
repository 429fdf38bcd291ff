"""Chinese words in, stable English keys stored: ``--status 意向``, ``--channel 电话``, stage 谈判,
kind 拜访 — through one normaliser (tuicrm.domain.choices.canonical) for the CLI and the forms."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cli_runner import run_main
from tuicrm import config, i18n
from tuicrm.domain.choices import ZH_WORDS, canonical

NOW = "2026-12-07T09:00"  # a Monday


@pytest.mark.parametrize(
    ("typed", "choices", "key"),
    [
        ("意向", config.STATUSES, "intent"),
        ("潜在客户", config.STATUSES, "potential"),
        (" 休眠\u3000", config.STATUSES, "dormant"),
        ("INTENT", config.STATUSES, "intent"),
        ("谈判", config.STAGES, "negotiation"),
        ("需求确认", config.STAGES, "need"),
        ("成交", config.STAGES, "won"),
        ("电话", config.CHANNELS, "phone"),
        ("微信", config.CHANNELS, "im"),
        ("面谈", config.PREFERS, "meeting"),
        ("拜访", config.ACTIVITY_KINDS, "visit"),
        ("客户拜访", config.ACTIVITY_KINDS, "visit"),
        ("电话", config.ACTIVITY_KINDS, "call"),
        ("已取消", config.ACTIVITY_STATUSES, "cancelled"),
        ("决策者", config.CONTACT_ROLES, "decision-maker"),
        ("信任", config.RELATIONSHIPS, "trusted"),
        ("积极", config.ATTITUDES, "positive"),
        ("部分完成", config.FOLLOWUP_OUTCOMES, "partly"),
        ("高", config.RENEWAL_RISKS, "high"),
        ("培育中", config.LEAD_STATUSES, "nurturing"),
        ("高价值", config.LEAD_CLASSES, "high"),
        ("a级", config.TIERS, "A"),
    ],
)
def test_a_chinese_word_names_its_key(typed, choices, key):
    assert canonical(typed, choices) == key


@pytest.mark.parametrize(
    ("typed", "choices"),
    [("意向", config.STAGES), ("谈判", config.STATUSES), ("飞鸽", config.CHANNELS), ("", config.STATUSES)],
)
def test_a_word_of_another_list_names_nothing(typed, choices):
    assert canonical(typed, choices) is None


def test_every_word_maps_onto_its_own_list():
    for choices, words in ZH_WORDS.items():
        assert set(words.values()) <= set(choices), choices


def test_what_a_chinese_screen_shows_is_accepted_back(monkeypatch):
    """Every zh_CN display name (the catalogue) reads back as its key: a rep can type what they see."""
    from tuicrm.i18n import names

    lists = {
        "status": config.STATUSES,
        "stage": config.STAGES,
        "channel": config.CHANNELS,
        "attitude": config.ATTITUDES,
        "role": config.CONTACT_ROLES,
        "relationship": config.RELATIONSHIPS,
        "outcome": config.FOLLOWUP_OUTCOMES,
        "renewal_risk": config.RENEWAL_RISKS,
        "lead_status": config.LEAD_STATUSES,
        "lead_class": config.LEAD_CLASSES,
        "activity_kind": config.ACTIVITY_KINDS,
        "activity_status": config.ACTIVITY_STATUSES,
    }
    assert set(lists) <= set(names.LISTS)
    i18n.reset()
    i18n.set_language("zh_CN")
    try:
        assert i18n.catalogue("zh_CN"), "the zh_CN catalogue is compiled by the build (pip install -e .)"
        for list_name, choices in lists.items():
            shown = names.names(list_name)
            assert set(shown) == set(choices), list_name
            for key, word in shown.items():
                assert word != key, (list_name, key)  # translated
                assert canonical(word, choices) == key, (list_name, key, word)
    finally:
        i18n.reset()


def _cli(db, *args):
    result = run_main(["--db", str(db), *args], env={"TUICRM_NOW": NOW, "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    return result


def test_the_command_line_takes_chinese_words_and_stores_english_keys(db_path):
    _cli(db_path, "add", "customer", "恒通科技", "--status", "意向")
    _cli(db_path, "log", "恒通科技", "谈了价格", "--channel", "电话")
    _cli(db_path, "opp", "add", "恒通科技", "年度供货", "--stage", "需求确认", "--amount", "1000")
    _cli(db_path, "opp", "move", "1", "谈判")
    _cli(db_path, "activity", "add", "恒通科技", "拜访李总", "--kind", "拜访", "--at", "tomorrow 10:00")
    _cli(db_path, "edit", "恒通科技", "--status", "成交")
    card = json.loads(_cli(db_path, "show", "恒通科技", "--json").stdout)
    assert card["customer"]["status"] == "won"
    assert [f["channel"] for f in card["follow_ups"]] == ["phone"]
    assert [o["stage"] for o in card["opportunities"]] == ["negotiation"]
    activities = json.loads(_cli(db_path, "agenda", "--week", "--json").stdout)["activities"]
    assert [a["kind"] for a in activities] == ["visit"]
    assert "No leads." in _cli(db_path, "lead", "list", "--status", "培育中").stdout


def test_a_wrong_word_is_refused_with_the_keys(db_path):
    _cli(db_path, "add", "customer", "恒通科技")
    result = run_main(["--db", str(db_path), "edit", "恒通科技", "--status", "谈判"], env={"TUICRM_NOW": NOW})
    assert result.returncode != 0
    assert "potential" in result.stderr + result.stdout


def test_chinese_help_and_english_json_in_a_chinese_shell(db_path):
    """One real process (the language is read once per process): Chinese help, stable JSON."""
    _cli(db_path, "add", "customer", "恒通科技", "--status", "意向")
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "TUICRM_NOW": NOW, "COLUMNS": "100"}
    env.pop("TUICRM_LANG", None)
    code = "from tuicrm.cli import main; main()"
    helped = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True, env=env)
    assert "查找客户" in helped.stdout, helped.stdout + helped.stderr
    # Typer's own words too (tuicrm.i18n.framework): no English frame around the Chinese help.
    assert "用法:" in helped.stdout and "选项" in helped.stdout and "显示此帮助并退出" in helped.stdout
    assert "Usage" not in helped.stdout and "Show this message" not in helped.stdout
    shown = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db_path), "show", "恒通科技", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    card = json.loads(shown.stdout)
    assert card["customer"]["status"] == "intent" and "next_follow_up_on" in card["customer"]
