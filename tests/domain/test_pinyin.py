"""Pinyin spellings for the search index (issue #19): full, initials, bounded polyphonic readings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tuicrm.config import PINYIN_FORMS
from tuicrm.domain.pinyin import has_hanzi, pinyin_forms, split_hanzi


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京华信", ("beijinghuaxin", "bjhx")),
        ("恒通", ("hengtong", "ht")),
        # A phrase settles a polyphonic character: 重庆 chong, 银行 hang.
        ("重庆银行", ("chongqingyinhang", "cqyh")),
        # Other characters stay as they are, lower case, spaces dropped.
        ("3M 中国", ("3mzhongguo", "3mzg")),
        ("Acme", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_forms(text, expected):
    assert pinyin_forms(text)[: len(expected)] == expected
    if not expected:
        assert pinyin_forms(text) == ()


def test_a_polyphonic_character_no_phrase_settles_adds_its_second_reading():
    forms = pinyin_forms("曾志伟")
    assert "cengzhiwei" in forms and "zengzhiwei" in forms
    assert "czw" in forms and "zzw" in forms


def test_spellings_are_bounded():
    # Every character of this name has two readings: still at most PINYIN_FORMS spellings.
    forms = pinyin_forms("行长重乐曾单" * 5)
    assert len(forms) <= 2 * PINYIN_FORMS


@pytest.mark.parametrize(
    ("word", "parts"),
    [("北京hx", ["北京", "hx"]), ("hx北京", ["hx", "北京"]), ("北京", ["北京"]), ("a华b", ["a", "华", "b"])],
)
def test_split_hanzi(word, parts):
    assert split_hanzi(word) == parts
    assert has_hanzi(word)


def test_the_search_side_never_imports_pypinyin():
    code = (
        "import sys; import tuicrm.query.search as s; "
        "s.text_terms('北京hx bjhx'); assert 'pypinyin' not in sys.modules, 'imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_spelling_inside_an_earlier_one_is_kept_once():
    from tuicrm.domain.pinyin import pinyin_spellings

    # The alias 鼎盛 is part of the name: its dingsheng / ds are already in the name's spellings.
    assert pinyin_spellings(["成都鼎盛科技", "鼎盛", None, "Acme"]) == ["chengdudingshengkeji", "cddskj"]
