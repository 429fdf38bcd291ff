"""Header matching and sheet classification (SPEC §9)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuicrm.io.headers import (
    ALIASES,
    KINDS,
    LABELS_EN,
    LABELS_ZH,
    MULTI_FIELDS,
    TEMPLATE_FIELDS,
    HeaderMatch,
    classify,
    match_headers,
    normalise_header,
    to_simplified,
)
from tuicrm.io.values import decode_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
REAL = SHARED / "data" / "real"
SEEDS = SHARED / "seeds"
TEMPLATES = REPO_ROOT / "data" / "templates"

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"third-party sample data not present at {REAL}")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"template seeds not present at {SEEDS}")


def mapping(headers: list[str], kind: str | None = None) -> dict[str, str]:
    """header text -> field, for readable assertions (first column wins for repeated headers)."""
    m = match_headers(headers, kind)
    out: dict[str, str] = {}
    for i, f in m.columns.items():
        out.setdefault(headers[i], f)
    return out


def split(line: str) -> list[str]:
    return [h.strip() for h in re.split(r"[,\t]", line)] if ("," in line or "\t" in line) else line.split()


# ---------------------------------------------------------------------------
# normalise_header


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("客户名称", "客户名称"),
        ("客戶名稱", "客户名称"),
        ("客户\u3000名称", "客户名称"),
        (" 客户名称 * ", "客户名称"),
        ("\ufeffName", "name"),
        ("ＮＡＭＥ", "name"),
        ("Customer_Name", "customername"),
        ("customer-name", "customername"),
        ("First Contact On", "firstcontacton"),
        ("first_contact_on", "firstcontacton"),
        ("Person - Email - Work", "personemailwork"),
        ("聯繫方式（脫敏）", "联系方式脱敏"),
        ("當前狀態", "当前状态"),
        ("Straße geschäftlich", "strassegeschäftlich"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_normalise_header(text, key):
    assert normalise_header(text) == key


@pytest.mark.parametrize(
    ("trad", "simp"),
    [
        ("客戶", "客户"),
        ("稱", "称"),
        ("屬", "属"),
        ("業", "业"),
        ("聯繫", "联系"),
        ("關係", "关系"),
        ("類型", "类型"),
        ("職位", "职位"),
        ("來源", "来源"),
        ("接觸時間", "接触时间"),
        ("當前狀態", "当前状态"),
        ("備註", "备注"),
        ("跟進", "跟进"),
        ("溝通要點", "沟通要点"),
        ("反饋", "反馈"),
        ("下一步行動", "下一步行动"),
        ("分級", "分级"),
        ("評分", "评分"),
        ("對應", "对应"),
        ("機會", "机会"),
        ("預計", "预计"),
        ("金額", "金额"),
        ("決策", "决策"),
        ("競爭", "竞争"),
        ("風險", "风险"),
        ("推進計劃", "推进计划"),
        ("負責", "负责"),
        ("進度", "进度"),
        ("電話", "电话"),
        ("郵箱", "邮箱"),
        ("標簽", "标签"),
        ("採購潛力", "采购潜力"),
        ("合作意願", "合作意愿"),
        ("銷售階段", "销售阶段"),
    ],
)
def test_traditional_characters_fold_to_simplified(trad, simp):
    assert to_simplified(trad) == simp


@given(st.text())
@settings(max_examples=300)
def test_normalise_header_never_fails_and_is_idempotent(text):
    key = normalise_header(text)
    assert isinstance(key, str)
    assert normalise_header(key) == key
    assert all(ch.isalnum() for ch in key)


# ---------------------------------------------------------------------------
# The alias table


MODEL_FIELDS = {
    "customers": {
        "name",
        "alias",
        "industry",
        "size",
        "kind",
        "source",
        "first_contact_on",
        "status",
        "tier",
        "needs",
        "budget_min",
        "budget_max",
        "purchase_by",
        "revenue_total",
        "last_deal_on",
        "address",
        "phone",
        "email",
        "tags",
        "notes",
        "owner",
        "next_follow_up_on",
        "code",
        # issue #16: the templates' remaining customer fields
        "registered_address",
        "region",
        "company_revenue",
        "product_preference",
        "payment_method",
        "renewal_risk",
        "renewal_on",
    },
    "contacts": {
        "name",
        "title",
        "department",
        "role",
        "phone",
        "mobile",
        "email",
        "im",
        "birthday",
        "relationship",
        "prefers",
        "interests",
        "notes",
        "gender",
        "education",
        "work_history",
    },
    "followups": {
        "at",
        "channel",
        "summary",
        "feedback",
        "attitude",
        "next_action",
        "next_on",
        "goal",
        "owner",
        "objection",
        "outcome",
        "place",
        "attendees",
    },
    "tiers": {"potential", "willingness", "total", "tier", "basis", "strategy", "assessed_on", "assessor"},
    "opportunities": {
        "name",
        "amount",
        "expected_close_on",
        "stage",
        "probability",
        "competitors",
        "risks",
        "plan",
        "owner",
        "lost_reason",
        "lost_detail",
        "closed_on",
        "product",
        "strengths",
        "weaknesses",
        "key_success_factors",
        "next_step",
        "next_step_owner",
        "next_step_due_on",
        "next_step_done_on",
    },
}
LINK_FIELDS = {
    "customers": {
        "contact_name",
        "contact_title",
        "contact_phone",
        "contact_email",
        "contact_im",
        "first_name",
        "last_name",
        "budget",
        "external_id",
        "parent_name",
    },
    "contacts": {"customer_name", "customer_code", "first_name", "last_name"},
    "followups": {"customer_name", "customer_code", "contact_name", "opportunity_name"},
    "tiers": {"customer_name", "customer_code"},
    "opportunities": {"customer_name", "customer_code", "contact_name", "opened_on", "currency_code"},
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_model_field_has_aliases_and_nothing_else_sneaks_in(kind):
    assert set(ALIASES[kind]) == MODEL_FIELDS[kind] | LINK_FIELDS[kind]


def test_model_field_names_are_the_real_column_names():
    from tuicrm import models

    tables = {
        "customers": models.Customer,
        "contacts": models.Contact,
        "followups": models.FollowUp,
        "tiers": models.TierAssessment,
        "opportunities": models.Opportunity,
    }
    for kind, table in tables.items():
        assert MODEL_FIELDS[kind] <= set(table.model_fields), kind


@pytest.mark.parametrize("kind", KINDS)
def test_each_field_matches_its_own_name_in_any_case(kind):
    # Beside a customer-name column, so a lone person column is not promoted to the customer's name.
    for name in ALIASES[kind]:
        anchor = ["客户名称"] if kind == "customers" and name != "name" else []
        for header in (name, name.replace("_", " ").title(), name.upper()):
            assert mapping([*anchor, header], kind)[header] == name


# (kind, header, field): one row per alias family.
FAMILIES = [
    # SPEC §9 Chinese template headers, simplified and traditional.
    ("customers", "客户名称", "name"),
    ("customers", "客戶名稱", "name"),
    ("customers", "所属行业", "industry"),
    ("customers", "所屬行業", "industry"),
    ("customers", "客户类型", "kind"),
    ("customers", "客戶類型", "kind"),
    ("customers", "联系人", "contact_name"),
    ("customers", "聯繫人", "contact_name"),
    ("customers", "联系人*", "contact_name"),
    ("customers", "职位", "contact_title"),
    ("customers", "職位", "contact_title"),
    ("customers", "联系方式", "phone"),
    ("customers", "聯繫方式(脫敏)", "phone"),
    ("customers", "客户来源", "source"),
    ("customers", "客戶來源", "source"),
    ("customers", "首次接触时间", "first_contact_on"),
    ("customers", "首次接觸時間", "first_contact_on"),
    ("customers", "客户需求概述", "needs"),
    ("customers", "客戶需求概述", "needs"),
    ("customers", "当前状态", "status"),
    ("customers", "當前狀態", "status"),
    ("customers", "备注", "notes"),
    ("customers", "備註", "notes"),
    ("customers", "下次跟进时间", "next_follow_up_on"),
    ("customers", "客户等级", "tier"),
    ("customers", "历史成交金额", "revenue_total"),
    ("customers", "预算范围", "budget"),
    ("followups", "跟进日期", "at"),
    ("followups", "跟進日期", "at"),
    ("followups", "跟进方式", "channel"),
    ("followups", "跟進方式", "channel"),
    ("followups", "沟通要点", "summary"),
    ("followups", "溝通要點", "summary"),
    ("followups", "客户反馈", "feedback"),
    ("followups", "客戶反饋", "feedback"),
    ("followups", "下一步行动", "next_action"),
    ("followups", "下一步行動", "next_action"),
    ("followups", "跟进人", "owner"),
    ("followups", "跟進人*", "owner"),
    ("followups", "沟通人", "contact_name"),
    ("followups", "客户名称", "customer_name"),
    ("followups", "下次跟进时间", "next_on"),
    ("followups", "本次跟进目标", "goal"),
    ("followups", "客户态度", "attitude"),
    ("tiers", "分级维度", "basis"),
    ("tiers", "分級維度(採購潛力/合作意願)", "basis"),
    ("tiers", "评分", "total"),
    ("tiers", "評分(1-10分)", "total"),
    ("tiers", "客户等级", "tier"),
    ("tiers", "客戶等級", "tier"),
    ("tiers", "对应策略", "strategy"),
    ("tiers", "對應策略", "strategy"),
    ("tiers", "评估日期", "assessed_on"),
    ("tiers", "評估日期", "assessed_on"),
    ("tiers", "评估人", "assessor"),
    ("tiers", "評估人*", "assessor"),
    ("tiers", "采购潜力", "potential"),
    ("tiers", "合作意愿", "willingness"),
    ("tiers", "客户名称", "customer_name"),
    ("opportunities", "机会名称", "name"),
    ("opportunities", "機會名稱", "name"),
    ("opportunities", "机会名称/客户名称", "name"),
    ("opportunities", "预计成交金额", "amount"),
    ("opportunities", "預計成交金額", "amount"),
    ("opportunities", "预计成交日期", "expected_close_on"),
    ("opportunities", "預計成交日期", "expected_close_on"),
    ("opportunities", "销售阶段", "stage"),
    ("opportunities", "銷售階段(線索-需求-方案-談判-成交)", "stage"),
    ("opportunities", "关键决策人", "contact_name"),
    ("opportunities", "關鍵決策人*", "contact_name"),
    ("opportunities", "竞争对手", "competitors"),
    ("opportunities", "競爭對手分析", "competitors"),
    ("opportunities", "风险点", "risks"),
    ("opportunities", "風險點", "risks"),
    ("opportunities", "推进计划", "plan"),
    ("opportunities", "推進計劃", "plan"),
    ("opportunities", "负责人", "owner"),
    ("opportunities", "負責人*", "owner"),
    ("opportunities", "当前进度", "probability"),
    ("opportunities", "當前進度", "probability"),
    ("opportunities", "客户名称", "customer_name"),
    # Chinese importer templates (cn-templates) and CRM layouts in FORMATS.md §7.
    ("customers", "名称", "name"),
    ("customers", "电话", "phone"),
    ("customers", "邮箱", "email"),
    ("customers", "微信", "contact_im"),
    ("customers", "地址", "address"),
    ("customers", "类型", "industry"),
    ("customers", "需求", "needs"),
    ("customers", "公司名称", "name"),
    ("customers", "客户手机号", "phone"),
    ("customers", "详细地址", "address"),
    ("customers", "客户标签", "tags"),
    ("customers", "领取客户的人", "owner"),
    ("customers", "店名", "name"),
    ("customers", "客户代号", "code"),
    ("customers", "初次备案日期", "first_contact_on"),
    ("customers", "行业划分", "industry"),
    ("customers", "业务负责人", "owner"),
    ("customers", "客户联系人", "contact_name"),
    ("customers", "座机电话", "phone"),
    ("customers", "QQ/E-mail", "email"),
    ("customers", "公司地址", "address"),
    ("followups", "跟进内容", "summary"),
    ("followups", "跟进时间", "at"),
    ("opportunities", "所属客户", "customer_name"),
    ("opportunities", "销售金额", "amount"),
    # English, snake_case and Title Case.
    ("customers", "Company", "name"),
    ("customers", "Customer Name", "name"),
    ("customers", "customer_name", "name"),
    ("customers", "Industry", "industry"),
    ("customers", "Lead Source", "source"),
    ("customers", "Status", "status"),
    ("customers", "Next follow-up date", "next_follow_up_on"),
    ("customers", "First Name", "first_name"),
    ("customers", "Last Name", "last_name"),
    ("customers", "Job Title", "contact_title"),
    ("contacts", "Full Name", "name"),
    ("contacts", "Job Title", "title"),
    ("contacts", "Mobile Phone", "mobile"),
    ("contacts", "Company", "customer_name"),
    ("contacts", "Date of Birth", "birthday"),
    ("followups", "Date", "at"),
    ("followups", "Subject", "summary"),
    ("followups", "Next Step", "next_action"),
    ("tiers", "Score", "total"),
    ("tiers", "Grade", "tier"),
    ("opportunities", "Opportunity Name", "name"),
    ("opportunities", "Account Name", "customer_name"),
    ("opportunities", "Close Date", "expected_close_on"),
    ("opportunities", "Win Probability", "probability"),
    # Pipedrive.
    ("customers", "Organization - Name", "name"),
    ("customers", "Organization - Industry", "industry"),
    ("customers", "Organization - Address", "address"),
    ("customers", "Organization - Owner", "owner"),
    ("customers", "Organization - Number of employees", "size"),
    ("customers", "Organization - Labels", "tags"),
    ("contacts", "Person - Name", "name"),
    ("contacts", "Person - First name", "first_name"),
    ("contacts", "Person - Email - Work", "email"),
    ("contacts", "Person - Email (Work)", "email"),
    ("contacts", "Person - Phone - Mobile", "mobile"),
    ("contacts", "Person - Job title", "title"),
    ("contacts", "Person - Organization", "customer_name"),
    ("contacts", "Person - Instant messenger", "im"),
    ("opportunities", "Deal - Title", "name"),
    ("opportunities", "Deal - Value", "amount"),
    ("opportunities", "Deal - Organization", "customer_name"),
    ("opportunities", "Deal - Contact person", "contact_name"),
    ("opportunities", "Deal - Stage", "stage"),
    ("opportunities", "Deal - Expected close date", "expected_close_on"),
    ("opportunities", "Deal - Lost reason", "lost_reason"),
    ("opportunities", "流失详情", "lost_detail"),
    ("opportunities", "Deal - Won time", "closed_on"),
    ("opportunities", "Deal - Probability", "probability"),
    ("opportunities", "Deal - Owner", "owner"),
    ("followups", "Activity - Subject*", "summary"),
    ("followups", "Organization - Name*", "customer_name"),
    # Salesforce API names.
    ("customers", "Name", "name"),
    ("customers", "Industry", "industry"),
    ("customers", "Phone", "phone"),
    ("customers", "NumberOfEmployees", "size"),
    ("customers", "AccountSource", "source"),
    ("customers", "BillingCity", "address"),
    ("customers", "Id", "external_id"),
    ("contacts", "FirstName", "first_name"),
    ("contacts", "LastName", "last_name"),
    ("contacts", "Name", "name"),
    ("contacts", "AccountId", "customer_name"),
    ("contacts", "MobilePhone", "mobile"),
    ("contacts", "Birthdate", "birthday"),
    ("contacts", "Title", "title"),
    ("contacts", "Department", "department"),
    ("opportunities", "Name", "name"),
    ("opportunities", "StageName", "stage"),
    ("opportunities", "Amount", "amount"),
    ("opportunities", "CloseDate", "expected_close_on"),
    ("opportunities", "AccountId", "customer_name"),
    ("opportunities", "Account.Name", "customer_name"),
    ("opportunities", "Probability", "probability"),
    ("opportunities", "NextStep", "next_step"),
    ("followups", "ActivityDate", "at"),
    ("followups", "Type__c", "channel"),
    ("followups", "AccountId", "customer_name"),
    # Maven / data.world CRM.
    ("customers", "account", "name"),
    ("customers", "sector", "industry"),
    ("customers", "employees", "size"),
    ("customers", "office_location", "address"),
    ("opportunities", "opportunity_id", "name"),
    ("opportunities", "deal_stage", "stage"),
    ("opportunities", "close_value", "amount"),
    ("opportunities", "engage_date", "opened_on"),
    ("opportunities", "close_date", "expected_close_on"),
    ("opportunities", "sales_agent", "owner"),
    ("opportunities", "account", "customer_name"),
    ("opportunities", "Deal_Stage", "stage"),
    ("opportunities", "Close_Value", "amount"),
    # datablist.
    ("customers", "Customer Id", "external_id"),
    ("customers", "Phone 1", "phone"),
    ("customers", "Email", "email"),
    ("customers", "Subscription Date", "first_contact_on"),
    ("customers", "Lead Owner", "owner"),
    ("customers", "Deal Stage", "status"),
    ("customers", "Email 1", "email"),
    # Google contacts.
    ("contacts", "Given Name", "first_name"),
    ("contacts", "Family Name", "last_name"),
    ("contacts", "E-mail 1 - Value", "email"),
    ("contacts", "Phone 1 - Value", "phone"),
    ("contacts", "Organization Name", "customer_name"),
    ("contacts", "Organization Title", "title"),
    ("contacts", "Organization 1 - Name", "customer_name"),
    ("contacts", "Hobby", "interests"),
    # German Outlook 2013.
    ("contacts", "Vorname", "first_name"),
    ("contacts", "Nachname", "last_name"),
    ("contacts", "Firma", "customer_name"),
    ("contacts", "Abteilung", "department"),
    ("contacts", "Position", "title"),
    ("contacts", "Telefon geschäftlich", "phone"),
    ("contacts", "Mobiltelefon", "mobile"),
    ("contacts", "E-Mail-Adresse", "email"),
    ("contacts", "Geburtstag", "birthday"),
    ("contacts", "Notizen", "notes"),
]


@pytest.mark.parametrize(("kind", "header", "field"), FAMILIES)
def test_alias_families(kind, header, field):
    # Beside a customer-name column, so a lone person column is not promoted to the customer's name.
    anchor = ["客户名称"] if kind == "customers" and field != "name" else []
    assert mapping([*anchor, header], kind)[header] == field


@pytest.mark.parametrize(
    ("kind", "field"),
    [("customers", "name"), ("contacts", "name"), ("opportunities", "name"), ("tiers", "customer_name")],
)
def test_ambiguous_name_is_decided_by_kind(kind, field):
    assert mapping(["Name"], kind) == {"Name": field}


def test_unknown_columns_and_blank_headers():
    m = match_headers(["客户名称", None, "", "  ", "Website", "Favourite colour"], "customers")
    assert m.columns == {0: "name"}
    assert m.unknown == [(4, "Website"), (5, "Favourite colour")]
    assert m.score == 1


def test_second_column_for_a_field_is_a_duplicate_not_an_overwrite():
    m = match_headers(["Phone", "Phone 2", "Telefon Firma"], "contacts")
    assert m.columns == {0: "phone"}
    assert [(i, f) for i, _h, f in m.duplicates] == [(1, "phone"), (2, "phone")]


def test_best_alias_wins_regardless_of_column_order():
    m = match_headers(["客户类别", "行业划分"], "customers")
    assert m.columns == {1: "industry"}
    assert m.duplicates == [(0, "客户类别", "industry")]


def test_multi_fields_join_in_column_order():
    m = match_headers(["Street", "City", "Country", "Notes", "Description", "Subject"], "customers")
    assert m.indexes("address") == [0, 1, 2]
    assert m.indexes("notes") == [3, 4]
    assert {"address", "notes", "tags", "summary", "feedback"} == set(MULTI_FIELDS)


def test_salesforce_json_address_is_dropped_when_parts_are_there():
    m = match_headers(["Company", "Street", "City", "Address"], "customers")
    assert m.indexes("address") == [1, 2]
    assert (3, "Address", "address") in m.duplicates


def test_a_single_full_address_is_kept_beside_one_part():
    m = match_headers(["地址", "城市"], "customers")
    assert m.indexes("address") == [0, 1]


def test_company_and_person_name_on_a_customer_sheet():
    m = match_headers(["Name", "Company", "Phone", "Mobile", "Email"], "customers")
    assert m.columns == {0: "contact_name", 1: "name", 2: "phone", 3: "contact_phone", 4: "email"}


def test_person_only_customer_sheet_uses_the_person_as_customer():
    # B2C: 客户姓名 is the customer when there is no company column.
    assert mapping(["客户姓名", "客户手机号", "详细地址"], "customers") == {
        "客户姓名": "name",
        "客户手机号": "phone",
        "详细地址": "address",
    }
    assert mapping(["客户姓名", "公司名称"], "customers") == {"客户姓名": "contact_name", "公司名称": "name"}


@pytest.mark.parametrize(
    ("header", "field", "scale"),
    [
        ("预计成交金额(万元)", "amount", 10_000),
        ("預計成交金額（萬元）", "amount", 10_000),
        ("成交金额(万)", "amount", 10_000),
        ("Amount (k)", "amount", 1_000),
        ("金额/亿元", "amount", 100_000_000),
        ("Amount (USD)", "amount", None),
        ("金额(元)", "amount", 1),
    ],
)
def test_money_header_units(header, field, scale):
    m = match_headers([header], "opportunities")
    assert m.columns == {0: field}
    assert m.scales.get(0) == scale


def test_units_only_apply_to_money():
    m = match_headers(["当前进度(万)"], "opportunities")
    assert m.columns == {0: "probability"}
    assert m.scales == {}


def test_bad_kind_is_a_value_error():
    with pytest.raises(ValueError, match="not a sheet kind"):
        match_headers(["Name"], "deals")


def test_header_match_helpers():
    m = match_headers(["Street", "Company", "City"], "customers")
    assert isinstance(m, HeaderMatch)
    assert m.fields == {"address", "name"}
    assert m.index("name") == 1
    assert m.index("phone") is None
    assert m.by_field() == {"address": [0, 2], "name": [1]}


# ---------------------------------------------------------------------------
# Classification


SHEETS = [
    # The four template tables (seed 000, SPEC §9): simplified and traditional.
    (
        "客户名称 所属行业 客户类型 联系人* 职位 联系方式(脱敏) 客户来源 首次接触时间 客户需求概述 当前状态 备注",
        "customers",
    ),
    (
        "客戶名稱 所屬行業 客戶類型 聯繫人* 職位 聯繫方式(脫敏) 客戶來源 首次接觸時間 客戶需求概述 當前狀態 備註",
        "customers",
    ),
    ("客户名称 跟进日期 跟进方式 沟通人* 沟通要点 客户反馈 下一步行动 跟进人*", "followups"),
    ("客戶名稱 跟進日期 跟進方式 溝通人* 溝通要點 客戶反饋 下一步行動 跟進人*", "followups"),
    ("客户名称 分级维度(采购潜力/合作意愿) 评分(1-10分) 客户等级 对应策略 评估日期 评估人*", "tiers"),
    ("客戶名稱 分級維度(採購潛力/合作意願) 評分(1-10分) 客戶等級 對應策略 評估日期 評估人*", "tiers"),
    (
        "机会名称/客户名称 预计成交金额 预计成交日期 销售阶段(线索-需求-方案-谈判-成交) 关键决策人* 竞争对手分析 风险点 推进计划 负责人* 当前进度",
        "opportunities",
    ),
    (
        "機會名稱/客戶名稱 預計成交金額 預計成交日期 銷售階段(線索-需求-方案-談判-成交) 關鍵決策人* 競爭對手分析 風險點 推進計劃 負責人* 當前進度",
        "opportunities",
    ),
    # Seed 003's CRM tables.
    (
        "客户编号 客户名称 行业分类 企业规模 注册地址 经营地址 客户来源 首次接触日期 客户等级 主要联系人 关键决策人 主要需求 预算范围 采购时间 "
        "历史交易金额 最后交易日期 客户状态 负责销售 创建时间 更新时间",
        "customers",
    ),
    (
        "联系人编号 客户编号 姓名 职位 部门 角色 性别 办公电话 手机号码 电子邮箱 微信号 生日 教育背景 工作经历 兴趣爱好 沟通偏好 关系程度 备注 "
        "负责销售 创建时间 更新时间",
        "contacts",
    ),
    (
        "机会编号 机会名称 客户编号 主要联系人 产品/服务 预计金额 预计成交日期 销售阶段 成交概率 竞争对手 优势分析 劣势分析 关键成功因素 风险因素 "
        "下一步行动 行动负责人 计划完成日期 实际完成日期 创建时间 更新时间",
        "opportunities",
    ),
    (
        "互动编号 客户编号 联系人编号 机会编号 互动时间 互动方式 互动地点 我方参与人 客户参与人 互动主题 互动内容 客户反馈 客户态度 关键信息点 "
        "后续行动 负责人 截止日期 完成状态 创建人 创建时间 更新时间",
        "followups",
    ),
    # Seed 004.
    ("线索ID 来源 客户名称 行业 联系人 职位 电话 邮箱 预算范围 需求描述 负责人 状态 创建时间", "customers"),
    ("客户名称 跟进时间 跟进方式 跟进人 跟进内容摘要 客户反馈/异议 下一步计划 预计完成时间", "followups"),
    # Only a score and a tier: still a grading sheet.
    ("客户 评分 客户等级", "tiers"),
    # A tier column alone belongs to a customer list.
    ("客户名称 客户等级 电话", "customers"),
    # FORMATS.md §7.
    ("名称,联系人,电话,邮箱,微信,地址,类型,区域,需求,备注", "customers"),
    (
        "客户姓名,客户手机号,省市区,省市区编码,详细地址,备注,创建日期,更新日期,公司名称,领取客户的人,拨打次数,跟进进度,跟进日志,客户标签,"
        "最终归属,流转次数,流转时间,创建人,_id编码",
        "customers",
    ),
    ("店名,地址,联系人,电话", "customers"),
    (
        "客户名称,所属行业,电话,传真,地址,网址,公司法人/总经理,联系方式,对接部门,对接部门联系人,对接部门联系方式,关联部门,关联部门联系人,"
        "关联部门联系方式,姓名,职务,手机,电话",
        "customers",
    ),
    ("客户名称,所属行业,联系人,联系电话,客户分类,标签", "customers"),
    ("编号,名称,行业,区域,分类,电话,关系等级,重要程度,状态", "customers"),
    ("跟进方式,跟进内容,跟进时间,下次跟进时间", "followups"),
    ("跟进方式,沟通要点", "followups"),
    (
        "机会名称,所属客户,销售金额,销售阶段,下次跟进时间,机会类型,机会来源,备注,跟进级别,计划跟进方式",
        "opportunities",
    ),
    # Pipedrive (FORMATS.md §1).
    (
        "Organization - ID,Organization - Name,Organization - Industry,Organization - Owner,Organization - Address,"
        "Organization - Number of employees",
        "customers",
    ),
    (
        "Person - ID,Person - Name,Person - First name,Person - Last name,Person - Job title,Person - Organization,"
        "Person - Email - Work,Person - Phone - Work,Person - Phone - Mobile,Person - Notes",
        "contacts",
    ),
    (
        "Deal - ID,Deal - Title,Deal - Owner,Deal - Value,Deal - Probability,Deal - Organization,Deal - Contact person,"
        "Deal - Stage,Deal - Status,Deal - Expected close date",
        "opportunities",
    ),
    # HubSpot (FORMATS.md §2).
    (
        "Record ID,Company name,Company owner,Create Date,Phone Number,Last Activity Date,City,Country/Region,Industry",
        "customers",
    ),
    (
        "Record ID,Deal Name,Last Activity Date,State,Deal Stage,Close Date,Deal owner,Amount,Pipeline",
        "opportunities",
    ),
    # Salesforce report export (FORMATS.md §3b).
    (
        "Territory Region,Opportunity Owner,Account Name,Opportunity Name,Stage,Forecast Category,Total Amount,"
        "Close Date,Opportunity Next Steps,Type",
        "opportunities",
    ),
    # Current Google contacts (FORMATS.md §4b).
    (
        "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Organization Department,"
        "Birthday,Notes,Labels,E-mail 1 - Value,Phone 1 - Value",
        "contacts",
    ),
    # Stage alone is not enough (datablist leads have "Deal Stage"), a stage with an amount is.
    ("First Name,Last Name,Company,Email,Deal Stage", "customers"),
    ("Company,Deal Stage,Amount", "opportunities"),
    # A person list with nothing company-level.
    ("First Name,Last Name,Email", "contacts"),
    # Generic columns default to customers.
    ("Name,Email", "customers"),
    ("Type,Description", "customers"),
    ("", "customers"),
]


@pytest.mark.parametrize(("line", "kind"), SHEETS)
def test_classify(line, kind):
    headers = split(line)
    assert classify(headers) == kind
    m = match_headers(headers)
    assert m.kind == kind
    assert m.reason


def test_classified_match_equals_explicit_match():
    headers = split(SHEETS[2][0])
    auto, given_ = match_headers(headers), match_headers(headers, "followups")
    assert (auto.columns, auto.unknown, auto.duplicates) == (
        given_.columns,
        given_.unknown,
        given_.duplicates,
    )
    assert given_.reason == "kind given"


def test_followup_template_maps_every_column():
    headers = split("客戶名稱 跟進日期 跟進方式 溝通人* 溝通要點 客戶反饋 下一步行動 跟進人*")
    assert list(match_headers(headers).columns.values()) == [
        "customer_name",
        "at",
        "channel",
        "contact_name",
        "summary",
        "feedback",
        "next_action",
        "owner",
    ]


def test_opportunity_template_maps_every_column():
    headers = split(SHEETS[7][0])
    assert list(match_headers(headers).columns.values()) == [
        "name",
        "amount",
        "expected_close_on",
        "stage",
        "contact_name",
        "competitors",
        "risks",
        "plan",
        "owner",
        "probability",
    ]


@given(st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers()), max_size=12))
@settings(max_examples=200)
def test_match_headers_accepts_any_header_row(headers):
    m = match_headers(headers)
    assert m.kind in KINDS
    assert set(m.columns) | {i for i, _ in m.unknown} | {i for i, _h, _f in m.duplicates} <= set(
        range(len(headers))
    )
    single = [f for f in m.columns.values() if f not in MULTI_FIELDS]
    assert len(single) == len(set(single))


# ---------------------------------------------------------------------------
# Canonical labels and the templates in data/templates


@pytest.mark.parametrize("labels", [LABELS_EN, LABELS_ZH], ids=["en", "zh"])
@pytest.mark.parametrize("kind", KINDS)
def test_labels_match_back_and_classify(labels, kind):
    fields = list(labels[kind])
    headers = [labels[kind][f] for f in fields]
    m = match_headers(headers)
    assert m.kind == kind
    assert [m.columns.get(i) for i in range(len(headers))] == fields
    assert m.unknown == [] and m.duplicates == []


@pytest.mark.parametrize(("name", "bom"), [("customers-en.csv", False), ("customers-zh.csv", True)])
def test_csv_templates(name, bom):
    data = (TEMPLATES / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") is bom
    text, _encoding = decode_bytes(data)
    headers = next(csv.reader(text.splitlines()))
    m = match_headers(headers)
    assert m.kind == "customers"
    assert list(m.columns.values()) == list(TEMPLATE_FIELDS["customers"])


def test_workbook_template():
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(TEMPLATES / "workbook-zh.xlsx", read_only=True)
    expected = {
        "客户信息": "customers",
        "跟进记录": "followups",
        "客户分级": "tiers",
        "销售机会": "opportunities",
    }
    assert wb.sheetnames == list(expected)
    for title, kind in expected.items():
        headers = next(wb[title].iter_rows(max_row=1, values_only=True))
        m = match_headers(headers)
        assert m.kind == kind, title
        assert list(m.columns.values()) == list(TEMPLATE_FIELDS[kind]), title


# ---------------------------------------------------------------------------
# Real third-party files (shared/data/real) and the template seeds


def real_headers(relative: str) -> list[str]:
    text, _encoding = decode_bytes((REAL / relative).read_bytes())
    return next(csv.reader(text.splitlines()))


REAL_FILES = [
    (
        "salesforce-data-export-sfdc-assets/Account.csv",
        "customers",
        {
            "Name": "name",
            "Industry": "industry",
            "Phone": "phone",
            "NumberOfEmployees": "size",
            "BillingCity": "address",
            "AccountSource": "source",
            "Description": "notes",
        },
    ),
    (
        "salesforce-data-export-sfdc-assets/Contact.csv",
        "contacts",
        {
            "Name": "name",
            "FirstName": "first_name",
            "LastName": "last_name",
            "AccountId": "customer_name",
            "Email": "email",
            "MobilePhone": "mobile",
            "Title": "title",
            "Department": "department",
            "Birthdate": "birthday",
        },
    ),
    (
        "salesforce-data-export-sfdc-assets/Opportunity.csv",
        "opportunities",
        {
            "Name": "name",
            "AccountId": "customer_name",
            "StageName": "stage",
            "Amount": "amount",
            "CloseDate": "expected_close_on",
            "Probability": "probability",
            "NextStep": "next_step",
        },
    ),
    (
        "salesforce-data-export-sfdc-assets/Lead.csv",
        "customers",
        {
            "Company": "name",
            "FirstName": "first_name",
            "LastName": "last_name",
            "Title": "contact_title",
            "Status": "status",
            "LeadSource": "source",
            "Industry": "industry",
            "Street": "address",
        },
    ),
    (
        "salesforce-data-export-sfdc-assets/Task.csv",
        "followups",
        {"Subject": "summary", "ActivityDate": "at", "Type__c": "channel", "AccountId": "customer_name"},
    ),
    (
        "maven-crm-sales-opportunities/accounts.csv",
        "customers",
        {"account": "name", "sector": "industry", "employees": "size", "office_location": "address"},
    ),
    (
        "maven-crm-sales-opportunities/sales_pipeline.csv",
        "opportunities",
        {
            "opportunity_id": "name",
            "account": "customer_name",
            "deal_stage": "stage",
            "close_value": "amount",
            "close_date": "expected_close_on",
            "engage_date": "opened_on",
            "sales_agent": "owner",
        },
    ),
    (
        "sparklesquad-crm-dataset/sales-pipeline.csv",
        "opportunities",
        {
            "Account": "customer_name",
            "Opportunity_ID": "name",
            "Deal_Stage": "stage",
            "Close_Value": "amount",
        },
    ),
    (
        "datablist-samples/customers-10000.csv",
        "customers",
        {
            "Company": "name",
            "First Name": "first_name",
            "Last Name": "last_name",
            "Phone 1": "phone",
            "Email": "email",
            "Subscription Date": "first_contact_on",
            "City": "address",
        },
    ),
    (
        "datablist-samples/leads-10000.csv",
        "customers",
        {
            "Company": "name",
            "Lead Owner": "owner",
            "Source": "source",
            "Deal Stage": "status",
            "Email 1": "email",
        },
    ),
    (
        "contacts-csv/google_contacts.csv",
        "contacts",
        {
            "Name": "name",
            "Given Name": "first_name",
            "Family Name": "last_name",
            "E-mail 1 - Value": "email",
            "Phone 1 - Value": "phone",
            "Birthday": "birthday",
            "Notes": "notes",
        },
    ),
    (
        "contacts-csv/importtest_outlook2013.csv",
        "contacts",
        {
            "Vorname": "first_name",
            "Nachname": "last_name",
            "Firma": "customer_name",
            "Abteilung": "department",
            "Position": "title",
            "Telefon geschäftlich": "phone",
            "Mobiltelefon": "mobile",
            "E-Mail-Adresse": "email",
            "Geburtstag": "birthday",
        },
    ),
]


@needs_real
@pytest.mark.parametrize(("relative", "kind", "expected"), REAL_FILES, ids=[r[0] for r in REAL_FILES])
def test_real_export_headers(relative, kind, expected):
    headers = real_headers(relative)
    m = match_headers(headers)
    assert m.kind == kind, m.reason
    got = mapping(headers)
    assert {h: got.get(h) for h in expected} == expected


@needs_real
def test_revenue_of_a_company_is_not_our_deal_total():
    # Maven "revenue" is the account's annual revenue, not revenue_total (what it bought from us).
    m = match_headers(real_headers("maven-crm-sales-opportunities/accounts.csv"))
    assert "revenue_total" not in m.fields
    assert "revenue" in [h for _, h in m.unknown]


@needs_real
@pytest.mark.parametrize("name", ["客户导入模板.xlsx", "客户模版.xlsx"])
def test_real_chinese_templates(name):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(REAL / "cn-templates" / name, read_only=True)
    ws = wb["客户导入模板"] if "客户导入模板" in wb.sheetnames else wb["录入客户"]
    headers = [h for h in next(ws.iter_rows(max_row=1, values_only=True))]
    m = match_headers(headers)
    assert m.kind == "customers"
    got = mapping(headers)
    if name == "客户导入模板.xlsx":
        assert got == {
            "名称": "name",
            "联系人": "contact_name",
            "电话": "phone",
            "邮箱": "email",
            "微信": "contact_im",
            "地址": "address",
            "类型": "industry",
            "需求": "needs",
            "备注": "notes",
            "区域": "region",
        }
        assert not m.unknown
    else:
        assert (
            got["公司名称"] == "name" and got["客户姓名"] == "contact_name" and got["客户手机号"] == "phone"
        )
        assert got["省市区"] == got["详细地址"] == "address"


@needs_seeds
def test_seed_markdown_table_header_is_a_followup_sheet():
    # Seed 002 has the one pipe table in the seeds: a key-account follow-up plan.
    lines = [line for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
    tables = [line for line in lines if line.startswith("|") and "跟进日期" in line]
    assert tables, "expected the follow-up plan table in the seeds"
    headers = [h for h in tables[0].strip("|").split("|")]
    m = match_headers(headers)
    assert m.kind == "followups"
    got = mapping(headers)
    assert got["跟进日期"] == "at" and got["客户/项目名称"] == "customer_name"
    assert got["本次跟进目标"] == "goal" and got["下一步计划(负责人/时间)"] == "next_action"


# The four template tables of seed 000, in that document's own (mixed) traditional spelling.
SEED_000_TABLES = [
    (
        "客戶名稱 所屬行業 客戶類型 聯系人* 職位 聯系方式(脫敏) 客戶來源 首次接觸時間 客戶需求概述 當前狀態 備注",
        "customers",
    ),
    ("客戶名稱 跟進日期 跟進方式 溝通人* 溝通要點 客戶反饋 下一步行動 跟進人*", "followups"),
    ("客戶名稱 分級維度(采購潛力/合作意愿) 評分(1-10分) 客戶等級 對應策略 評估日期 評估人*", "tiers"),
    (
        "機會名稱/客戶名稱 預計成交金額 預計成交日期 銷售階段(線索-需求-方案-談判-成交) 關鍵決策人* 競爭對手分析 風險點 推進計劃 "
        "負責人* 當前進度",
        "opportunities",
    ),
]


@needs_seeds
@pytest.mark.parametrize(("line", "kind"), SEED_000_TABLES)
def test_seed_template_tables(line, kind):
    text = (SEEDS / "000_95632ed9c7fe8786.txt").read_text(encoding="utf-8")
    # The web copy annotates some characters with pinyin, e.g. 業(yè): drop those.
    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text)
    headers = line.split()
    assert "".join(headers) in text
    m = match_headers(headers)
    assert m.kind == kind
    assert len(m.columns) == len(headers) and not m.unknown and not m.duplicates


def test_modules_stay_free_of_textual_and_the_database():
    code = (
        "import sys, tuicrm.io.headers, tuicrm.io.values; "
        "bad = [m for m in ('textual', 'sqlmodel', 'sqlalchemy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
