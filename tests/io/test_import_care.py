"""Template 001's 客户结算收款表 into receivable + payment and 客户投诉记录表 into complaint (issue #18):
the template's own example, a row whose three figures disagree reported, an excess kept as a
credit, idempotent, one undo."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tuicrm.io.importing import import_files
from tuicrm.models import Complaint, ComplaintStep, Payment, Receivable
from tuicrm.store import oplog


def _rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


def _files(tmp_path):
    customers = tmp_path / "c.csv"
    customers.write_text("客户名称\n客户A\n客户B\n客户C\n", encoding="utf-8")
    pay = tmp_path / "结算.csv"
    pay.write_text(
        "客户名称,结算日期,应收金额,实收金额,未收金额,结算人,付款日期,付款方式,备注\n"
        "客户A,2026-11-01,1000,800,200,王会计,2026-11-05,转账,\n"
        "客户B,2026-11-02,1500,1500,0,王会计,2026-11-06,现金,\n"
        "客户A,2026-11-03,500,100,300,王会计,2026-11-07,支票,核对\n"
        "客户C,2026-11-04,100,150,,王会计,2026-11-08,月结,\n"
        "客户X,2026-11-04,100,0,100,王会计,,,\n",
        encoding="utf-8",
    )
    complaints = tmp_path / "投诉.csv"
    complaints.write_text(
        "投诉日期,客户名称,投诉内容,处理过程,处理结果,处理时限,状态,严重程度,满意度\n"
        "2026-11-10,客户A,发货延迟,联系物流加急,已补发,24小时,已解决,高,4\n"
        "2026-11-20,客户B,发票错误,,,,待处理,中,\n",
        encoding="utf-8",
    )
    return [customers, pay, complaints]


def test_settlements_and_complaints_import_into_their_tables(store, tmp_path):
    files = _files(tmp_path)
    report = import_files(store, files)
    receivables = _rows(store, Receivable)
    # 客户A 应收 1000 实收 800 → 未收 200; 客户B 1500/1500 → 0 (the template's example).
    assert [(r["amount"], r["received"]) for r in receivables[:2]] == [
        (Decimal("1000.00"), Decimal("800.00")),
        (Decimal("1500.00"), Decimal("1500.00")),
    ]
    assert receivables[1]["paid_off_on"] is not None and receivables[0]["paid_off_on"] is None
    assert "outstanding" not in Receivable.__table__.c  # never stored: amount − received
    warnings = {w.row: w.message for w in report.warnings}
    assert "= 400.00, but 未收金额 says 300.00" in warnings[4]
    assert "'客户X' is not in the database" in next(i.message for i in report.rejected if i.row == 6)
    payments = _rows(store, Payment)
    assert [(p["amount"], p["receivable_id"] is None, p["method"]) for p in payments] == [
        (Decimal("800.00"), False, "transfer"),
        (Decimal("1500.00"), False, "cash"),
        (Decimal("100.00"), False, "cheque"),
        (Decimal("100.00"), False, "monthly"),
        (Decimal("50.00"), True, "monthly"),  # 150 received on 100 due: the excess is a credit
    ]
    complaints = _rows(store, Complaint)
    assert [(c["content"], c["severity"], c["status"], c["satisfaction"]) for c in complaints] == [
        ("发货延迟", "high", "resolved", 4),
        ("发票错误", "medium", "open", None),
    ]
    assert complaints[0]["result"] == "已补发" and "处理时限: 24小时" in complaints[0]["notes"]
    assert complaints[1]["deadline_at"] is not None  # the store's deadline by severity
    assert [s["text"] for s in _rows(store, ComplaintStep)] == ["联系物流加急"]
    assert (report.created["receivable"], report.created["payment"], report.created["complaint"]) == (4, 5, 2)
    assert not import_files(store, files).changed


def test_undo_takes_back_imported_complaints(store, tmp_path):
    customers, _pay, complaints = _files(tmp_path)
    import_files(store, [customers, complaints])
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))
    assert _rows(store, Complaint) == [] and _rows(store, ComplaintStep) == []
