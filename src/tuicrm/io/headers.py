"""Spreadsheet header matching (SPEC §9): which column is which field, and what a sheet holds.

Pure: no database, no Textual. The importer reads a sheet's first row, calls
:func:`match_headers`, then parses each mapped cell with :mod:`tuicrm.io.values`.

Field names are the model's (``tuicrm.models``) plus a few link/helper fields
that have no column of their own:

- ``customer_name`` / ``customer_code``: the customer a contact, follow-up, tier
  assessment or opportunity row belongs to.
- ``contact_name``, ``contact_title``, ``contact_phone``, ``contact_email``,
  ``contact_im``: the person on a customer row; on an opportunity row
  ``contact_name`` is the key decision-maker; on a follow-up row, who we spoke to.
- ``first_name`` / ``last_name``: join them (``"first last"``, or ``last+first``
  for CJK names) when the row has no full ``name`` / ``contact_name``.
- ``budget`` (customers): one cell holding a budget or range ("15-20万"); split it
  with ``values.parse_amount_range`` into ``budget_min`` / ``budget_max``.
- ``external_id`` (customers): the source system's id (Salesforce ``Id``,
  datablist ``Customer Id``); useful to resolve ``AccountId`` within one import.
- ``opportunity_name`` (followups): the opportunity the follow-up is about.
- ``opened_on`` (opportunities): when the deal was opened/engaged (Maven
  ``engage_date``) — a first StageChange date, if the importer wants one.

Row-level rules this layer leaves to the importer: a customer row whose
``name`` cell is empty but ``contact_name`` is filled is a person (B2C, e.g. the
客户模版 template's 客户姓名 with an empty 公司名称) and uses that as the name; a
won/lost opportunity without ``closed_on`` takes ``expected_close_on``.

Several columns may map to the same field only for :data:`MULTI_FIELDS`
(address parts, notes, tags, summary, feedback): join their non-empty cells in
column order. For any other field the best alias wins and the rest are listed
in ``HeaderMatch.duplicates``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

KINDS = ("customers", "contacts", "followups", "tiers", "opportunities")

# Fields whose columns are joined rather than competing for one slot.
MULTI_FIELDS = frozenset({"address", "notes", "tags", "summary", "feedback"})

# Money fields, where a unit in the header ("金额(万元)", "Amount (k)") scales the cells.
MONEY_FIELDS = frozenset({"amount", "budget", "budget_min", "budget_max", "revenue_total"})

# ---------------------------------------------------------------------------
# Traditional -> simplified, for the characters that occur in the aliases and in
# the value words of tuicrm.io.values (generated from OpenCC's s2t/s2tw/s2hk
# tables for exactly those characters, plus common variant forms). Not a general
# converter: characters outside the aliases do not matter for matching.
_TRAD = (
    "丟並乾佈佔併來係個備價億優內冊別創劃動務匯區參員啓啟單圍圓報塊夥實審對屬峯崗幣幹彙後復徵愛態慮應戰戶戸採撥據擴敗數於時曆"
    "會業極構樂標機檔檯歐歷歸決況準溝滿潛為無熱營爭爲牴狀猶獲現產異當發眾確碼稱積競範篩簡簽籤約級細終結絕絡經綜綫維網線編總繫"
    "續纔羣聯職脫臺與興萬號衆術衝裏裡製複覈見規視親觀觸計訊記訪註評詞話詳誌認說説調談識議護負責買費資質購贏躍輸轉辦週進選郵釘"
    "銜銷錄鍵鍾鐘門間關階際險隻電響項預領頭頻題額願類風颱餘饋騰髮麵點"
)
_SIMP = (
    "丢并干布占并来系个备价亿优内册别创划动务汇区参员启启单围圆报块伙实审对属峰岗币干汇后复征爱态虑应战户户采拨据扩败数于时历"
    "会业极构乐标机档台欧历归决况准沟满潜为无热营争为抵状犹获现产异当发众确码称积竞范筛简签签约级细终结绝络经综线维网线编总系"
    "续才群联职脱台与兴万号众术冲里里制复核见规视亲观触计讯记访注评词话详志认说说调谈识议护负责买费资质购赢跃输转办周进选邮钉"
    "衔销录键钟钟门间关阶际险只电响项预领头频题额愿类风台余馈腾发面点"
)
_T2S = str.maketrans(_TRAD, _SIMP)

_BRACKETS = re.compile(r"[(\[{<【〔「『《][^)\]}>】〕」』》]*[)\]}>】〕」』》]")
_SPLIT = re.compile(r"[/|、\\]")
_DIGITS = re.compile(r"[0-9]+")


def to_simplified(text: str) -> str:
    """Map the traditional characters we care about to simplified ones."""
    return text.translate(_T2S)


def normalise_header(text: object) -> str:
    """A matching key: width-, case-, space-, punctuation- and script-insensitive.

    NFKC folds full-width letters, digits, spaces (U+3000) and brackets to ASCII;
    then traditional characters become simplified, case is folded, and every
    character that is not a letter or digit (spaces, "-", "_", "*", ".", BOM …)
    is dropped. ``"客戶名稱 *"``, ``"客户名称"`` and ``"客户　名称"`` all give ``"客户名称"``.
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = to_simplified(s).casefold()
    # casefold can produce characters that NFKC would fold again (e.g. "ǰ").
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if ch.isalnum())


# ---------------------------------------------------------------------------
# Aliases, per kind, per field, best first. Written in simplified Chinese and in
# any spelling; they are compared after normalise_header. The field's own name
# is added at the end of each tuple (so "first_contact_on" and "First contact on"
# always match).

_CUSTOMER_NAME_LINK = (
    "客户名称",
    "客户",
    "客户全称",
    "公司名称",
    "所属客户",
    "所属公司",
    "关联客户",
    "customer",
    "customer name",
    "company",
    "company name",
    "account",
    "account name",
    "account.name",
    "accountid",
    "organization",
    "organisation",
    "organization name",
    "organization - name",
)
_CUSTOMER_CODE_LINK = ("客户编号", "客户代码", "客户代号", "customer code", "customer_code")

