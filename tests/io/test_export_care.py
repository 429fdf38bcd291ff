"""Receivables, payments and complaints in every export format (issue #18), and back in."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from tuicrm.io.export import export_file
from tuicrm.store.complaints import add_complaint, add_step
from tuicrm.store.customers import create_customer
from tuicrm.store.receivables import add_receivable, record_payment


@pytest.fixture
def cared(store, monkeypatch):
    """Template 001's example: 客户A 应收 1000 实收 800 (two payments); 客户B 1500/1500; a complaint."""
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    cfg = store.config
    with store.write("seed") as s:
        a = create_customer(s, "客户A", phone="13812345678")
        b = create_customer(s, "客户B")
        ra = add_receivable(
            s, a, "1000", due_on=date(2026, 12, 1), settled_on=date(2026, 11, 1), invoice_no="F-1"
        )
        record_payment(s, a, "500", receivable=ra, paid_on=date(2026, 11, 5), method="cash")
        record_payment(s, a, "300", receivable=ra, paid_on=date(2026, 11, 9), method="transfer")
        rb = add_receivable(s, b, "1500", due_on=date(2026, 11, 30), settled_on=date(2026, 11, 10))
        record_payment(s, b, "1500", receivable=rb, paid_on=date(2026, 11, 12), method="cheque")
        k = add_complaint(
            s,
            cfg,
            a,
            "交货延迟",
            severity="high",
            channel="phone",
            cause="物流",
            opened_at=datetime(2026, 11, 20, 10),
        )
        add_step(s, k, "已联系物流")
        add_step(s, k, "已安排补发")
    return store


def _csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_kinds_carry_the_templates_columns(cared, tmp_path):
    export_file(cared, tmp_path / "r.csv", kind="receivables", lang="zh")
    rows = {r["客户名称"]: r for r in _csv(tmp_path / "r.csv")}
    assert list(rows["客户A"])[:9] == [
        "客户名称",
        "结算日期",
        "应收金额",
        "实收金额",
        "未收金额",
        "结算人",
        "付款日期",
        "付款方式",
        "备注",
    ]
    a, b = rows["客户A"], rows["客户B"]
    assert (a["应收金额"], a["实收金额"], a["未收金额"]) == ("1000.00", "800.00", "200.00")
    assert (b["应收金额"], b["实收金额"], b["未收金额"]) == ("1500.00", "1500.00", "0.00")
    assert (a["付款日期"], a["付款方式"], a["到期日"]) == ("2026-11-09", "transfer", "2026-12-01")
    report = export_file(cared, tmp_path / "p.csv", kind="payments")
    assert report.counts == {"payments": 3}
    pays = _csv(tmp_path / "p.csv")
    assert [(p["Amount paid"], p["Settles"]) for p in pays] == [
        ("500.00", "R000001"),
        ("300.00", "R000001"),
        ("1500.00", "R000002"),
    ]
    export_file(cared, tmp_path / "k.csv", kind="complaints", lang="zh")
    (k,) = _csv(tmp_path / "k.csv")
    assert (k["投诉编号"], k["投诉内容"], k["严重程度"], k["投诉日期"][:10]) == (
        "K000001",
        "交货延迟",
        "high",
        "2026-11-20",
    )
    assert k["处理过程"] == "已联系物流\n已安排补发"


def test_json_has_the_new_sections(cared, tmp_path):
    report = export_file(cared, tmp_path / "all.json")
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [r["amount"] for r in data["receivables"]] == ["1000.00", "1500.00"]
    assert [r["received"] for r in data["receivables"]] == ["800.00", "1500.00"]
    assert len(data["payments"]) == 3 and data["complaints"][0]["severity"] == "high"
    assert [s["text"] for s in data["complaint_steps"]] == ["已联系物流", "已安排补发"]
    assert report.counts["receivables"] == 2 and report.counts["complaint_steps"] == 2


def test_ics_has_receivables_due_and_complaint_deadlines(cared, tmp_path):
    from icalendar import Calendar

    report = export_file(cared, tmp_path / "due.ics")
    assert report.counts == {"pending follow-ups": 0, "receivables due": 1, "complaint deadlines": 1}
    cal = Calendar.from_ical((tmp_path / "due.ics").read_bytes())
    todos = {str(t["uid"]): t for t in cal.walk("VTODO")}
    r = todos["receivable-R000001@tuicrm"]  # R000002 is paid off: no task
    assert r.decoded("due") == date(2026, 12, 1) and "200.00" in str(r["summary"])
    k = todos["complaint-K000001@tuicrm"]
    assert int(k["priority"]) == 1 and "交货延迟" in str(k["summary"])
    assert set(todos) == {"receivable-R000001@tuicrm", "complaint-K000001@tuicrm"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_then_import_keeps_receivables_and_complaints(cared, tmp_path, lang):
    """Round trip through a workbook into a fresh database; the payments sheet is not read twice."""
    from tuicrm.io.importing import import_files
    from tuicrm.models import Complaint, ComplaintStep, Customer, Payment, Receivable
    from tuicrm.store import Store

    book = tmp_path / "book.xlsx"
    report = export_file(cared, book, unmasked=True, lang=lang)
    assert report.counts["receivables"] == 2 and report.counts["payments"] == 3
    fresh = Store.open(str(tmp_path / "fresh" / "crm.db"))
    try:
        result = import_files(fresh, [book])
        assert not result.rejected, result.to_dict()
        with fresh.read() as s:
            names = {c.id: c.name for c in s.query(Customer).all()}
            got = sorted(
                (names[r.customer_id], r.amount, r.received, r.due_on) for r in s.query(Receivable).all()
            )
            paid = sum((p.amount for p in s.query(Payment).all()), Decimal(0))
            (k,) = s.query(Complaint).all()
            steps = [x.text for x in s.query(ComplaintStep).all()]
        assert got == [
            ("客户A", Decimal("1000.00"), Decimal("800.00"), date(2026, 12, 1)),
            ("客户B", Decimal("1500.00"), Decimal("1500.00"), date(2026, 11, 30)),
        ]
        assert paid == Decimal("2300.00")
        assert (names[k.customer_id], k.content, k.severity, k.channel, k.cause) == (
            "客户A",
            "交货延迟",
            "high",
            "phone",
            "物流",
        )
        assert steps == ["已联系物流\n已安排补发"]
        again = import_files(fresh, [book])  # found again: nothing doubles
        with fresh.read() as s:
            assert s.query(Receivable).count() == 2 and s.query(Complaint).count() == 1
        assert not again.rejected
    finally:
        fresh.dispose()
