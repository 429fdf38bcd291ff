"""Write the blank import templates in this folder from the header labels in tuicrm.io.headers.

    python data/templates/make_templates.py

- customers-en.csv: English header line (UTF-8).
- customers-zh.csv: Chinese header line, UTF-8 with BOM so Excel on Windows shows it right.
- workbook-zh.xlsx: the rep's four-sheet workbook (客户信息, 跟进记录, 客户分级, 销售机会),
  with drop-down lists for the columns that take fixed words.

The headers are the canonical labels (LABELS_EN / LABELS_ZH), so every template
imports as-is; tests/io/test_headers.py checks that they match.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tuicrm.io.headers import LABELS_EN, LABELS_ZH, TEMPLATE_FIELDS

HERE = Path(__file__).resolve().parent

SHEETS_ZH = (("客户信息", "customers"), ("跟进记录", "followups"), ("客户分级", "tiers"), ("销售机会", "opportunities"))

# Drop-down words (what the importer's value mappers accept, in the template's language).
CHOICES_ZH = {
    ("customers", "status"): "潜在,意向,成交,流失",
    ("customers", "tier"): "A,B,C,D",
    ("customers", "kind"): "B2B,B2C",
    ("followups", "channel"): "电话,邮件,会议,拜访,线上会议,微信,演示,其他",
    ("followups", "attitude"): "积极,中性,消极",
    ("tiers", "tier"): "A,B,C,D",
    ("opportunities", "stage"): "线索,需求确认,方案,谈判,成交,流失",
}

# A fixed timestamp keeps the generated .xlsx byte-stable between runs.
FIXED_TIME = dt.datetime(2024, 1, 1)


def header(labels: dict[str, dict[str, str]], kind: str) -> list[str]:
    return [labels[kind][f] for f in TEMPLATE_FIELDS[kind]]


def write_csv(path: Path, row: list[str], bom: bool) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(fh).writerow(row)


def write_workbook(path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for title, kind in SHEETS_ZH:
        ws = wb.create_sheet(title)
        fields = TEMPLATE_FIELDS[kind]
        ws.append(header(LABELS_ZH, kind))
        for col, name in enumerate(fields, start=1):
            cell = ws.cell(row=1, column=col)
            cell.font, cell.fill = bold, fill
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = max(12, 2 * len(cell.value) + 4)
            words = CHOICES_ZH.get((kind, name))
            if words:
                dv = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
                dv.add(f"{letter}2:{letter}1000")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = "tuicrm"
    buffer = io.BytesIO()
    wb.save(buffer)
    # Re-pack with fixed entry times so regenerating does not change the file.
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)


def main() -> None:
    write_csv(HERE / "customers-en.csv", header(LABELS_EN, "customers"), bom=False)
    write_csv(HERE / "customers-zh.csv", header(LABELS_ZH, "customers"), bom=True)
    write_workbook(HERE / "workbook-zh.xlsx")


if __name__ == "__main__":
    main()
