"""Every workbook format through one reader (python-calamine), and a zip bomb refused (issue #15)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from tuicrm.io import readers
from tuicrm.io.importing import import_files
from tuicrm.io.readers import FileError, read_bytes, read_file

ROWS = [["客户名称", "电话", "金额", "首次接触时间"], ["甲公司", 13812345678, 1200.5, dt.date(2026, 3, 1)]]


def write_xls(path, rows=ROWS):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("客户")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write(r, c, v, dates)
            else:
                ws.write(r, c, v)
    wb.save(str(path))
    return path


def _ods_cell(v) -> str:
    if isinstance(v, dt.date):
        return f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}"/>'
    if isinstance(v, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{v}"/>'
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


def write_ods(path, rows=ROWS):
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (mimetype first, stored)."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="客户">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("suffix, write", [(".xls", write_xls), (".et", write_xls), (".ods", write_ods)])
def test_old_and_open_formats_read_like_xlsx(tmp_path, suffix, write):
    [sheet] = read_file(write(tmp_path / f"客户{suffix}"))
    assert sheet.name == "客户"
    assert sheet.rows[0] == ROWS[0]
    name, phone, amount, first = sheet.rows[1]
    assert (name, phone, amount) == ("甲公司", 13812345678, 1200.5)
    assert first in (dt.date(2026, 3, 1), dt.datetime(2026, 3, 1))


def test_an_xls_workbook_imports(store, tmp_path):
    report = import_files(store, [write_xls(tmp_path / "客户.xls")])
    assert report.totals()["created"] == 1 and not report.rejected


def test_an_ods_workbook_imports(store, tmp_path):
    report = import_files(store, [write_ods(tmp_path / "客户.ods")])
    assert report.totals()["created"] == 1 and not report.rejected


def test_whole_numbers_arrive_as_int_and_empty_cells_as_none(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Phone", "Notes"])
    ws.append(["Acme", 13812345678, None])
    ws["C3"] = "below"
    buf = io.BytesIO()
    wb.save(buf)
    [sheet] = read_bytes("c.xlsx", buf.getvalue())
    assert sheet.rows == [["Name", "Phone", "Notes"], ["Acme", 13812345678], [None, None, "below"]]
    assert sheet.row_numbers == [1, 2, 3]


def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                member.write(chunk)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_with_one_sentence(monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNZIPPED", 8 << 20)  # the real limit is 1 GB: a small bomb here
    data = _bomb(16 << 20)
    assert len(data) < 100_000
    with pytest.raises(FileError, match=r"^book\.xlsx is refused: its sheets would inflate to 16 MB") as exc:
        read_bytes("book.xlsx", data)
    assert "\n" not in str(exc.value)


def test_a_part_compressed_implausibly_well_is_refused_at_the_real_limit():
    data = _bomb(40 << 20)  # 40 MB of spaces in a few kB: far above any sheet's ratio
    with pytest.raises(FileError, match="zip bomb"):
        read_bytes("book.xlsx", data)


def test_a_file_named_xls_that_is_not_a_workbook_says_so(tmp_path):
    p = tmp_path / "old.xls"
    p.write_text("name,phone\nA,1\n")
    with pytest.raises(FileError, match="old.xls is not a .xls workbook"):
        read_file(p)