_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "code": (
            "客户编号",
            "客户代号",
            "客户代码",
            "客户编码",
            "编号",
            "code",
            "customer code",
            "client code",
        ),
        "external_id": (
            "id",
            "customer id",
            "account id",
            "client id",
            "record id",
            "organization - id",
            "客户id",
            "_id编码",
            "id编码",
        ),
        "name": (
            "客户名称",
            "客户全称",
            "公司名称",
            "公司全称",
            "企业名称",
            "单位名称",
            "注册名称",
            "客户公司名称",
            "名称",
            "客户名",
            "客户",
            "店名",
            "门店名称",
            "company",
            "company name",
            "companies",
            "customer",
            "customer name",
            "client",
            "client name",
            "account",
            "account name",
            "account.name",
            "organization",
            "organisation",
            "organization name",
            "organisation name",
            "organization - name",
            "business name",
            "associated company",
            "firm",
            "name",
        ),
        "alias": (
            "客户简称",
            "简称",
            "公司简称",
            "助记名",
            "助记",
            "助记码",
            "别名",
            "alias",
            "short name",
            "abbreviation",
            "dba",
            "tradestyle",
        ),
        "industry": (
            "所属行业",
            "行业",
            "行业分类",
            "行业类别",
            "行业划分",
            "所属领域",
            "industry",
            "sector",
            "vertical",
            "organization - industry",
            "line of business",
            # Generic "type/category" columns hold things like 物业/商业/工厂: an industry, not B2B/B2C.
            "类型",
            "客户分类",
            "客户类别",
            "分类",
            "经营类别",
        ),
        "size": (
            "企业规模",
            "公司规模",
            "规模",
            "员工数",
            "员工人数",
            "员工规模",
            "人员规模",
            "人数",
            "size",
            "company size",
            "employees",
            "number of employees",
            "numberofemployees",
            "employee count",
            "headcount",
            "organization - number of employees",
        ),
        "kind": ("客户类型", "客户性质", "kind", "customer type", "customer kind", "b2b/b2c"),
        "source": (
            "客户来源",
            "来源",
            "来源渠道",
            "获客渠道",
            "线索来源",
            "信息来源",
            "渠道来源",
            "渠道",
            "source",
            "lead source",
            "leadsource",
            "account source",
            "accountsource",
            "customer source",
            "origin",
            "channel",
            "referral source",
        ),
        "first_contact_on": (
            "首次接触时间",
            "首次接触日期",
            "首次联系时间",
            "首次联系日期",
            "初次接触日期",
            "初次接触时间",
            "初次备案日期",
            "首次拜访日期",
            "建档日期",
            "登记日期",
            "录入日期",
            "first contact on",
            "first contact",
            "first contact date",
            "first contacted",
            "date of first contact",
            "subscription date",
            "customer since",
            "became a lead date",
            # Record creation dates: the best we have when nothing better is there.
            "创建日期",
            "创建时间",
            "create date",
            "created",
            "created on",
            "created date",
            "createddate",
            "organization - organization created",
            "date added",
        ),
        "status": (
            "当前状态",
            "客户状态",
            "状态",
            "合作状态",
            "客户阶段",
            "status",
            "customer status",
            "lead status",
            "account status",
            "lifecycle stage",
            "deal stage",
        ),
        "tier": (
            "客户等级",
            "客户级别",
            "客户分级",
            "等级",
            "级别",
            "分级",
            "优先等级",
            "客户价值等级",
            "tier",
            "customer tier",
            "grade",
            "rating",
            "abc class",
        ),
        "needs": (
            "客户需求概述",
            "客户需求",
            "需求概述",
            "需求",
            "主要需求",
            "需求描述",
            "需求与痛点",
            "痛点",
            "needs",
            "need",
            "requirements",
            "requirement",
            "pain points",
        ),
        "budget": ("预算", "预算范围", "预算金额", "客户预算", "budget", "budget range"),
        "budget_min": (
            "最低预算",
            "预算下限",
            "预算最低",
            "budget min",
            "min budget",
            "minimum budget",
            "budget from",
        ),
        "budget_max": (
            "最高预算",
            "预算上限",
            "预算最高",
            "budget max",
            "max budget",
            "maximum budget",
            "budget to",
        ),
        "purchase_by": (
            "预计采购时间",
            "采购时间",
            "计划采购时间",
            "采购日期",
            "预计采购日期",
            "purchase by",
            "purchase date",
            "expected purchase date",
            "buying timeframe",
            "purchase timeframe",
        ),
        "revenue_total": (
            "历史成交金额",
            "历史交易金额",
            "累计交易金额",
            "累计成交金额",
            "成交总额",
            "交易总额",
            "累计销售额",
            "revenue total",
            "total revenue",
            "lifetime value",
            "ltv",
            "total spent",
            "total sales",
        ),
        "last_deal_on": (
            "最后交易日期",
            "最近交易日期",
            "最近成交日期",
            "最后成交日期",
            "上次成交日期",
            "签约时间",
            "签约日期",
            "last deal on",
            "last deal",
            "last deal date",
            "last purchase date",
            "last order date",
            "last purchase",
        ),
        "address": (
            "地址",
            "详细地址",
            "公司地址",
            "客户地址",
            "注册地址",
            "经营地址",
            "营业地址",
            "办公地址",
            "通讯地址",
            "联系地址",
            "省市区",
            "所在地区",
            "所在城市",
            "城市",
            "省份",
            "address",
            "street",
            "street address",
            "city",
            "state",
            "province",
            "postal code",
            "zip",
            "zip code",
            "postcode",
            "country",
            "country/region",
            "state/region",
            "billingstreet",
            "billingcity",
            "billingstate",
            "billingpostalcode",
            "billingcountry",
            "organization - address",
            "office location",
            "headquarters",
        ),
        "phone": (
            "电话",
            "联系电话",
            "联系方式",
            "公司电话",
            "座机",
            "座机电话",
            "办公电话",
            "固定电话",
            "电话号码",
            "总机",
            "phone",
            "telephone",
            "tel",
            "phone number",
            "phone 1",
            "business phone",
            "main phone",
            "work phone",
            "office phone",
            "organization - phone",
            # A mobile on a customer row: the customer's number if there is no other,
            # else the contact's (see _FALLBACK).
            "手机",
            "手机号",
            "手机号码",
            "客户手机号",
            "移动电话",
            "mobile",
            "mobile phone",
            "cell",
            "cell phone",
        ),
        "email": (
            "邮箱",
            "电子邮箱",
            "邮件",
            "电子邮件",
            "邮件地址",
            "qq/e-mail",
            "email",
            "e-mail",
            "email address",
            "e-mail address",
            "email 1",
            "mail",
        ),
        "tags": (
            "标签",
            "客户标签",
            "关键词",
            "tags",
            "tag",
            "labels",
            "label",
            "organization - labels",
            "organization - label",
        ),
        "notes": (
            "备注",
            "备注说明",
            "说明",
            "其他",
            "其它",
            "附注",
            "notes",
            "note",
            "remarks",
            "remark",
            "comments",
            "comment",
            "description",
            "memo",
        ),
        "owner": (
            "负责人",
            "负责销售",
            "业务负责人",
            "销售负责人",
            "客户负责人",
            "客户经理",
            "跟进人",
            "销售",
            "销售员",
            "销售代表",
            "业务员",
            "所属销售",
            "归属销售",
            "领取客户的人",
            "我方洽谈人",
            "经办人",
            "owner",
            "account owner",
            "customer owner",
            "company owner",
            "contact owner",
            "lead owner",
            "organization - owner",
            "sales rep",
            "salesperson",
            "sales agent",
            "sales_agent",
            "assigned to",
        ),
        "next_follow_up_on": (
            "下次跟进时间",
            "下次跟进日期",
            "下次联系时间",
            "下次联系日期",
            "下次拜访时间",
            "下次拜访日期",
            "下次回访时间",
            "next follow-up on",
            "next follow up",
            "next follow-up date",
            "next followup",
            "next contact date",
            "next activity date",
            "organization - next activity date",
            "follow-up date",
            "follow up date",
        ),
        "contact_name": (
            "联系人",
            "联系人姓名",
            "主要联系人",
            "客户联系人",
            "对接人",
            "姓名",
            "客户姓名",
            "contact",
            "contact name",
            "contact person",
            "primary contact",
            "person - name",
            "full name",
            "key contact",
        ),
        "contact_title": (
            "职位",
            "职务",
            "职称",
            "联系人职位",
            "title",
            "job title",
            "position",
            "contact title",
            "person - job title",
            "designation",
        ),
        "contact_phone": (
            "联系人电话",
            "联系人手机",
            "联系人手机号",
            "联系人联系方式",
            "contact phone",
            "contact mobile",
            "person - phone",
        ),
        "contact_email": ("联系人邮箱", "联系人电子邮箱", "contact email", "person - email"),
        "contact_im": ("微信", "微信号", "qq", "qq号", "钉钉", "wechat", "weixin", "im", "contact im"),
        "first_name": ("名", "first name", "firstname", "given name", "forename", "person - first name"),
        "last_name": ("姓", "last name", "lastname", "family name", "surname", "person - last name"),
    },
    "contacts": {
        "name": (
            "姓名",
            "联系人",
            "联系人姓名",
            "名字",
            "全名",
            "full name",
            "contact",
            "contact name",
            "contact person",
            "person - name",
            "display name",
            "name",
        ),
        "first_name": (
            "名",
            "first name",
            "firstname",
            "given name",
            "forename",
            "person - first name",
            "vorname",
        ),
        "last_name": (
            "姓",
            "last name",
            "lastname",
            "family name",
            "surname",
            "person - last name",
            "nachname",
        ),
        "title": (
            "职位",
            "职务",
            "职称",
            "岗位",
            "头衔",
            "title",
            "job title",
            "position",
            "person - job title",
            "person - title",
            "organization title",
            "organization 1 - title",
            "designation",
            "occupation",
            "beruf",
        ),
        "department": (
            "部门",
            "所属部门",
            "对接部门",
            "department",
            "dept",
            "abteilung",
            "organization department",
            "organization 1 - department",
        ),
        "role": ("角色", "决策角色", "联系人角色", "购买角色", "role", "contact role", "buying role"),
        "phone": (
            "电话",
            "办公电话",
            "座机",
            "联系电话",
            "工作电话",
            "固定电话",
            "联系方式",
            "phone",
            "telephone",
            "tel",
            "phone number",
            "work phone",
            "business phone",
            "office phone",
            "phone 1",
            "phone 1 - value",
            "person - phone",
            "person - phone - work",
            "telefon geschäftlich",
            "telefon",
            "haupttelefon",
            "telefon firma",
            "home phone",
            "homephone",
            "other phone",
            "otherphone",
            "person - phone - home",
            "person - phone - other",
            "telefon (privat)",
        ),
        "mobile": (
            "手机",
            "手机号",
            "手机号码",
            "移动电话",
            "mobile",
            "mobile phone",
            "mobilephone",
            "cell",
            "cell phone",
            "mobile phone number",
            "person - phone - mobile",
            "mobiltelefon",
            "handy",
        ),
        "email": (
            "邮箱",
            "电子邮箱",
            "邮件",
            "电子邮件",
            "qq/e-mail",
            "email",
            "e-mail",
            "email address",
            "e-mail address",
            "email 1",
            "e-mail 1 - value",
            "person - email",
            "person - email - work",
            "person - email (work)",
            "e-mail-adresse",
            "person - email - home",
            "person - email - other",
            "person - email (home)",
        ),
        "im": (
            "微信",
            "微信号",
            "qq",
            "qq号",
            "钉钉",
            "im",
            "wechat",
            "weixin",
            "slack",
            "skype",
            "whatsapp",
            "instant messenger",
            "person - instant messenger",
        ),
        "birthday": (
            "生日",
            "出生日期",
            "出生年月日",
            "出生年月",
            "birthday",
            "birthdate",
            "date of birth",
            "dob",
            "geburtstag",
        ),
        "relationship": (
            "关系程度",
            "关系",
            "关系等级",
            "亲密度",
            "熟悉程度",
            "relationship",
            "relationship level",
            "relationship strength",
        ),
        "prefers": (
            "沟通偏好",
            "偏好沟通方式",
            "联系偏好",
            "首选联系方式",
            "prefers",
            "preferred channel",
            "preferred contact method",
            "contact preference",
        ),
        "interests": ("兴趣爱好", "爱好", "兴趣", "interests", "hobbies", "hobby"),
        "notes": (
            "备注",
            "说明",
            "notes",
            "note",
            "remarks",
            "comments",
            "description",
            "contact description",
            "person - notes",
            "notizen",
        ),
        "customer_name": _CUSTOMER_NAME_LINK
        + (
            "公司",
            "单位",
            "单位名称",
            "organization 1 - name",
            "person - organization",
            "firma",
            "associated company",
            "employer",
        ),
        "customer_code": _CUSTOMER_CODE_LINK,
    },
    "followups": {
        "at": (
            "跟进日期",
            "跟进时间",
            "跟进日期时间",
            "沟通日期",
            "沟通时间",
            "拜访日期",
            "拜访时间",
            "互动时间",
            "互动日期",
            "联系日期",
            "联系时间",
            "记录日期",
            "日期",
            "时间",
            "date",
            "follow-up date",
            "follow up date",
            "contact date",
            "activity date",
            "activitydate",
            "activity - due date",
            "date of contact",
            "interaction date",
            "logged at",
            "datum",
        ),
        "channel": (
            "跟进方式",
            "沟通方式",
            "沟通渠道",
            "互动方式",
            "拜访方式",
            "跟进渠道",
            "方式",
            "channel",
            "type",
            "activity type",
            "activity - type",
            "type__c",
            "method",
            "medium",
            "contact method",
        ),
        "summary": (
            "沟通要点",
            "跟进内容",
            "沟通内容",
            "互动主题",
            "互动内容",
            "主要行动与内容",
            "跟进内容摘要",
            "跟进记录",
            "拜访内容",
            "内容",
            "摘要",
            "主题",
            "summary",
            "subject",
            "activity - subject",
            "content",
            "discussion",
            "details",
            "description",
            "note - content",
        ),
        "feedback": (
            "客户反馈",
            "客户反馈与关键信息",
            "反馈",
            "客户意见",
            "客户反馈异议",
            "疑虑与异议",
            "客户异议",
            "异议",
            "关键信息点",
            "跟进结果",
            "拜访结果",
            "结果",
            "feedback",
            "customer feedback",
            "response",
            "objections",
            "outcome",
            "result",
            "calldisposition",
        ),
        "attitude": ("客户态度", "态度", "attitude", "sentiment", "mood"),
        "next_action": (
            "下一步行动",
            "下一步计划",
            "下步计划",
            "下一步",
            "后续行动",
            "后续计划",
            "下次跟进内容",
            "下次跟进计划",
            "next action",
            "next step",
            "next steps",
            "follow-up action",
            "action",
        ),
        "next_on": (
            "下次跟进时间",
            "下次跟进日期",
            "下次联系时间",
            "下次联系日期",
            "下次拜访时间",
            "预计完成时间",
            "截止日期",
            "计划完成日期",
            "next on",
            "next follow-up",
            "next follow up",
            "next follow-up date",
            "next follow-up on",
            "next date",
            "next contact date",
            "due date",
        ),
        "goal": (
            "本次跟进目标",
            "跟进目标",
            "预期目标",
            "目标",
            "拜访目的",
            "目的",
            "goal",
            "objective",
            "purpose",
            "expected outcome",
        ),
        "owner": (
            "跟进人",
            "负责人",
            "跟进销售",
            "销售",
            "业务员",
            "销售代表",
            "我方参与人",
            "记录人",
            "创建人",
            "owner",
            "assigned to",
            "activity - assigned to user",
            "sales rep",
            "rep",
            "logged by",
            "user",
        ),
        "contact_name": (
            "沟通人",
            "联系人",
            "客户参与人",
            "对接人",
            "沟通对象",
            "contact",
            "contact name",
            "contact person",
            "activity - contact person",
            "person - name",
            "who",
        ),
        "customer_name": _CUSTOMER_NAME_LINK
        + (
            "客户/项目名称",
            "activity - organization",
            "deal - organization",
        ),
        "customer_code": _CUSTOMER_CODE_LINK,
        "opportunity_name": (
            "机会名称",
            "项目名称",
            "关联机会",
            "opportunity",
            "opportunity name",
            "deal",
            "deal - title",
            "deal title",
        ),
    },
    "tiers": {
        "potential": (
            "采购潜力",
            "购买潜力",
            "客户潜力",
            "潜力",
            "潜力评分",
            "价值评分",
            "客户价值",
            "potential",
            "purchase potential",
            "potential score",
            "value score",
        ),
        "willingness": (
            "合作意愿",
            "意愿",
            "意愿评分",
            "合作意向",
            "意向度",
            "意向评分",
            "willingness",
            "willingness score",
            "intent score",
            "intent",
        ),
        "total": (
            "评分",
            "总分",
            "综合评分",
            "得分",
            "分数",
            "总评分",
            "评分合计",
            "total",
            "total score",
            "score",
            "sum",
        ),
        "tier": (
            "客户等级",
            "客户级别",
            "客户分级",
            "等级",
            "级别",
            "分级",
            "分级结果",
            "评级",
            "tier",
            "grade",
            "rating",
            "level",
            "class",
        ),
        "basis": (
            "分级维度",
            "分级依据",
            "评估依据",
            "评级依据",
            "依据",
            "分级理由",
            "理由",
            "basis",
            "reason",
            "rationale",
            "dimensions",
        ),
        "strategy": (
            "对应策略",
            "策略",
            "跟进策略",
            "维护策略",
            "应对策略",
            "strategy",
            "approach",
            "action plan",
        ),
        "assessed_on": (
            "评估日期",
            "评估时间",
            "评级日期",
            "分级日期",
            "日期",
            "assessed on",
            "assessment date",
            "date",
            "assessed",
        ),
        "assessor": (
            "评估人",
            "评估者",
            "评级人",
            "评定人",
            "assessor",
            "assessed by",
            "evaluator",
            "rated by",
        ),
        # On a grading sheet an unqualified "Name" is the customer's.
        "customer_name": _CUSTOMER_NAME_LINK + ("name",),
        "customer_code": _CUSTOMER_CODE_LINK,
    },
    "opportunities": {
        "name": (
            "机会名称",
            "商机名称",
            "销售机会",
            "机会",
            "商机",
            "项目名称",
            "机会名称/客户名称",
            "opportunity name",
            "opportunity",
            "deal name",
            "deal title",
            "deal - title",
            "deal",
            "title",
            "name",
            # Maven has no deal name, only an id: better than nothing.
            "opportunity id",
            "opportunity_id",
        ),
        "amount": (
            "预计成交金额",
            "预计金额",
            "预计销售额",
            "成交金额",
            "销售金额",
            "合同金额",
            "项目金额",
            "机会金额",
            "金额",
            "amount",
            "value",
            "deal value",
            "deal - value",
            "deal amount",
            "opportunity amount",
            "total amount",
            "expected amount",
            "close value",
            "close_value",
        ),
        "expected_close_on": (
            "预计成交日期",
            "预计成交时间",
            "预计签约日期",
            "预计签约时间",
            "预期成交日期",
            "预计结束日期",
            # A plain "deal date" is read as the expected date; for won/lost rows the
            # importer uses it as closed_on when that is missing.
            "成交日期",
            "expected close on",
            "expected close date",
            "expected close",
            "close date",
            "closedate",
            "close_date",
            "deal - expected close date",
            "estimated close date",
            "target close date",
        ),
        "stage": (
            "销售阶段",
            "阶段",
            "当前阶段",
            "机会阶段",
            "商机阶段",
            "stage",
            "stagename",
            "stage name",
            "deal stage",
            "deal - stage",
            "deal_stage",
            "pipeline stage",
            "sales stage",
        ),
        "probability": (
            "成交概率",
            "赢率",
            "赢单率",
            "概率",
            "可能性",
            "当前进度",
            "进度",
            "成功率",
            "probability",
            "deal - probability",
            "win probability",
            "likelihood",
            "win rate",
            "chance",
        ),
        "contact_name": (
            "关键决策人",
            "决策人",
            "主要联系人",
            "联系人",
            "客户联系人",
            "decision maker",
            "key decision maker",
            "contact",
            "contact person",
            "contact name",
            "deal - contact person",
            "primary contact",
        ),
        "competitors": (
            "竞争对手",
            "竞争对手分析",
            "竞品",
            "竞争情况",
            "竞争者",
            "competitors",
            "competitor",
            "competition",
            "main competitor",
        ),
        "risks": ("风险点", "风险", "风险因素", "风险与应对", "风险评估", "risks", "risk", "risk factors"),
        "plan": (
            "推进计划",
            "下一步计划",
            "下一步行动",
            "行动计划",
            "下一步",
            "plan",
            "next step",
            "next steps",
            "nextstep",
            "action plan",
            "opportunity next steps",
        ),
        "owner": (
            "负责人",
            "销售负责人",
            "行动负责人",
            "机会负责人",
            "跟进人",
            "销售",
            "销售代表",
            "业务员",
            "owner",
            "deal - owner",
            "opportunity owner",
            "sales agent",
            "sales_agent",
            "sales rep",
            "assigned to",
        ),
        "lost_reason": (
            "流失原因",
            "输单原因",
            "丢单原因",
            "失败原因",
            "丢失原因",
            "lost reason",
            "deal - lost reason",
            "loss reason",
            "reason lost",
            "closed lost reason",
        ),
        "closed_on": (
            "实际成交日期",
            "关单日期",
            "结单日期",
            "赢单日期",
            "输单日期",
            "closed on",
            "closed date",
            "deal - closed on",
            "deal - won time",
            "deal - lost time",
            "won time",
            "lost time",
            "actual close date",
            "date closed",
        ),
        "customer_name": _CUSTOMER_NAME_LINK + ("客户/项目名称", "deal - organization"),
        "customer_code": _CUSTOMER_CODE_LINK,
        "opened_on": (
            "立项日期",
            "发现日期",
            "创建日期",
            "创建时间",
            "engage date",
            "engage_date",
            "opened on",
            "created on",
            "created_on",
            "deal - deal created",
            "create date",
            "created date",
            "createddate",
            "start date",
        ),
    },
}


