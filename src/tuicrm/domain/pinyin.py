"""Pinyin spellings of Chinese names for the search index (issue #19).

A name with Chinese characters is indexed under its full pinyin (``beijinghuaxin``) and its
initials (``bjhx``), so a rep finds 北京华信 by typing either. Readings come from pypinyin with
its phrase dictionary, so a character read differently inside a known word gets that word's
reading (重庆 chongqing, 银行 yinhang). A polyphonic character no phrase settles (曾 ceng/zeng)
adds one more spelling with its second reading in a short name (a person's: 曾 is zeng as a
surname): at most ``PINYIN_FORMS`` spellings per name, each character at most
``PINYIN_READINGS`` readings, so the index stays bounded.

pypinyin takes a noticeable moment to import, so it is imported here only when a text with
Chinese characters is converted (a write or an import), never by a search: the query side
needs only ``has_hanzi`` and ``split_hanzi``, which are plain regular expressions.

pypinyin's phrase dictionary, as pypinyin holds it (with its segmenter's prefix set), takes
45 MB — a sixth of a 100 000-row import's memory. So pypinyin is imported without it (its
single-character readings only) and :func:`_phrases` reads the same phrases into a compact
table; the segmentation is pypinyin's (longest phrase first), and ``test_pinyin`` checks the
readings against pypinyin's own with its phrases loaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import groupby

# CJK unified ideographs: extension A, the basic block, the compatibility block. Plain
# comparisons on the search side: a regular expression over these ranges takes 10 ms to compile.
_HANZI_RANGES = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"))
_HANZI_CLASS = "".join(f"{lo}-{hi}" for lo, hi in _HANZI_RANGES)


def is_hanzi(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def has_hanzi(text: str | None) -> bool:
    if not text or text.isascii():  # most names of an English file: one C-level check
        return False
    return any(is_hanzi(c) for c in text)


def split_hanzi(word: str) -> list[str]:
    """A word cut where Chinese characters meet other characters: ``北京hx`` → ``北京``, ``hx``."""
    return ["".join(run) for _kind, run in groupby(word, key=is_hanzi)]


@lru_cache(maxsize=1)
def _runs() -> re.Pattern[str]:
    """Runs of Chinese characters and runs of others, for the write side (many names a second)."""
    return re.compile(f"[{_HANZI_CLASS}]+|[^{_HANZI_CLASS}]+")


def pinyin_forms(text: str | None) -> tuple[str, ...]:
    """The lower-case pinyin spellings of ``text``, full then initials for each reading; () when
    it has no Chinese character. Other characters are kept as they are (spaces dropped):
    ``3M中国`` → ``3mzhongguo``, ``3mzg``."""
    if not text or text.isascii():  # no Chinese character: one C-level check
        return ()
    return _converter()("".join(text.lower().split()))


def pinyin_spellings(names: Iterable[str | None]) -> list[str]:
    """The spellings of every name, each once: one already inside an earlier spelling is left
    out (an alias is often part of the name: 鼎盛 in 成都鼎盛科技)."""
    out: list[str] = []
    for name in names:
        out += [f for f in pinyin_forms(name) if not any(f in known for known in out)]
    return out


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], tuple[str, ...]]:
    """``_forms`` behind a cache of ``PINYIN_CACHE`` names, built on first use: the search side
    imports this module, and must not pay for the config (or pypinyin) at start-up."""
    from tuicrm.config import PINYIN_CACHE

    return lru_cache(maxsize=PINYIN_CACHE)(_forms)


@lru_cache(maxsize=4096)
def _run_readings(run: str) -> tuple[list[str], ...]:
    """Each character's readings in a run of Chinese characters. Cached: the same runs recur
    from name to name (有限公司, 科技, 北京), and pypinyin is the import's costliest step."""
    from tuicrm.config import PINYIN_READINGS

    return tuple(list(r[:PINYIN_READINGS]) or [""] for r in _segment_readings(run))


def _segment_readings(run: str) -> list[tuple[str, ...]]:
    """pypinyin's phrase-aware readings of ``run`` (``pinyin(run, NORMAL, heteronym=True)``),
    from its own dictionaries: the longest phrase starting at each character gives its
    characters' readings, any other character its own; as pypinyin's segmenter does, a tail
    that only begins a phrase is read character by character. ``test_pinyin`` checks the
    result against pypinyin with its phrases loaded."""
    from bisect import bisect_left

    phrases, ordered, longest = _phrases()
    out: list[tuple[str, ...]] = []
    i, n = 0, len(run)
    while i < n:
        for j in range(min(n, i + longest), i + 1, -1):
            hit = phrases.get(run[i:j])
            if hit is not None:
                out += hit
                i = j
                break
        else:
            rest = run[i:]
            k = bisect_left(ordered, rest)
            if k < len(ordered) and ordered[k].startswith(rest):
                out += [_char_readings(c) for c in rest]
                break
            out.append(_char_readings(run[i]))
            i += 1
    return out


