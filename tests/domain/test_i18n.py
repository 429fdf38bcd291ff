"""The ``_()`` wrapper: the English source text without a catalogue, a compiled catalogue when there is one."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest

from tuicrm import i18n


def _write_mo(path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format msgfmt writes): header, two tables of (length, offset), strings."""
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    key_table, value_table, offset = [], [], 0
    for k in keys:
        key_table += [len(k.encode()), start + offset]
        offset += len(k.encode()) + 1
    offset = 0
    for k in keys:
        value_table += [len(messages[k].encode()), start + len(ids) + offset]
        offset += len(messages[k].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        header
        + struct.pack(f"{2 * len(keys)}i", *key_table)
        + struct.pack(f"{2 * len(keys)}i", *value_table)
        + ids
        + strs
    )


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("TUICRM_CONFIG", str(tmp_path / "no-config.toml"))
    i18n.reset()
    yield monkeypatch
    i18n.reset()


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"TUICRM_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LANG": "de_DE.UTF-8"}, "de_DE"),
        ({}, "en"),
    ],
)
def test_language_from_the_environment(fresh, env, lang):
    for name in ("TUICRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        fresh.delenv(name, raising=False)
    for name, value in env.items():
        fresh.setenv(name, value)
    assert i18n.language() == lang


def test_without_a_catalogue_the_source_text_is_shown(fresh):
    fresh.setenv("TUICRM_LANG", "xx_YY")
    assert i18n._("Nothing due.") == "Nothing due."
    assert i18n.ngettext("{n} customer", "{n} customers", 1) == "{n} customer"
    assert i18n.ngettext("{n} customer", "{n} customers", 2) == "{n} customers"


def test_a_compiled_catalogue_translates(fresh, tmp_path):
    messages = {"": "Content-Type: text/plain; charset=UTF-8\n", "Nothing due.": "没有待办。"}
    _write_mo(tmp_path / "zh_CN" / "LC_MESSAGES" / "tuicrm.mo", messages)
    fresh.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    fresh.setenv("TUICRM_LANG", "zh_CN")
    assert i18n._("Nothing due.") == "没有待办。"
    assert i18n._("Not in the catalogue.") == "Not in the catalogue."
    assert i18n.catalogue("zh_CN") is not None
    # Any Chinese locale reads the one Chinese catalogue; another language finds none.
    assert i18n.catalogue("zh") == i18n.catalogue("zh_SG") == i18n.catalogue("zh_CN")
    assert i18n.catalogue("de_DE") is None


def _config(tmp_path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('language = "zh_CN"\n', "zh_CN"),
        ("# mine\nstale_days = 10\nlanguage='en'  # English\n[keymap]\n", "en"),
        ('[agenda]\nlanguage = "zh_CN"\n', None),  # not a top-level key
        ("stale_days = 10\n", None),
    ],
)
def test_the_language_in_the_config_file(tmp_path, text, found):
    assert i18n.configured_language(_config(tmp_path, text)) == found


def test_the_config_file_comes_before_the_locale_and_after_tuicrm_lang(fresh, tmp_path):
    for name in ("TUICRM_LANG", "LC_ALL", "LC_MESSAGES"):
        fresh.delenv(name, raising=False)
    fresh.setenv("LANG", "en_US.UTF-8")
    fresh.setenv("TUICRM_CONFIG", _config(tmp_path, 'language = "zh_CN"\n'))
    assert i18n.language() == "zh_CN" and i18n.is_chinese()
    fresh.setenv("TUICRM_LANG", "en")
    assert i18n.language() == "en" and not i18n.is_chinese()


def test_the_config_file_checks_the_language(tmp_path):
    from tuicrm.config import ConfigError, load_config

    assert load_config(_config(tmp_path, 'language = "zh_CN"\n')).language == "zh_CN"
    with pytest.raises(ConfigError, match="language"):
        load_config(_config(tmp_path, 'language = "klingon"\n'))


def test_set_language_switches_at_run_time(fresh, tmp_path):
    messages = {
        "": "Content-Type: text/plain; charset=UTF-8\n",
        "Customers": "客户",
        "status\x04intent": "意向",
    }
    _write_mo(tmp_path / "zh_CN" / "LC_MESSAGES" / "tuicrm.mo", messages)
    fresh.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    fresh.setenv("TUICRM_LANG", "en")
    assert i18n._("Customers") == "Customers"
    i18n.set_language("zh_CN")
    assert i18n._("Customers") == "客户"
    assert i18n.pgettext("status", "intent") == "意向"
    i18n.set_language(None)
    assert i18n._("Customers") == "Customers"
    assert i18n.pgettext("status", "intent") == "intent"


def test_the_english_path_does_not_load_gettext():
    """`tuicrm due` and friends translate through ``_()`` without importing gettext (re, enum)."""
    code = "import sys, tuicrm.i18n as t; t._('x'); t.ngettext('a', 'b', 2); print('gettext' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"LANG": "en_US.UTF-8"}
    )
    assert out.stdout.strip() == "False", out.stderr
