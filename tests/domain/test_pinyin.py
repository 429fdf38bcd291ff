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


def test_readings_are_pypinyins_own_with_its_phrases():
    """The compact phrase table and the longest-phrase segmentation read every name as pypinyin
    does with its phrase dictionary loaded (a sample of the dictionary, names made of three
    phrases, and 嫠不恤: a tail that only begins a phrase is read character by character)."""
    from pypinyin import Style, load_phrases_dict, pinyin
    from pypinyin.phrases_dict import phrases_dict

    from tuicrm.domain.pinyin import _segment_readings

    load_phrases_dict(phrases_dict)  # the reference: pypinyin reading with its phrases
    words = sorted(phrases_dict)
    texts = [
        *words[::50],
        *("".join(words[i : i + 3 * 997 : 997]) for i in range(0, len(words), 200)),
        *("嫠不恤", "恨入骨", "有限公司", "重庆银行", "曾志伟", "行长重乐曾单", "燵"),
    ]
    for text in texts:
        expected = [
            list(dict.fromkeys(r for r in item if r))
            for item in pinyin(text, style=Style.NORMAL, heteronym=True)
        ]
        assert [list(r) for r in _segment_readings(text)] == expected, text