@lru_cache(maxsize=8192)
def _char_readings(char: str) -> tuple[str, ...]:
    """One character's readings, plain (no tones, ü as v), each once."""
    pinyin, normal = _pypinyin()
    return tuple(
        dict.fromkeys(r.lower() for item in pinyin(char, style=normal, heteronym=True) for r in item if r)
    )


@lru_cache(maxsize=1)
def _pypinyin() -> tuple[Callable[..., list[list[str]]], object]:
    """pypinyin's ``pinyin`` and its NORMAL style, imported without the phrase dictionary
    (pypinyin reads the variables once, at import; ``_phrases`` reads the phrases compactly)."""
    import sys

    if "pypinyin" not in sys.modules:
        saved = {k: os.environ.get(k) for k in ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")}
        os.environ.update(PYPINYIN_NO_PHRASES="1", PYPINYIN_NO_DICT_COPY="1")
        try:
            import pypinyin  # noqa: F401
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    from pypinyin import Style, pinyin

    return pinyin, Style.NORMAL


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, tuple[tuple[str, ...], ...]], list[str], int]:
    """pypinyin's phrase dictionary as (phrase → each character's plain readings, the phrases
    in order, the longest phrase's length). Read entry by entry from its JSON and kept as
    shared tuples: 10 MB, where pypinyin's own lists and its segmenter's prefix set take 45."""
    import json
    from importlib.resources import files

    entry = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*\[((?:\s*\[[^\[\]]*\]\s*,?)*)\s*\]')
    item_re = re.compile(r"\[([^\[\]]*)\]")
    string_re = re.compile(r'"((?:[^"\\]|\\.)*)"')

    _pypinyin()  # first: pypinyin imported without its phrases
    from pypinyin import Style
    from pypinyin.style import convert

    normal = Style.NORMAL
    text = (files("pypinyin") / "phrases_dict.json").read_text(encoding="utf-8")

    def unquote(s: str) -> str:
        return str(json.loads(f'"{s}"')) if "\\" in s else s

    class Items(dict[str, tuple[str, ...]]):
        """A character's readings as the file writes them (``["chóng", "zhòng"]``) → plain, each
        distinct list converted once and shared (a few thousand for 47 000 phrases)."""

        def __missing__(self, item: str) -> tuple[str, ...]:
            spelt = (
                str(convert(unquote(r), normal, True, default=r)).lower() for r in string_re.findall(item)
            )
            self[item] = plain = tuple(dict.fromkeys(x for x in spelt if x))
            return plain

    item = Items().__getitem__
    items = item_re.findall
    phrases = {
        (key if "\\" not in key else unquote(key)): tuple(map(item, items(body)))
        for key, body in entry.findall(text)
    }
    ordered = sorted(phrases)
    return phrases, ordered, max(map(len, ordered), default=1)


def _forms(text: str) -> tuple[str, ...]:
    from tuicrm.config import PINYIN_ALTERNATIVES_UP_TO, PINYIN_FORMS

    # (readings, is a Chinese character) per character, and one item per run of other text.
    items: list[tuple[list[str], bool]] = []
    for run in _runs().findall(text):
        if is_hanzi(run[0]):
            items += [(readings, True) for readings in _run_readings(run)]
        else:
            items.append(([run], False))
    if all(not hanzi for _, hanzi in items):
        return ()  # not ASCII, but no Chinese character either (café, Ωmega)
    out: dict[str, None] = {}
    first = [r[0] for r, _ in items]
    spellings = PINYIN_FORMS if len(items) <= PINYIN_ALTERNATIVES_UP_TO else 1
    for n in range(spellings):
        # Spelling n takes each character's n-th reading (its first when it has fewer).
        chosen = [r[n] if n < len(r) else r[0] for r, _ in items]
        if n and chosen == first:
            break
        out["".join(chosen)] = None
        out["".join(c[:1] if hanzi else c for c, (_, hanzi) in zip(chosen, items, strict=True))] = None
    return tuple(out)
