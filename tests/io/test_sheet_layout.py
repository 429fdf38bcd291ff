"""Sheets that are not data, the best header row (two-level merged headers), totals rows, and
fields derived from imported children whenever the customer's own cell is empty (#15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from tuicrm.io.importing import FileError, import_files
from tuicrm.models import Contact, Customer, Opportunity

REPO_ROOT = Path(__file__).resolve().parents[2]


def rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, data in sheets.items():
        ws = wb.create_sheet(name)
        for r in data:
            ws.append(r)
    wb.save(path)
    return path


CUSTOMERS = [
    ["客户名称", "电话", "所属行业"],
    ["甲公司", "13800138000", "制造"],
    ["乙公司", "13900139000", "零售"],
]


def by_sheet(report) -> dict[str, object]:
    return {s.sheet.split("[")[1].rstrip("]"): s for s in report.sheets}


def test_a_header_less_sheet_beside_the_main_one_is_not_imported_and_fails_nothing(store, tmp_path):
    f = workbook(
        tmp_path / "book.xlsx",
        {
            "客户": CUSTOMERS,
            "Sheet2": [["刘师傅", "13700137000", "其他"], ["王阿姨", "13600136000", "其他"]],
        },
    )
    report = import_files(store, [f])
    sheets = by_sheet(report)
    assert sheets["客户"].created == 2
    assert sheets["Sheet2"].not_imported
    assert {c["name"] for c in rows(store, Customer)} == {"甲公司", "乙公司"}


@pytest.mark.parametrize("name", ["说明", "填写说明", "Instructions"])
def test_an_instructions_sheet_is_not_imported(store, tmp_path, name):
    f = workbook(
        tmp_path / "book.xlsx",
        {name: [["说明"], ["1. 客户名称必填"], ["2. 日期格式 2024-01-01"]], "客户": CUSTOMERS},
    )
    report = import_files(store, [f])
    sheets = by_sheet(report)
    assert "instructions" in sheets[name].not_imported
    assert sheets["客户"].created == 2


def test_a_code_dictionary_is_not_imported(store, tmp_path):
    f = workbook(
        tmp_path / "book.xlsx",
        {"客户": CUSTOMERS, "Sheet3": [["代码", "含义"], ["A", "战略客户"], ["B", "重要客户"]]},
    )
    report = import_files(store, [f])
    assert by_sheet(report)["Sheet3"].not_imported and by_sheet(report)["客户"].created == 2


def test_a_sheet_without_its_essential_column_is_not_imported_inside_a_workbook(store, tmp_path):
    f = workbook(
        tmp_path / "book.xlsx",
        {"客户": CUSTOMERS, "other": [["Industry", "Phone", "Status"], ["Retail", "123456789", "潜在"]]},
    )
    report = import_files(store, [f])
    assert "no customer name column" in by_sheet(report)["other"].not_imported
    assert len(rows(store, Customer)) == 2


def test_templates_activity_plan_and_lead_sheet_import_the_weekly_report_does_not(store, tmp_path):
    activity = ["活动编号", "活动名称", "活动类型", "客户编号", "计划开始时间", "活动状态", "负责人"]
    lead = ["线索ID", "来源", "客户名称", "行业", "联系人", "职位", "电话", "邮箱", "预算范围", "需求描述"]
    weekly = [
        "汇报周期",
        "负责人",
        "线索新增量",
        "高价值线索数",
        "成交客户数",
        "成交金额(万)",
        "下周重点目标",
    ]
    f = workbook(
        tmp_path / "book.xlsx",
        {
            "客户": CUSTOMERS,
            "销售活动计划表": [
                activity,
                ["A001", "拜访", "客户拜访", "C000001", "2024-03-05 10:00", "计划中", "张"],
            ],
            "线索管理表": [
                lead,
                ["LX001", "线上广告-SEM", "A科技", "IT", "张*", "采购经理", "", "", "15-20万", "x"],
            ],
            "销售周报": [weekly, ["2024.3.4-3.10", "销售*", 15, 3, 1, 2.5, "跟进A科技"]],
        },
    )
    report = import_files(store, [f])
    sheets = by_sheet(report)
    # The activity plan and the lead sheet import into their own tables (tests/io/test_import_side.py).
    assert (sheets["销售活动计划表"].kind, sheets["销售活动计划表"].created) == ("activities", 1)
    assert (sheets["线索管理表"].kind, sheets["线索管理表"].created) == ("leads", 1)
    assert "a report" in sheets["销售周报"].not_imported
    assert {c["name"] for c in rows(store, Customer)} == {"甲公司", "乙公司"}


def test_a_lone_csv_without_a_header_still_says_so(store, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("刘师傅,13700137000,其他\n", encoding="utf-8")
    with pytest.raises(FileError, match="nothing to import"):
        import_files(store, [f])


def test_title_and_instruction_rows_above_the_header(store, tmp_path):
    f = workbook(
        tmp_path / "book.xlsx",
        {"客户": [["客户信息登记表"], ["说明：带*为必填项，日期写 2024-01-01"], *CUSTOMERS]},
    )
    report = import_files(store, [f])
    assert report.sheets[0].header_row == 3 and report.sheets[0].created == 2


def test_two_level_merged_header_keeps_the_emails(store, tmp_path):
    path = tmp_path / "merged.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["客户名称", "所属行业", "联系方式", None, None])
    ws.append([None, None, "手机", "邮箱", "QQ"])
    ws.append(["甲公司", "制造", "13800138000", "a@jia.cn", "12345"])
    ws.append(["乙公司", "零售", "13900139000", "b@yi.cn", None])
    ws.append(["合计", None, None, None, None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:E1")
    wb.save(path)
    report = import_files(store, [path])
    assert not report.rejected
    customers = {c["name"]: c for c in rows(store, Customer)}
    assert set(customers) == {"甲公司", "乙公司"}  # never a customer named 合计
    assert customers["甲公司"]["email"] == "a@jia.cn" and customers["乙公司"]["email"] == "b@yi.cn"
    assert customers["甲公司"]["phone"] == "13800138000"
    assert "12345" in customers["甲公司"]["notes"]  # the QQ number, under its header
    assert any("totals row (合计)" in n.message and n.row == 5 for n in report.notes)
    assert report.sheets[0].skipped == 1


def test_a_totals_row_of_an_opportunity_export_is_skipped(store, tmp_path):
    f = tmp_path / "deals.csv"
    f.write_text(
        "Opportunity Name,Account Name,Amount,Stage\n"
        'Big deal,Acme,"$150,000.00",Prospecting\n'
        'Small deal,Acme,"$37,400.00",Prospecting\n'
        'Total,,"$187,400.00",\n'
        "Total Solutions rollout,Acme,100,Prospecting\n",
        encoding="utf-8",
    )
    report = import_files(store, [f])
    names = {o["name"] for o in rows(store, Opportunity)}
    assert names == {"Big deal", "Small deal", "Total Solutions rollout"}
    assert any("totals row (Total)" in n.message and n.row == 4 for n in report.notes)


def test_subtotal_and_sum_rows(store, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(
        "客户名称,历史成交金额\n甲公司,100\n小计,100\nSum,100\n乙公司,5\n总计：,105\n", encoding="utf-8"
    )
    report = import_files(store, [f])
    assert {c["name"] for c in rows(store, Customer)} == {"甲公司", "乙公司"}
    assert len([n for n in report.notes if "totals row" in n.message]) == 3


# ---------------------------------------------------------------------------
# Empty is not given


def test_empty_cells_of_the_template_are_derived_from_children(store, tmp_path):
    wb = load_workbook(REPO_ROOT / "data" / "templates" / "workbook-zh.xlsx")
    headers = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}

    def put(sheet: str, values: dict[str, object]) -> None:
        ws = wb[sheet]
        ws.append([values.get(h) for h in headers[sheet]])

    put("客户信息", {"客户名称": "甲公司", "电话": "13800138000"})  # 下次跟进时间, 首次接触时间 … empty
    put("客户信息", {"客户名称": "乙公司", "首次接触时间": "2020-01-02", "当前状态": "潜在"})
    put(
        "跟进记录",
        {
            "客户名称": "甲公司",
            "跟进日期": "2026-11-20",
            "跟进方式": "电话",
            "沟通要点": "报价",
            "下次跟进时间": "2026-11-25",
        },
    )
    put("跟进记录", {"客户名称": "乙公司", "跟进日期": "2026-11-21", "跟进方式": "电话", "沟通要点": "报价"})
    put(
        "销售机会",
        {
            "机会名称": "一期",
            "客户名称": "甲公司",
            "预计成交金额": 50000,
            "销售阶段": "赢单",
            "实际成交日期": "2026-11-22",
        },
    )
    put(
        "销售机会",
        {
            "机会名称": "二期",
            "客户名称": "乙公司",
            "预计成交金额": 7000,
            "销售阶段": "赢单",
            "实际成交日期": "2026-11-22",
        },
    )
    path = tmp_path / "workbook.xlsx"
    wb.save(path)
    import_files(store, [path])
    customers = {c["name"]: c for c in rows(store, Customer)}
    jia, yi = customers["甲公司"], customers["乙公司"]
    assert jia["next_follow_up_on"] == date(2026, 11, 25)
    assert jia["first_contact_on"] == date(2026, 11, 20)
    assert jia["revenue_total"] == Decimal("50000") and jia["last_deal_on"] == date(2026, 11, 22)
    assert jia["status"] == "won"
    # What the customer's own cells say stands.
    assert yi["first_contact_on"] == date(2020, 1, 2) and yi["status"] == "potential"
    assert yi["revenue_total"] == Decimal("7000")


def test_contacts_sheet_still_imports_beside_them(store, tmp_path):
    f = workbook(
        tmp_path / "book.xlsx",
        {"客户": CUSTOMERS, "联系人": [["客户名称", "姓名", "手机"], ["甲公司", "王经理", "13512345678"]]},
    )
    import_files(store, [f])
    assert [x["name"] for x in rows(store, Contact)] == ["王经理"]