def _with_field_names(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, fields in table.items():
        out[kind] = {}
        for name, aliases in fields.items():
            keys = {normalise_header(a) for a in aliases}
            out[kind][name] = aliases if normalise_header(name) in keys else (*aliases, name)
    return out


ALIASES: dict[str, dict[str, tuple[str, ...]]] = _with_field_names(_ALIASES)

# When a customer row's name/phone/email slot is taken by a better column, the
# other one is most likely the contact person's.
_FALLBACK = {"customers": {"name": "contact_name", "phone": "contact_phone", "email": "contact_email"}}

# Address columns that are parts of one address. When a sheet has two or more,
# a whole-address column beside them is a copy (Salesforce's JSON "Address").
_ADDRESS_PARTS = frozenset(
    normalise_header(a)
    for a in (
        "省市区",
        "所在地区",
        "所在城市",
        "城市",
        "省份",
        "street",
        "street address",
        "city",
        "state",
        "province",
        "postal code",
        "zip",
        "zip code",
        "postcode",
        "country",
        "country/region",
        "state/region",
        "billingstreet",
        "billingcity",
        "billingstate",
        "billingpostalcode",
        "billingcountry",
    )
)

# Record-keeping columns every export has; they say nothing about what the rows are.
_WEAK = frozenset(
    normalise_header(a)
    for a in (
        "创建日期",
        "创建时间",
        "create date",
        "created",
        "created on",
        "created date",
        "createddate",
        "organization - organization created",
        "date added",
    )
)

# Follow-up headers that no other sheet uses.
_STRONG_FOLLOWUP = frozenset(
    normalise_header(a)
    for a in (
        "跟进日期",
        "跟进时间",
        "跟进方式",
        "沟通方式",
        "沟通要点",
        "跟进内容",
        "沟通内容",
        "跟进记录",
        "互动方式",
        "互动内容",
        "客户反馈",
        "沟通人",
        "跟进人",
        "下一步行动",
        "follow-up date",
        "activity date",
        "activitydate",
        "activity - subject",
        "activity type",
        "activity - type",
    )
)

# Headers that by themselves say "this is an opportunity sheet".
_STRONG_OPPORTUNITY = frozenset(
    normalise_header(a)
    for a in (
        "机会名称",
        "商机名称",
        "销售机会",
        "机会名称/客户名称",
        "销售阶段",
        "预计成交金额",
        "预计成交日期",
        "成交概率",
        "opportunity name",
        "opportunity",
        "opportunity id",
        "deal title",
        "deal name",
        "stagename",
    )
)

# Units a money header may carry: "预计成交金额(万元)", "Amount (k)".
_UNITS = {
    "元": 1,
    "万": 10_000,
    "万元": 10_000,
    "w": 10_000,
    "千": 1_000,
    "千元": 1_000,
    "k": 1_000,
    "百万": 1_000_000,
    "百万元": 1_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "亿": 100_000_000,
    "亿元": 100_000_000,
}


def _build_index() -> tuple[dict[str, dict[str, tuple[str, int]]], dict[str, dict[str, tuple[str, int]]]]:
    exact: dict[str, dict[str, tuple[str, int]]] = {}
    no_digits: dict[str, dict[str, tuple[str, int]]] = {}
    for kind, fields in ALIASES.items():
        exact[kind] = {}
        no_digits[kind] = {}
        for name, aliases in fields.items():
            for rank, alias in enumerate(aliases):
                key = normalise_header(alias)
                if not key:
                    continue
                other = exact[kind].get(key)
                if other is not None and other[0] != name:
                    raise AssertionError(f"alias {alias!r} maps to both {other[0]} and {name} in {kind}")
                exact[kind].setdefault(key, (name, rank))
                no_digits[kind].setdefault(_DIGITS.sub("", key), (name, rank))
    return exact, no_digits


_INDEX, _INDEX_NO_DIGITS = _build_index()


# ---------------------------------------------------------------------------
# Canonical header labels per kind and field: what templates (and exports) write.
# Every label matches back to its field (tested).

LABELS_ZH: dict[str, dict[str, str]] = {
    "customers": {
        "code": "客户编号",
        "name": "客户名称",
        "alias": "客户简称",
        "industry": "所属行业",
        "size": "企业规模",
        "kind": "客户类型",
        "source": "客户来源",
        "first_contact_on": "首次接触时间",
        "status": "当前状态",
        "tier": "客户等级",
        "needs": "客户需求概述",
        "budget_min": "最低预算",
        "budget_max": "最高预算",
        "purchase_by": "预计采购时间",
        "revenue_total": "历史成交金额",
        "last_deal_on": "最后交易日期",
        "address": "地址",
        "phone": "电话",
        "email": "邮箱",
        "tags": "标签",
        "notes": "备注",
        "owner": "负责人",
        "next_follow_up_on": "下次跟进时间",
        "contact_name": "联系人",
        "contact_title": "职位",
        "contact_phone": "联系人电话",
        "contact_email": "联系人邮箱",
    },
    "contacts": {
        "customer_name": "客户名称",
        "name": "姓名",
        "title": "职位",
        "department": "部门",
        "role": "角色",
        "phone": "电话",
        "mobile": "手机",
        "email": "邮箱",
        "im": "微信",
        "birthday": "生日",
        "relationship": "关系程度",
        "prefers": "沟通偏好",
        "interests": "兴趣爱好",
        "notes": "备注",
    },
    "followups": {
        "customer_name": "客户名称",
        "at": "跟进日期",
        "channel": "跟进方式",
        "contact_name": "沟通人",
        "summary": "沟通要点",
        "feedback": "客户反馈",
        "attitude": "客户态度",
        "next_action": "下一步行动",
        "next_on": "下次跟进时间",
        "goal": "预期目标",
        "owner": "跟进人",
        "opportunity_name": "机会名称",
    },
    "tiers": {
        "customer_name": "客户名称",
        "potential": "采购潜力",
        "willingness": "合作意愿",
        "total": "评分",
        "tier": "客户等级",
        "basis": "分级依据",
        "strategy": "对应策略",
        "assessed_on": "评估日期",
        "assessor": "评估人",
    },
    "opportunities": {
        "name": "机会名称",
        "customer_name": "客户名称",
        "amount": "预计成交金额",
        "expected_close_on": "预计成交日期",
        "stage": "销售阶段",
        "probability": "当前进度",
        "contact_name": "关键决策人",
        "competitors": "竞争对手",
        "risks": "风险点",
        "plan": "推进计划",
        "owner": "负责人",
        "lost_reason": "流失原因",
        "closed_on": "实际成交日期",
    },
}

LABELS_EN: dict[str, dict[str, str]] = {
    "customers": {
        "code": "Code",
        "name": "Name",
        "alias": "Alias",
        "industry": "Industry",
        "size": "Size",
        "kind": "Kind",
        "source": "Source",
        "first_contact_on": "First contact on",
        "status": "Status",
        "tier": "Tier",
        "needs": "Needs",
        "budget_min": "Budget min",
        "budget_max": "Budget max",
        "purchase_by": "Purchase by",
        "revenue_total": "Revenue total",
        "last_deal_on": "Last deal on",
        "address": "Address",
        "phone": "Phone",
        "email": "Email",
        "tags": "Tags",
        "notes": "Notes",
        "owner": "Owner",
        "next_follow_up_on": "Next follow-up on",
        "contact_name": "Contact name",
        "contact_title": "Contact title",
        "contact_phone": "Contact phone",
        "contact_email": "Contact email",
    },
    "contacts": {
        "customer_name": "Customer",
        "name": "Name",
        "title": "Title",
        "department": "Department",
        "role": "Role",
        "phone": "Phone",
        "mobile": "Mobile",
        "email": "Email",
        "im": "IM",
        "birthday": "Birthday",
        "relationship": "Relationship",
        "prefers": "Prefers",
        "interests": "Interests",
        "notes": "Notes",
    },
    "followups": {
        "customer_name": "Customer",
        "at": "Date",
        "channel": "Channel",
        "contact_name": "Contact",
        "summary": "Summary",
        "feedback": "Feedback",
        "attitude": "Attitude",
        "next_action": "Next action",
        "next_on": "Next on",
        "goal": "Goal",
        "owner": "Owner",
        "opportunity_name": "Opportunity",
    },
    "tiers": {
        "customer_name": "Customer",
        "potential": "Potential",
        "willingness": "Willingness",
        "total": "Total",
        "tier": "Tier",
        "basis": "Basis",
        "strategy": "Strategy",
        "assessed_on": "Assessed on",
        "assessor": "Assessor",
    },
    "opportunities": {
        "name": "Name",
        "customer_name": "Customer",
        "amount": "Amount",
        "expected_close_on": "Expected close on",
        "stage": "Stage",
        "probability": "Probability",
        "contact_name": "Decision maker",
        "competitors": "Competitors",
        "risks": "Risks",
        "plan": "Plan",
        "owner": "Owner",
        "lost_reason": "Lost reason",
        "closed_on": "Closed on",
    },
}

# Fields for blank import templates (no code: it is assigned on import).
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(f for f in LABELS_ZH[kind] if f != "code") for kind in KINDS
}


