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
def fresh(monkeypatch):
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
    fresh.setenv("TUICRM_LANG", "zh")  # the language without its region finds nothing more specific
    i18n.reset()
    assert i18n.catalogue("zh") is None
    assert i18n.catalogue("zh_CN") is not None


def test_the_english_path_does_not_load_gettext():
    """`tuicrm due` and friends translate through ``_()`` without importing gettext (re, enum)."""
    code = "import sys, tuicrm.i18n as t; t._('x'); t.ngettext('a', 'b', 2); print('gettext' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"LANG": "en_US.UTF-8"}
    )
    assert out.stdout.strip() == "False", out.stderr
