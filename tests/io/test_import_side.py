"""The activity plan (template 003 销售活动计划表) and the lead sheet (template 004 线索管理表) import
into ``activity`` and ``lead`` (issue #17): customers by code or name, unknown customers
reported, BANT scored by the store, idempotent, one undo."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook

from tuicrm.io.importing import import_files
from tuicrm.models import Activity, Customer, Lead
from tuicrm.store import oplog

ACTIVITY = [
    "活动编号",
    "活动名称",
    "活动类型",
    "客户编号",
    "联系人编号",
    "机会编号",
    "活动目标",
    "活动内容",
    "计划开始时间",
    "计划结束时间",
    "实际开始时间",
    "实际结束时间",
    "活动地点",
    "参与人员",
    "所需资源",
    "预算",
    "活动状态",
    "活动结果",
    "后续行动",
    "负责人",
    "创建人",
]
LEADS = [
    "线索ID",
    "来源",
    "客户名称",
    "行业",
    "联系人",
    "职位",
    "电话",
    "邮箱",
    "预算范围",
    "需求描述",
    "负责人",
    "状态",
    "创建时间",
]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, data in sheets.items():
        ws = wb.create_sheet(name)
        for r in data:
            ws.append(r)
    wb.save(path)
    return path


def _rows(store, model) -> list[dict]:
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


def _template_book(tmp_path: Path) -> Path:
    return _book(
        tmp_path / "plan.xlsx",
        {
            "客户信息": [
                ["客户编号", "客户名称", "联系人", "电话"],
                ["KH001", "A科技有限公司", "张三", "13800000001"],
            ],
            "销售活动计划表": [
                ACTIVITY,
                [
                    "HD001",
                    "拜访A科技",
                    "客户拜访",
                    "KH001",
                    "张三",
                    "",
                    "确认需求",
                    "介绍产品",
                    "2026-11-25 10:00",
                    "2026-11-25 12:00",
                    "",
                    "",
                    "客户办公室",
                    "销售A",
                    "样品",
                    "2000",
                    "计划中",
                    "",
                    "",
                    "销售A",
                    "经理B",
                ],
                [
                    "HD002",
                    "技术交流",
                    "技术交流",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "2026-11-20 14:00",
                    "",
                    "2026-11-20 14:10",
                    "2026-11-20 16:00",
                    "",
                    "",
                    "",
                    "",
                    "已完成",
                    "客户满意",
                    "发方案",
                    "销售A",
                    "经理B",
                ],
                [
                    "HD003",
                    "电话回访",
                    "电话跟进",
                    "KH999",
                    "",
                    "",
                    "",
                    "",
                    "2026-11-26 09:00",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "计划中",
                    "",
                    "",
                    "销售A",
                    "经理B",
                ],
            ],
            "线索管理表": [
                LEADS,
                [
                    "LX001",
                    "线上广告-SEM",
                    "A科技有限公司",
                    "IT",
                    "张*",
                    "采购经理",
                    "5678",
                    "zhanga@x.com",
                    "15-20万",
                    "需要客户管理工具",
                    "销售*",
                    "新建",
                    "2024-03-01",
                ],
                [
                    "LX002",
                    "展会-教育展",
                    "B培训学校",
                    "教育",
                    "李*",
                    "校长",
                    "139",
                    "lib@school.cn",
                    "8-10万",
                    "提升招生效率",
                    "销售*",
                    "已联系",
                    "2024-03-02",
                ],
            ],
        },
    )


def test_the_activity_plan_and_lead_sheet_import_into_their_tables(store, tmp_path):
    book = _template_book(tmp_path)
    report = import_files(store, [book])
    sheets = {s.sheet.split("[")[-1].rstrip("]"): s for s in report.sheets}
    assert (sheets["销售活动计划表"].kind, sheets["销售活动计划表"].created) == ("activities", 1)
    rejected = {i.row: i.message for i in report.rejected}
    assert "customer 'KH999' is not in the database" in rejected[4]
    assert "no customer" in rejected[3]  # HD002 names no customer: reported, not dropped
    [customer] = _rows(store, Customer)
    [act] = _rows(store, Activity)
    assert (act["customer_id"], act["name"], act["kind"], act["status"]) == (
        customer["id"],
        "拜访A科技",
        "visit",
        "planned",
    )
    assert act["goal"] == "确认需求" and act["place"] == "客户办公室" and act["creator"] == "经理B"
    assert act["contact_id"] is not None and "活动编号: HD001" in act["content"]
    assert act["budget"] is not None and int(act["budget"]) == 2000
    leads = _rows(store, Lead)
    assert [(x["score"], x["score_class"]) for x in leads] == [(7, "medium"), (5, "medium")]
    assert (leads[0]["source"], leads[0]["source_detail"]) == ("线上广告", "SEM")
    assert leads[1]["status"] == "contacted" and "线索ID: LX002" in leads[1]["notes"]
    assert report.created["activity"] == 1 and report.created["lead"] == 2
    again = import_files(store, [book])
    assert not again.changed, again.to_dict()["created"]
    with store.write("undo", log=False) as s:
        oplog.undo(s, oplog.last_operation(s))
    assert _rows(store, Activity) == [] and _rows(store, Lead) == [] and _rows(store, Customer) == []


def test_english_activity_and_lead_headers(store, tmp_path):
    people = tmp_path / "accounts.csv"
    people.write_text("Company,Phone\nAcme Ltd,010-1234567\n", encoding="utf-8")
    plan = tmp_path / "agenda.csv"
    plan.write_text(
        "Activity,Type,Customer,Start,End,Status,Location\n"
        "Kick-off,Demo,Acme Ltd,2026-11-25 10:00,2026-11-25 11:00,Done,HQ\n",
        encoding="utf-8",
    )
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Lead ID,Lead Source,Company,Contact,Title,Budget,Needs,Lead Status\n"
        "W-1,Web,Initech,Bill,Director,150000,CRM,Qualified\n",
        encoding="utf-8",
    )
    report = import_files(store, [people, plan, leads])
    [act] = _rows(store, Activity)
    assert (act["name"], act["kind"], act["status"], act["place"]) == ("Kick-off", "demo", "done", "HQ")
    [lead] = _rows(store, Lead)
    assert (lead["company"], lead["status"], lead["score"]) == ("Initech", "qualified", 7)
    assert {s.kind for s in report.sheets} == {"customers", "activities", "leads"}


def test_an_instructions_sheet_naming_the_activity_fields_stays_instructions(store, tmp_path):
    book = _book(
        tmp_path / "b.xlsx",
        {
            "客户": [["客户名称", "电话"], ["甲公司", "13800000001"]],
            "填写说明": [
                ["字段", "说明"],
                ["活动编号", "自动生成"],
                ["活动名称", "必填"],
                ["计划开始时间", "日期"],
            ],
        },
    )
    report = import_files(store, [book])
    [guide] = [s for s in report.sheets if "填写说明" in s.sheet]
    assert guide.not_imported and "instructions" in guide.not_imported