# ---------------------------------------------------------------------------


@dataclass
class HeaderMatch:
    """How one sheet's header row maps onto a kind's fields.

    ``columns``: column index -> field (several indexes may share a field only
    for MULTI_FIELDS). ``unknown``: non-empty headers that matched nothing.
    ``duplicates``: (index, header, field) for columns that matched a field a
    better column already has. ``scales``: column index -> multiplier for money
    columns whose header names a unit ("金额(万元)" -> 10000). ``score``: number
    of distinct fields matched. ``reason``: why this kind was chosen.
    """

    kind: str
    columns: dict[int, str] = field(default_factory=dict)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    score: float = 0.0
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    scales: dict[int, int] = field(default_factory=dict)
    reason: str = ""

    @property
    def fields(self) -> set[str]:
        return set(self.columns.values())

    def indexes(self, name: str) -> list[int]:
        """Column indexes mapped to ``name``, in column order."""
        return [i for i, f in self.columns.items() if f == name]

    def index(self, name: str) -> int | None:
        found = self.indexes(name)
        return found[0] if found else None

    def by_field(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, f in self.columns.items():
            out.setdefault(f, []).append(i)
        return out


@dataclass(frozen=True)
class _Hit:
    index: int
    header: str
    field: str
    rank: int
    key: str
    scale: int | None


def _header_text(h: object) -> str:
    if h is None:
        return ""
    return str(h).replace("\ufeff", "").strip()


def _unit_of(text: str) -> int | None:
    """The multiplier named in brackets or after a slash ("金额(万元)", "Amount/k")."""
    s = unicodedata.normalize("NFKC", text)
    parts = re.findall(r"[(\[{<【〔「『《]([^)\]}>】〕」』》]*)[)\]}>】〕」』》]", s)
    parts += _SPLIT.split(s)[1:]
    for part in parts:
        key = normalise_header(part)
        if key in _UNITS:
            return _UNITS[key]
    return None


def _lookup(kind: str, text: str) -> tuple[str, int, str] | None:
    """(field, rank, matched key) for a header, trying looser readings in turn."""
    index = _INDEX[kind]
    key = normalise_header(text)
    if key in index:
        return (*index[key], key)
    # "联系方式(脱敏)", "评分(1-10分)", "销售阶段(线索-需求-…)": the bracket is a comment.
    bare = _BRACKETS.sub("", unicodedata.normalize("NFKC", text))
    key = normalise_header(bare)
    if key in index:
        name, rank = index[key]
        return name, rank + 1000, key
    # "QQ/E-mail", "客户/项目名称": either part will do, the first that matches wins.
    for part in _SPLIT.split(bare):
        key = normalise_header(part)
        if key in index:
            name, rank = index[key]
            return name, rank + 2000, key
    # "Phone 2", "E-Mail 2: Adresse", "联系人1": numbered repeats of a known column.
    key = _DIGITS.sub("", normalise_header(bare))
    if key and key in _INDEX_NO_DIGITS[kind]:
        name, rank = _INDEX_NO_DIGITS[kind][key]
        return name, rank + 3000, key
    return None


def _match(headers: list[object], kind: str) -> tuple[HeaderMatch, dict[int, str]]:
    """The match, and the normalised alias key each mapped column matched on."""
    if kind not in ALIASES:
        raise ValueError(f"{kind!r} is not a sheet kind; use one of {', '.join(KINDS)}.")
    result = HeaderMatch(kind=kind)
    hits: list[_Hit] = []
    for i, raw in enumerate(headers):
        text = _header_text(raw)
        if not normalise_header(text):
            continue
        found = _lookup(kind, text)
        if found is None:
            result.unknown.append((i, text))
            continue
        name, rank, key = found
        scale = _unit_of(text) if name in MONEY_FIELDS else None
        hits.append(_Hit(i, text, name, rank, key, scale))

    taken: dict[str, int] = {}
    losers: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.rank, h.index)):
        if hit.field in MULTI_FIELDS or hit.field not in taken:
            taken.setdefault(hit.field, hit.index)
            result.columns[hit.index] = hit.field
        else:
            losers.append(hit)
    fallback = _FALLBACK.get(kind, {})
    for hit in losers:
        alt = fallback.get(hit.field)
        if alt and alt not in taken:
            taken[alt] = hit.index
            result.columns[hit.index] = alt
        else:
            result.duplicates.append((hit.index, hit.header, hit.field))

    # Salesforce puts a JSON copy of the address beside its parts: keep the parts.
    address = [h for h in hits if result.columns.get(h.index) == "address"]
    if sum(h.key in _ADDRESS_PARTS for h in address) >= 2:
        for h in address:
            if h.key not in _ADDRESS_PARTS:
                del result.columns[h.index]
                result.duplicates.append((h.index, h.header, "address"))

    # A customer sheet that names only a person (B2C: 客户姓名, 姓名) uses that as the customer's name.
    if kind == "customers" and "name" not in taken and "contact_name" in taken:
        result.columns[taken["contact_name"]] = "name"

    for hit in hits:
        if hit.scale and result.columns.get(hit.index) in MONEY_FIELDS:
            result.scales[hit.index] = hit.scale
    result.columns = dict(sorted(result.columns.items()))
    result.duplicates.sort()
    result.score = float(len(result.fields))
    return result, {h.index: h.key for h in hits}


