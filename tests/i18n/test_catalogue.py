"""The zh_CN catalogue: complete, its placeholders intact, up to date with the sources, and
compiled the way the build hook compiles it.

A new ``_()`` in the code without a translation fails here (the sources are re-extracted with
Babel and compared with the catalogue's msgids), and so does a translation that dropped or
renamed a ``{placeholder}`` (``.format`` would raise KeyError on the rep's screen).
"""

from __future__ import annotations

import importlib.util
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "tuicrm"
PO = SRC / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "tuicrm.po"
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# {name}, {name:>5}, {n:,.2f}, {start:%m-%d}; and printf-style %(name)s / %s.
PLACEHOLDER = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|%\([a-z_]+\)[sd]|%[sd]")


def _key(message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid)


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


@pytest.fixture(scope="module")
def messages(catalogue):
    return [m for m in catalogue if m.id]


def _extracted() -> set[tuple[str | None, str]]:
    found = set()
    for _file, _line, msgid, _comments, context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        found.add((context, msgid if isinstance(msgid, str) else msgid[0]))
    return found


def test_the_catalogue_is_up_to_date_with_the_sources(messages):
    in_code = _extracted()
    in_po = {_key(m) for m in messages}
    missing = sorted(in_code - in_po, key=str)
    stale = sorted(in_po - in_code, key=str)
    assert not missing, (
        f"{len(missing)} messages are not in {PO.name} (see babel.cfg to update it): {missing[:20]}"
    )
    assert not stale, f"{len(stale)} messages in {PO.name} are no longer in the code: {stale[:20]}"
    assert len(in_po) > 1200


def test_every_message_has_a_chinese_translation(messages):
    untranslated = [_key(m) for m in messages if not (m.string if isinstance(m.string, str) else m.string[0])]
    fuzzy = [_key(m) for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == [], (untranslated[:20], fuzzy[:20])


def test_every_translation_keeps_its_placeholders(messages):
    broken = []
    for m in messages:
        source = m.id if isinstance(m.id, str) else m.id[0]
        text = m.string if isinstance(m.string, str) else m.string[0]
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            broken.append((source, text))
    assert broken == []


def test_the_translations_read_chinese(messages):
    """A translator's slip (the English copied over) shows: most messages hold Chinese."""
    han = re.compile(r"[\u4e00-\u9fff]")
    english = [
        _key(m)
        for m in messages
        if isinstance(m.string, str) and m.string == m.id and han.search(m.id) is None
    ]
    # Key names, codes and formats read the same in both languages (ABC, RFM, $EDITOR, tab / shift+tab …).
    assert len(english) < 25, english


def test_the_placeholder_pattern_finds_what_format_reads():
    assert PLACEHOLDER.findall("{a} {b:>5} {c:,.2f} {d:%m-%d} {e:<{width}} %(n)s") == [
        "{a}",
        "{b:>5}",
        "{c:,.2f}",
        "{d:%m-%d}",
        "{e:<{width}}",
        "%(n)s",
    ]


def test_the_build_hook_compiles_a_catalogue_gettext_reads(tmp_path):
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec and spec.loader
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    locale = tmp_path / hook.LOCALE / "zh_CN" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "tuicrm.po").write_bytes(PO.read_bytes())
    assert hook.compile_catalogues(tmp_path) == [locale / "tuicrm.mo"]
    with (locale / "tuicrm.mo").open("rb") as fh:
        zh = GNUTranslations(fh)
    assert zh.gettext("Customers") == "客户"
    assert zh.pgettext("status", "intent") == "意向"
    assert zh.pgettext("stage", "negotiation") == "谈判"
    assert zh.ngettext("{n} customer", "{n} customers", 3) == "{n} 个客户"
