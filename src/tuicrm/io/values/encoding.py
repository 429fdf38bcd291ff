"""Bytes → text: the encoding of an uploaded CSV, and refusing binary data."""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Bytes -> text


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode an uploaded CSV: (text, encoding name).

    Order: a BOM (UTF-8, UTF-16) decides; then strict UTF-8; then GB18030 (a
    superset of GBK/GB2312, what Chinese Excel writes) or cp1252 (what Western
    Excel and Outlook write), whichever reads as more plausible text: CJK
    ideographs from the common GB2312 set for GB18030, accented letters inside
    words for cp1252. Binary data (NUL bytes, control characters, zip/xlsx, PDF,
    old .xls) is refused.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        _refuse_binary(data[3:])
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ValueError(f"the file is marked UTF-8 but byte {exc.start + 3} is not UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ValueError("the file does not look like a text file (broken UTF-16)") from None
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for encoding, scorer in (("gb18030", _score_cjk), ("cp1252", _score_latin)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((scorer(text), encoding, text))
    if not candidates:
        # Not valid in either: Latin-1 reads every byte, so at least nothing is lost.
        return data.decode("latin-1"), "latin-1"
    candidates.sort(key=lambda c: c[0], reverse=True)
    _score, encoding, text = candidates[0]
    return text, encoding


def _refuse_binary(data: bytes) -> None:
    for magic, what in (
        (b"PK\x03\x04", "a zip archive (an .xlsx workbook?)"),
        (b"%PDF", "a PDF"),
        (b"\xd0\xcf\x11\xe0", "an old Office file (.xls)"),
    ):
        if data.startswith(magic):
            raise ValueError(f"the file is {what}; it does not look like a text file")
    sample = data[:65536]
    if b"\x00" in sample:
        raise ValueError("the file contains NUL bytes; it does not look like a text file")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls / len(sample) > 0.01:
        raise ValueError("the file is full of control characters; it does not look like a text file")


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _score_cjk(text: str) -> float:
    """Per non-ASCII character: +1 common hanzi/CJK punctuation, +0.5 other CJK, −1 anything else."""
    score = 0.0
    for ch in text:
        if ch < "\x80":
            continue
        if _in_gb2312(ch):
            score += 1
        elif "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef":
            score += 0.5
        else:
            score -= 1
    return score


def _score_latin(text: str) -> float:
    """Per run of non-ASCII characters: +2 a lone letter (an accent inside a word: "geschäftlich"),
    +1 a pair of lower-case letters ("Größe"), +1 a lone common sign (€, –, ’), else −1 per character
    (GBK read as cp1252 gives long runs like "¿Í»§Ãû³Æ")."""
    score = 0.0
    for run in re.findall(r"[^\x00-\x7f]+", text):
        if len(run) == 1 and run.isalpha():
            score += 2
        elif len(run) == 2 and run.isalpha() and run.islower():
            score += 1
        elif len(run) == 1 and run in "€£§°–—‘’“”…·":
            score += 1
        else:
            score -= len(run)
    return score