# Fields that point at a person rather than a company, and the reverse; used to
# tell a contact list from a customer list.
_PERSON_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "department",
        "birthday",
        "mobile",
        "title",
        "im",
        "role",
        "relationship",
        "prefers",
        "interests",
    }
)
_COMPANY_FIELDS = frozenset(
    {
        "industry",
        "size",
        "kind",
        "source",
        "first_contact_on",
        "status",
        "tier",
        "needs",
        "budget",
        "budget_min",
        "budget_max",
        "purchase_by",
        "revenue_total",
        "last_deal_on",
        "tags",
        "code",
        "next_follow_up_on",
        "address",
    }
)


def _classify(headers: list[object]) -> tuple[str, str]:
    matched = {kind: _match(headers, kind) for kind in KINDS}
    m = {kind: pair[0] for kind, pair in matched.items()}

    fu, fu_keys = matched["followups"]
    f = fu.fields
    if "at" in f and f & {"summary", "channel", "feedback", "next_action"}:
        return "followups", "has a follow-up date and what was said or how"
    if sum(fu_keys[i] in _STRONG_FOLLOWUP for i in fu.columns) >= 2:
        return "followups", "has follow-up columns (跟进方式, 沟通要点, …)"

    t = m["tiers"].fields
    if t & {"potential", "willingness"}:
        return "tiers", "has grading scores (potential/willingness)"
    if "total" in t and t & {"tier", "basis", "strategy", "assessed_on", "assessor"}:
        return "tiers", "has a score with a tier, basis or assessment date"
    if "basis" in t and t & {"tier", "assessed_on"}:
        return "tiers", "has a grading basis and a tier or assessment date"

    o, keys = matched["opportunities"]
    if any(keys.get(i) in _STRONG_OPPORTUNITY for i in o.columns):
        return "opportunities", "has an opportunity name, sales stage or expected deal amount/date"
    if "stage" in o.fields and o.fields & {
        "amount",
        "expected_close_on",
        "probability",
        "closed_on",
        "competitors",
        "risks",
        "lost_reason",
    }:
        return "opportunities", "has a stage with an amount, close date or probability"

    person = len(m["contacts"].fields & _PERSON_FIELDS)
    cu, cu_keys = matched["customers"]
    company = len({f for i, f in cu.columns.items() if f in _COMPANY_FIELDS and cu_keys[i] not in _WEAK})
    # People with at most incidental company facts (e.g. Salesforce LeadSource on a contact).
    if person and (company == 0 or person >= 2 * company + 2):
        return "contacts", f"has person fields ({person}) and few customer-level fields ({company})"
    return "customers", f"a list of customers (customer-level fields: {company}, person fields: {person})"


