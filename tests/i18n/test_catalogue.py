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
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "tuicrm"
PO = SRC / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "tuicrm.po"
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# printf-style %(name)s / %s (the brace fields are read with string.Formatter, as .format reads them).
PRINTF = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


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


def fields(text: str) -> list[str]:
    """The ``{fields}`` ``.format`` fills in ``text`` (nested ones too), and any ``%(n)s``/``%s``.

    Only the names count: a translation may pad differently (``{stage:<10}`` for ``{stage:<12}``:
    a Chinese word takes two terminal cells a character)."""
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        return ["<unbalanced braces>"]
    names = []
    for literal, name, spec, _conversion in parsed:
        names += PRINTF.findall(literal)
        if name is not None:
            names.append(name)
            names += [f for _l, f, _s, _c in Formatter().parse(spec or "") if f is not None]
    return sorted(names)


def test_every_translation_keeps_its_placeholders(messages):
    broken = []
    for m in messages:
        sources = [m.id] if isinstance(m.id, str) else list(m.id)
        text = m.string if isinstance(m.string, str) else m.string[0]
        if fields(text) not in [fields(source) for source in sources]:
            broken.append((sources[0], text))
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


def test_the_placeholders_are_what_format_reads():
    assert fields("{a} {b:>5} {c:,.2f} {d:%m-%d} {e:<{width}} %(n)s") == sorted(
        ["a", "b", "c", "d", "e", "width", "%(n)s"]
    )
    assert fields("{stage:<10} 阶段") == fields("{stage:<12} stage")
    assert fields("{name} 已归档") != fields("{code} archived")
    assert fields("{name 已归档") == ["<unbalanced braces>"]


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
