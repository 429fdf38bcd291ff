"""Exports: every format, private files, masked phones, headers the importer recognises."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import date
from decimal import Decimal

import pytest

from tuicrm.io.export import ExportError, export_file
from tuicrm.io.headers import classify
from tuicrm.store.customers import create_contact, create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.pipeline import add_opportunity
from tuicrm.store.tiers import assess_customer


@pytest.fixture
def filled(store):
    cfg = store.config
    with store.write("seed") as s:
        a = create_customer(
            s,
            "精密机械有限公司",
            phone="13812345678",
            email="a@jm.example",
            tier="A",
            notes='=HYPERLINK("http://evil")',
        )
        create_customer(s, "No Follow-up Ltd", phone="+1 555 0100")
        create_contact(
            s,
            a,
            "王经理",
            mobile="13900001111",
            title="采购经理",
            email="wang@jm.example",
            birthday=date(1980, 5, 6),
        )
        log_follow_up(s, cfg, a, "介绍方案", next_on=date(2026, 11, 25), next_action="发送报价单")
        assess_customer(s, cfg, a, 8, 9)
        add_opportunity(s, cfg, a, "云服务器项目", Decimal("500000"), stage="proposal")
    return store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("name", ["all.json", "customers.csv", "book.xlsx", "people.vcf", "due.ics"])
def test_every_format_is_written_private(filled, tmp_path, name):
    path = tmp_path / name
    old = os.umask(0o022)
    try:
        report = export_file(filled, path)
    finally:
        os.umask(old)
    assert path.exists() and mode(path) == 0o600
    assert report.masked and "masked" in report.summary()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_existing_world_readable_file_becomes_private(filled, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("old")
    os.chmod(path, 0o644)
    with pytest.raises(ExportError, match="already exists"):  # kept unless force (issue #14)
        export_file(filled, path)
    assert path.read_text() == "old" and mode(path) == 0o644
    export_file(filled, path, force=True)
    assert mode(path) == 0o600 and "精密机械有限公司" in path.read_text(encoding="utf-8-sig")


def test_phones_are_masked_unless_unmasked(filled, tmp_path):
    masked = tmp_path / "m.json"
    export_file(filled, masked)
    data = json.loads(masked.read_text())
    assert data["customers"][0]["phone"] == "138****5678" and data["contacts"][0]["mobile"] == "139****1111"
    assert "13812345678" not in masked.read_text()
    full = tmp_path / "u.json"
    export_file(filled, full, unmasked=True)
    assert json.loads(full.read_text())["customers"][0]["phone"] == "13812345678"
    for name in ("c.csv", "p.vcf", "d.ics", "b.xlsx"):
        export_file(filled, tmp_path / name)
        assert b"13812345678" not in (tmp_path / name).read_bytes()


def test_json_has_everything(filled, tmp_path):
    path = tmp_path / "all.json"
    report = export_file(filled, path, unmasked=True)
    data = json.loads(path.read_text())
    assert data["format"] == "tuicrm-export" and data["version"] == 1
    assert {len(data[k]) for k in ("contacts", "followups", "tier_assessments", "opportunities")} == {1}
    assert len(data["customers"]) == 2 and len(data["stage_changes"]) == 1
    assert data["opportunities"][0]["amount"] == "500000.00"
    assert report.counts["customers"] == 2


def test_csv_has_importable_headers_and_keeps_formula_text_inert(filled, tmp_path):
    path = tmp_path / "c.csv"
    export_file(filled, path, unmasked=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 Chinese text correctly
    reader = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert classify(list(reader[0].keys())) == "customers"
    assert reader[0]["Notes"].startswith("'=HYPERLINK")
    for kind in ("contacts", "followups", "tiers", "opportunities"):
        p = tmp_path / f"{kind}.csv"
        export_file(filled, p, kind=kind)
        header = next(csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig"))))
        assert classify(header) == kind, (kind, header)


def test_xlsx_has_one_sheet_per_entity_and_formula_text_stays_text(filled, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "b.xlsx"
    report = export_file(filled, path, lang="zh")
    wb = load_workbook(path)
    assert wb.sheetnames == ["客户信息", "联系人", "跟进记录", "客户分级评估", "销售机会"]
    assert report.counts == {"customers": 2, "contacts": 1, "followups": 1, "tiers": 1, "opportunities": 1}
    ws = wb["客户信息"]
    header = [c.value for c in ws[1]]
    notes = ws.cell(row=2, column=header.index("备注") + 1)
    assert notes.data_type == "s" and notes.value.startswith("'=HYPERLINK")  # guarded, OWASP


def test_vcf_contacts_read_back_with_vobject(filled, tmp_path):
    import vobject

    for version in ("3.0", "4.0"):
        path = tmp_path / f"p{version}.vcf"
        export_file(filled, path, unmasked=True, vcard_version=version)
        (card,) = list(vobject.readComponents(path.read_text()))
        assert card.fn.value == "王经理" and card.org.value == ["精密机械有限公司"]
        assert card.version.value == version
        assert card.tel.value == "13900001111" and card.email.value == "wang@jm.example"


def test_ics_has_one_todo_per_pending_follow_up(filled, tmp_path):
    from icalendar import Calendar

    path = tmp_path / "due.ics"
    report = export_file(filled, path)
    cal = Calendar.from_ical(path.read_bytes())
    todos = [c for c in cal.walk() if c.name == "VTODO"]
    assert report.counts == {"pending follow-ups": 1} and len(todos) == 1
    todo = todos[0]
    assert str(todo["summary"]) == "Follow up: 精密机械有限公司 — 发送报价单"
    assert todo["due"].dt == date(2026, 11, 25)
    assert str(todo["uid"]) == "followup-C000001@tuicrm"
    assert "138****5678" in str(todo["description"])
    export_file(filled, path, events=True, force=True)
    events = [c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT"]
    assert len(events) == 1 and events[0]["dtstart"].dt == date(2026, 11, 25)


@pytest.mark.parametrize(
    "name, kwargs, message",
    [
        ("x.pdf", {}, "cannot export"),
        ("x.json", {"kind": "contacts"}, "--kind applies"),
        ("x.csv", {"kind": "deals"}, "not a kind"),
        ("missing-dir/x.csv", {}, "does not exist"),
    ],
)
def test_export_errors_are_one_sentence(filled, tmp_path, name, kwargs, message):
    with pytest.raises(ExportError, match=message):
        export_file(filled, tmp_path / name, **kwargs)


def test_cli_export(db_path, tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, TUICRM_NOW="2026-11-22T09:00")

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "tuicrm", "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    run("add", "customer", "Acme", "--phone", "13812345678", "--next", "tomorrow")
    out = tmp_path / "all.xlsx"
    r = run("export", str(out))
    assert r.returncode == 0 and "Exported 1 customers" in r.stdout and "masked" in r.stdout
    assert mode(out) == 0o600
    r = run("export", str(tmp_path / "x.doc"))
    assert r.returncode == 1 and "cannot export" in r.stderr
    r = run("export", str(tmp_path / "due.ics"), "--json")
    assert json.loads(r.stdout)["counts"] == {"pending follow-ups": 1}


FORMULAS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tHIDDEN", "\r=1"]


def test_formula_cells_are_guarded_in_csv_and_xlsx(store, tmp_path):
    """OWASP: a cell starting with = + - @ TAB or CR gets a leading apostrophe; numbers stay numbers."""
    from openpyxl import load_workbook

    with store.write("seed") as s:
        for i, text in enumerate(FORMULAS):
            create_customer(s, f"Guarded {i}", notes=text, industry=text.strip() or None)
    export_file(store, tmp_path / "c.csv", unmasked=True)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))))
    cells = [v for r in rows for v in r.values() if v]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    export_file(store, tmp_path / "b.xlsx", unmasked=True)
    ws = load_workbook(tmp_path / "b.xlsx").worksheets[0]
    for row in ws.iter_rows(min_row=2, values_only=True):
        for v in row:
            if isinstance(v, str):
                assert v[:1] not in ("=", "+", "-", "@", "\t", "\r"), v
            elif isinstance(v, int | float) and v < 0:
                pass  # a negative number exported as a number is not a formula


def test_the_importer_removes_the_guard_again(store, tmp_path):
    """Round trip: export (guarded) → import into an empty database → the same text."""
    from tuicrm.io.importing import import_files
    from tuicrm.models import Customer
    from tuicrm.store import Store

    texts = [t for t in FORMULAS if t.strip() == t]  # leading TAB/CR are trimmed as any space
    with store.write("seed") as s:
        for i, text in enumerate(texts):
            create_customer(s, f"Guarded {i}", notes=text, phone=f"+86 138 1234 56{i:02d}")
    for name in ("c.csv", "b.xlsx"):
        export_file(store, tmp_path / name, unmasked=True)
        fresh = Store.open(str(tmp_path / name.replace(".", "-") / "crm.db"))
        try:
            result = import_files(fresh, [tmp_path / name])
            assert not result.rejected, result.to_dict()
            with fresh.read() as session:
                got = {c.name: (c.notes, c.phone) for c in session.query(Customer).all()}
            assert got == {f"Guarded {i}": (t, f"+86 138 1234 56{i:02d}") for i, t in enumerate(texts)}, name
        finally:
            fresh.dispose()


def test_json_rows_written_by_sqlite_are_the_python_rows(filled):
    """The JSON export's rows as SQLite writes them (``io.export.json_rows``) are the text of the
    Python rows, masked or not, whichever way a row goes: plain values, ``json_quote`` (a newline,
    a quote, a control character in a text; a number in a date column) or Python (odd stored
    values, a phone SQL does not mask)."""
    import sqlite3

    from tuicrm.io.export.json_rows import section_rows
    from tuicrm.io.export.rows import JSON_SECTIONS, Source
    from tuicrm.io.export.tabular import RowTexts, _row_text

    phones = [
        "+86 138 1234 5678",
        "0571-8888 6666",
        "123",
        "  ",
        "(0571) 88886666",
        "１３８",
        "8613812345678x",
    ]
    phones += ["+1 555 0100 " * 7, "+44 20 7946 0958", None]
    with filled.write("more") as s:
        for i in range(len(phones)):
            create_customer(s, f"Phone {i}", notes="two\nlines" if i % 2 else None)
    with sqlite3.connect(filled.path) as conn:  # stored forms other writers might leave
        for i, phone in enumerate(phones):
            conn.execute("UPDATE customer SET phone = ? WHERE name = ?", (phone, f"Phone {i}"))
        conn.execute("UPDATE customer SET first_contact_on = 20261122 WHERE name = 'Phone 0'")
        conn.execute(
            "UPDATE customer SET budget_max = -150, budget_min = -5, updated_at = '2026-11-22 09:00:00.123456' WHERE name = 'Phone 2'"
        )
        conn.execute("UPDATE followup SET at = '2026-11-22T09:00:00+08:00', summary = 'a\"b\x01\\c\u2028'")
        conn.execute("UPDATE opportunity SET amount = 5000000.0")
        conn.execute("UPDATE customer SET phone = '' WHERE name = 'No Follow-up Ltd'")
        conn.execute("UPDATE contact SET is_key_decision_maker = 1")
        conn.execute("UPDATE tierassessment SET potential = 7.5, willingness = 'high'")  # NOT NULL ints
        conn.execute("UPDATE customer SET budget_min = 1.5 WHERE name = 'No Follow-up Ltd'")
        conn.execute("UPDATE followup SET created_at = '2026-11-22 09:00:00.5' WHERE id = 1")
    with filled.read() as session:
        source = Source(session)
        for unmasked in (False, True):
            for _key, table in JSON_SECTIONS:
                python = [_row_text(d) for d in source.table_rows(table, unmasked=unmasked)]
                rows = section_rows(source, table, unmasked=unmasked)
                assert isinstance(rows, RowTexts), table  # every table is written by SQLite
                assert [t.decode("utf-8") for batch in rows for t in batch] == python, table


def test_a_failed_json_write_reaches_the_caller():
    from tuicrm.io.export import tabular

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        tabular.write_json(Full(), {"format": "x"}, [], None)


def test_written_back_while_writing_the_file_keeps_every_byte(tmp_path, monkeypatch):
    from tuicrm.io.export import sink

    monkeypatch.setattr(sink, "WRITE_BACK", 10)  # ask the kernel to write back after every chunk
    chunks = [bytes([65 + i]) * (7 + i) for i in range(20)]
    with open(tmp_path / "out", "wb") as fh, io.BytesIO() as memory:
        for target in (fh, memory):
            with sink.threaded_writes(target) as out:
                for chunk in chunks:
                    out.write(chunk)
        assert memory.getvalue() == b"".join(chunks)
    assert (tmp_path / "out").read_bytes() == b"".join(chunks)