def classify(headers: Iterable[object]) -> str:
    """Which kind of sheet this header row is: one of KINDS."""
    return _classify(list(headers))[0]


def match_headers(headers: Iterable[object], kind: str | None = None) -> HeaderMatch:
    """Map a header row onto ``kind``'s fields; classify the sheet first if ``kind`` is None.

    Classification rules, first that applies:

    1. followups: a follow-up date (跟进日期, Date, ActivityDate) with a summary,
       channel, feedback or next action; or a summary and a channel.
    2. tiers: purchase potential / willingness scores; or a score (评分) with a
       tier (客户等级), basis, strategy, date or assessor; or basis with tier/date.
    3. opportunities: an opportunity-only header (机会名称, 销售阶段, StageName,
       Opportunity Name, Deal - Title, opportunity_id, 预计成交金额/日期, 成交概率);
       or a stage (deal_stage, Deal - Stage) together with an amount, close date,
       probability, competitors, risks or lost reason.
    4. contacts: person fields (first/last name, title, department, mobile,
       birthday, IM, role, …) and no customer-level fields (industry, size,
       source, status, tier, address, …), or at least 2×+2 as many person as
       customer-level fields.
    5. otherwise customers.
    """
    headers = list(headers)
    if kind is None:
        kind, reason = _classify(headers)
    else:
        reason = "kind given"
    result, _keys = _match(headers, kind)
    result.reason = reason
    return result
