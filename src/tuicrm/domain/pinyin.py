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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import groupby

# CJK unified ideographs: extension A, the basic block, the compatibility block. Plain
# comparisons, not a regular expression: this module is on the search's start-up path.
_HANZI_RANGES = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"))


def is_hanzi(char: str) -> bool:
    return any(lo <= char <= hi for lo, hi in _HANZI_RANGES)


def has_hanzi(text: str | None) -> bool:
    if not text or text.isascii():  # most names of an English file: one C-level check
        return False
    return any(is_hanzi(c) for c in text)


def split_hanzi(word: str) -> list[str]:
    """A word cut where Chinese characters meet other characters: ``北京hx`` → ``北京``, ``hx``."""
    return ["".join(run) for _kind, run in groupby(word, key=is_hanzi)]


def pinyin_forms(text: str | None) -> tuple[str, ...]:
    """The lower-case pinyin spellings of ``text``, full then initials for each reading; () when
    it has no Chinese character. Other characters are kept as they are (spaces dropped):
    ``3M中国`` → ``3mzhongguo``, ``3mzg``."""
    if not has_hanzi(text):
        return ()
    return _converter()("".join((text or "").lower().split()))


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
    from pypinyin import Style, pinyin  # slow import: only when something is indexed

    from tuicrm.config import PINYIN_READINGS

    out = []
    # Phrase-aware: a character inside a known phrase gets that phrase's one reading.
    for item in pinyin(run, style=Style.NORMAL, heteronym=True):
        distinct = list(dict.fromkeys(r.lower() for r in item if r))
        out.append(distinct[:PINYIN_READINGS] or [""])
    return tuple(out)


def _forms(text: str) -> tuple[str, ...]:
    from tuicrm.config import PINYIN_ALTERNATIVES_UP_TO, PINYIN_FORMS

    # (readings, is a Chinese character) per character, and one item per run of other text.
    items: list[tuple[list[str], bool]] = []
    for run in split_hanzi(text):
        if is_hanzi(run[0]):
            items += [(readings, True) for readings in _run_readings(run)]
        else:
            items.append(([run], False))
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
