"""Issue #16: the templates' remaining fields come in under their own Chinese headers (simplified
and the seeds' traditional spelling) and English ones. Issue #14: every text an import writes is
held to its field's limit, and an over-long one is never dropped silently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tuicrm.domain.limits import limit
from tuicrm.io.headers import match_headers
from tuicrm.io.importing import import_files
from tuicrm.models import Contact, Customer, FollowUp, Opportunity, TierAssessment


def write_xlsx(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, table in sheets.items():
        ws = wb.create_sheet(title)
        for line in table:
            ws.append(list(line))
    wb.save(path)
    return path


def all_rows(store, model):
    with store.read() as s:
        t = model.__table__
        return [dict(r) for r in s.connection().execute(sa.select(t).order_by(t.c.id)).mappings()]


# (kind, header, field): the headers the five seed templates use for the new fields.
TEMPLATE_HEADERS = [
    ("customers", "注册地址", "registered_address"),
    ("customers", "注冊地址", "registered_address"),  # seed 003's spelling
    ("customers", "经营地址", "address"),
    ("customers", "經營地址", "address"),
    ("customers", "区域", "region"),
    ("customers", "地区", "region"),
    ("customers", "营收", "company_revenue"),
    ("customers", "年营业额", "company_revenue"),
    ("customers", "产品偏好", "product_preference"),
    ("customers", "付款方式", "payment_method"),
    ("customers", "续约风险", "renewal_risk"),
    ("customers", "續約風險", "renewal_risk"),
    ("customers", "续约日期", "renewal_on"),
    ("customers", "Registered address", "registered_address"),
    ("customers", "Annual revenue", "company_revenue"),
    ("customers", "Renewal date", "renewal_on"),
    ("contacts", "性别", "gender"),
    ("contacts", "性別", "gender"),
    ("contacts", "教育背景", "education"),
    ("contacts", "學歷", "education"),
    ("contacts", "工作经历", "work_history"),
    ("contacts", "工作經歷", "work_history"),
    ("contacts", "Work history", "work_history"),
    ("opportunities", "产品/服务", "product"),
    ("opportunities", "產品/服務", "product"),
    ("opportunities", "优势分析", "strengths"),
    ("opportunities", "優勢分析", "strengths"),
    ("opportunities", "劣势分析", "weaknesses"),
    ("opportunities", "劣勢分析", "weaknesses"),
    ("opportunities", "关键成功因素", "key_success_factors"),
    ("opportunities", "關鍵成功因素", "key_success_factors"),
    ("opportunities", "下一步行动", "next_step"),
    ("opportunities", "下一步行動", "next_step"),
    ("opportunities", "行动负责人", "next_step_owner"),
    ("opportunities", "行動負責人", "next_step_owner"),
    ("opportunities", "计划完成日期", "next_step_due_on"),
    ("opportunities", "計劃完成日期", "next_step_due_on"),
    ("opportunities", "实际完成日期", "next_step_done_on"),
    ("opportunities", "實際完成日期", "next_step_done_on"),
    ("opportunities", "风险与应对", "risks"),
    ("opportunities", "推进计划", "plan"),
    ("opportunities", "Next step", "next_step"),
    ("followups", "地点", "place"),
    ("followups", "互动地点", "place"),
    ("followups", "互動地點", "place"),
    ("followups", "我方参与人", "attendees"),
    ("followups", "我方參與人", "attendees"),
    ("followups", "完成状态", "outcome"),
    ("followups", "完成狀態", "outcome"),
    ("followups", "客户异议", "objection"),
    ("followups", "疑虑与异议", "objection"),
    ("followups", "疑慮與異議", "objection"),
    ("followups", "客户反馈/异议", "feedback"),  # seed 004: one column for both stays feedback
    ("followups", "本次跟进目标", "goal"),
    ("followups", "客户参与人", "contact_name"),
    ("followups", "跟进人", "owner"),
]


@pytest.mark.parametrize(("kind", "header", "field"), TEMPLATE_HEADERS)
def test_template_header_maps_to_its_field(kind, header, field):
    anchor = {
        "customers": "客户名称",
        "contacts": "姓名",
        "opportunities": "机会名称",
        "followups": "跟进日期",
    }
    m = match_headers([anchor[kind], header], kind)
    assert m.columns.get(1) == field, (header, m.columns)


def test_seed_003_interaction_record_headers_map_every_new_column():
    # 003 §4 客户互动记录表 (traditional, as in the seed): the new columns all find a field.
    headers = [
        "互動時間",
        "互動方式",
        "互動地點",
        "我方參與人",
        "客戶參與人",
        "互動主題",
        "客戶反饋",
        "完成狀態",
    ]
    m = match_headers(headers)
    assert m.kind == "followups"
    assert [m.columns[i] for i in range(len(headers))] == [
        "at",
        "channel",
        "place",
        "attendees",
        "contact_name",
        "summary",
        "feedback",
        "outcome",
    ]


def test_a_workbook_with_every_new_field_imports_them(store, tmp_path):
    path = write_xlsx(
        tmp_path / "templates.xlsx",
        {
            "客户信息": (
                (
                    "客户名称",
                    "注册地址",
                    "经营地址",
                    "区域",
                    "营收(万元)",
                    "产品偏好",
                    "付款方式",
                    "续约风险",
                    "续约日期",
                ),
                (
                    "精密机械",
                    "自贸区1号",
                    "浦东XX路100号",
                    "华东",
                    "1,200",
                    "云服务器",
                    "月结30天",
                    "高",
                    "2027-06-30",
                ),
            ),
            "联系人": (
                ("客户名称", "姓名", "性别", "教育背景", "工作经历"),
                ("精密机械", "王经理", "男", "复旦大学", "A公司 5年"),
            ),
            "销售机会": (
                (
                    "客户名称",
                    "机会名称",
                    "产品/服务",
                    "优势分析",
                    "劣势分析",
                    "关键成功因素",
                    "风险因素",
                    "下一步行动",
                    "行动负责人",
                    "计划完成日期",
                    "实际完成日期",
                    "销售阶段",
                    "成交概率",
                ),
                (
                    "精密机械",
                    "云服务器项目",
                    "云服务器",
                    "本地机房",
                    "价格高",
                    "迁移方案",
                    "数据安全",
                    "发送流程表",
                    "赵顾问",
                    "2026-11-25",
                    "2026-11-24",
                    "方案",
                    "60%",
                ),
            ),
            "跟进记录": (
                (
                    "客户名称",
                    "跟进日期",
                    "沟通要点",
                    "本次跟进目标",
                    "疑虑与异议",
                    "地点",
                    "我方参与人",
                    "完成状态",
                ),
                (
                    "精密机械",
                    "2026-10-01 10:00",
                    "演示",
                    "确认需求",
                    "价格",
                    "客户会议室",
                    "赵顾问, 李工",
                    "已完成",
                ),
            ),
        },
    )
    report = import_files(store, [path])
    assert not report.rejected and not report.warnings, report.to_dict()
    (c,) = all_rows(store, Customer)
    assert (c["registered_address"], c["address"], c["region"]) == ("自贸区1号", "浦东XX路100号", "华东")
    assert c["company_revenue"] == Decimal("12000000.00")  # 万元 in the header scales the cells
    assert (c["product_preference"], c["payment_method"], c["renewal_risk"]) == ("云服务器", "月结30天", "高")
    assert c["renewal_on"] == date(2027, 6, 30)
    (x,) = all_rows(store, Contact)
    assert (x["gender"], x["education"], x["work_history"]) == ("男", "复旦大学", "A公司 5年")
    (o,) = all_rows(store, Opportunity)
    assert (o["product"], o["strengths"], o["weaknesses"], o["key_success_factors"]) == (
        "云服务器",
        "本地机房",
        "价格高",
        "迁移方案",
    )
    assert (o["risks"], o["next_step"], o["next_step_owner"]) == ("数据安全", "发送流程表", "赵顾问")
    assert (o["next_step_due_on"], o["next_step_done_on"]) == (date(2026, 11, 25), date(2026, 11, 24))
    assert o["probability"] == 60 and o["probability_set"]  # not the proposal stage's 50
    (f,) = all_rows(store, FollowUp)
    assert (f["goal"], f["objection"], f["place"], f["attendees"], f["outcome"]) == (
        "确认需求",
        "价格",
        "客户会议室",
        "赵顾问, 李工",
        "已完成",
    )
    assert f["owner"] != "赵顾问, 李工"  # our attendees are not the follow-up's owner
    assert not import_files(store, [path]).changed


def test_a_stage_default_probability_is_not_the_reps(store, tmp_path):
    path = tmp_path / "opps.csv"
    path.write_text("Customer,Opportunity name,Stage,Probability\nAcme,Deal,proposal,50\n", encoding="utf-8")
    import_files(store, [path])
    (o,) = all_rows(store, Opportunity)
    assert o["probability"] == 50 and not o["probability_set"]


# ---------------------------------------------------------------------------
# Length limits (issue #14): one per field, the importer included


def test_an_over_long_field_goes_whole_to_the_notes_and_the_report_says_so(store, tmp_path):
    most = limit("customer", "needs")
    long_needs = "需" * (most + 5)
    path = tmp_path / "c.csv"
    path.write_text(f"客户名称,客户需求,备注\n精密机械,{long_needs},已有备注\n", encoding="utf-8")
    report = import_files(store, [path])
    (c,) = all_rows(store, Customer)
    assert c["needs"] is None
    assert c["notes"] == f"已有备注\n客户需求: {long_needs}"
    (w,) = report.warnings
    assert "客户需求" in w.message and f"at most {most:,} fit" in w.message and "notes" in w.message
    assert not import_files(store, [path]).changed  # and the second time nothing moves again


@pytest.mark.parametrize(
    ("kind_header", "table", "field", "read"),
    [
        ("客户名称,备注", "customer", "notes", lambda s: all_rows(s, Customer)[0]["notes"]),
        ("客户名称,姓名,兴趣爱好", "contact", "interests", None),
    ],
)
def test_notes_over_their_limit_are_cut_with_a_warning(store, tmp_path, kind_header, table, field, read):
    most = limit(table, field)
    text = "x" * (most + 100)
    path = tmp_path / "n.csv"
    first = "精密机械" if table == "customer" else "精密机械,王经理"
    path.write_text(f"{kind_header}\n{first},{text}\n", encoding="utf-8")
    report = import_files(store, [path])
    if table == "customer":
        assert read(store) == "x" * most
        assert any(f"cut to {most:,}" in w.message for w in report.warnings)
    else:
        # A contact's interests over their limit: moved whole to the contact's notes.
        (x,) = all_rows(store, Contact)
        assert x["interests"] is None and x["notes"].endswith(text)
        assert any("kept in notes" in w.message for w in report.warnings)


def test_an_over_long_follow_up_summary_is_cut_and_reimport_finds_it(store, tmp_path):
    most = limit("followup", "summary")
    path = tmp_path / "f.csv"
    path.write_text(f"客户名称,跟进日期,沟通要点\n精密机械,2026-10-01,{'y' * (most + 1)}\n", encoding="utf-8")
    report = import_files(store, [path])
    (f,) = all_rows(store, FollowUp)
    assert f["summary"] == "y" * most
    assert any(f"cut to {most:,}" in w.message for w in report.warnings)
    assert not import_files(store, [path]).changed


def test_every_text_an_import_writes_is_within_its_limit(store, tmp_path):
    # Every limited field of every kind given a text one over its limit: nothing stored is over.
    from tuicrm.domain.limits import LIMITS
    from tuicrm.io.export import label

    kinds = {
        "customer": "customers",
        "contact": "contacts",
        "opportunity": "opportunities",
        "followup": "followups",
    }
    sheets = {}
    for table, kind in kinds.items():
        fields = [f for f in LIMITS[table] if f not in ("name",)]
        heads = [label(kind, f, "en") for f in fields]
        cells = ["z" * (LIMITS[table][f] + 1) for f in fields]
        if table == "customer":
            fields, heads, cells = ["name", *fields], ["Name", *heads], ["Acme", *cells]
        else:
            heads, cells = ["Customer", *heads], ["Acme", *cells]
            if table == "contact":
                heads, cells = [*heads, "Name"], [*cells, "Wile"]
            if table == "followup":
                heads, cells = [*heads, "Date"], [*cells, "2026-10-01"]
        sheets[kind] = (heads, cells)
    report = import_files(store, [write_xlsx(tmp_path / "long.xlsx", sheets)])
    assert not report.rejected, report.to_dict()
    assert report.warnings
    for table, model in (
        ("customer", Customer),
        ("contact", Contact),
        ("opportunity", Opportunity),
        ("followup", FollowUp),
        ("tierassessment", TierAssessment),
    ):
        for r in all_rows(store, model):
            for f, most in LIMITS[table].items():
                assert r[f] is None or len(r[f]) <= most, (table, f, len(r[f]))
