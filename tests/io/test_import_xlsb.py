"""An Excel binary workbook (.xlsb) is read like the others (issue #15). No program on this machine
writes .xlsb, so the fixture is python-calamine's own test file (MIT; see its .LICENSE beside it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tuicrm.io.readers import read_file

XLSB = Path(__file__).resolve().parents[1] / "data" / "calamine-base.xlsb"


def test_an_xlsb_workbook_reads_every_sheet_with_typed_cells():
    sheets = {s.name: s for s in read_file(XLSB)}
    assert set(sheets) >= {"Sheet1", "Sheet3"}
    first = sheets["Sheet1"].rows[0]
    assert first[:6] == ["String", 1, 1.1, True, False, dt.date(2010, 10, 10)]
    assert type(first[1]) is int  # a whole number arrives as an int, as from .xlsx
    assert sheets["Sheet1"].row_numbers == [2]  # the row number the spreadsheet shows
    # Sheet3's data starts at B2: the empty column and row stay, so numbers and columns match Excel's.
    assert sheets["Sheet3"].rows == [
        [None, "line1", "line1", "line1"],
        [None, "line2", "line2", "line2"],
        [None, "line3", "line3", "line3"],
    ]
    assert sheets["Sheet3"].row_numbers == [2, 3, 4]
