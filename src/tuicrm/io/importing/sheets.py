"""Step 1: every file read into sheets (:mod:`tuicrm.io.readers`). A file-level problem (empty,
binary, not a spreadsheet …) raises :class:`FileError` before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tuicrm.io.readers import read_file
from tuicrm.io.sheet import FileError, Sheet

__all__ = ["FileError", "Sheet", "read_sheets"]


def read_sheets(paths: Iterable[str | Path]) -> list[Sheet]:
    sheets: list[Sheet] = []
    for p in paths:
        sheets.extend(read_file(p))
    return sheets
