"""A sheet of raw cells and the error a whole file fails with: what every reader returns
(:mod:`tuicrm.io.readers` for CSV and XLSX, :mod:`tuicrm.io.vcard` for vCard)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuicrm.io.headers import HeaderMatch


class FileError(Exception):
    """A whole file cannot be imported; the message is one plain sentence."""


@dataclass
class Sheet:
    """The raw rows of one CSV file or one workbook sheet."""

    source: str  # file name as given
    name: str  # sheet name; the file stem for CSV and vCard
    rows: list[list[Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row number of each row
    encoding: str | None = None
    # Set by readers that know the layout already (vCard): no header row in ``rows``.
    match: HeaderMatch | None = None
    # Rows the reader could not read (index in ``rows`` -> reason).
    row_errors: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        stem = Path(self.source).name
        return stem if self.name in ("", Path(self.source).stem) else f"{stem} [{self.name}]"
