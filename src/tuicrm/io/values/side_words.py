"""Word cells of the activity plan and the lead sheet → their config values (template 003's
活动类型 / 活动状态, template 004's 状态)."""

from __future__ import annotations

from tuicrm.config import (
    ACTIVITY_KIND_LABELS_ZH,
    ACTIVITY_KINDS,
    ACTIVITY_STATUS_LABELS_ZH,
    ACTIVITY_STATUSES,
    COMPLAINT_SEVERITIES,
    COMPLAINT_SEVERITY_LABELS_ZH,
    COMPLAINT_STATUS_LABELS_ZH,
    COMPLAINT_STATUSES,
    LEAD_STATUSES,
    PAYMENT_METHOD_LABELS_ZH,
    PAYMENT_METHODS,
)
from tuicrm.io.values.text import clean_text
from tuicrm.io.values.word_tables import word_table
from tuicrm.io.values.words import lookup_word

ACTIVITY_KIND = word_table(
    {
        "visit": (
            ACTIVITY_KIND_LABELS_ZH["visit"],
            "拜访",
            "上门拜访",
            "面访",
            "visit",
            "meeting",
            "site visit",
        ),
        "call": (ACTIVITY_KIND_LABELS_ZH["call"], "电话", "电话沟通", "call", "phone", "phone call"),
        "email": (ACTIVITY_KIND_LABELS_ZH["email"], "邮件", "email", "e-mail", "mail"),
        "demo": (ACTIVITY_KIND_LABELS_ZH["demo"], "演示", "产品演示会", "demo", "presentation"),
        "technical": (ACTIVITY_KIND_LABELS_ZH["technical"], "技术交流会", "technical", "technical exchange"),
        "other": (ACTIVITY_KIND_LABELS_ZH["other"], "other"),
    },
    ACTIVITY_KINDS,
)
ACTIVITY_STATUS = word_table(
    {
        "planned": (
            ACTIVITY_STATUS_LABELS_ZH["planned"],
            "计划",
            "未开始",
            "待开始",
            "planned",
            "scheduled",
            "open",
        ),
        "in-progress": (ACTIVITY_STATUS_LABELS_ZH["in-progress"], "in progress", "in-progress", "started"),
        "done": (ACTIVITY_STATUS_LABELS_ZH["done"], "完成", "done", "completed", "finished", "held"),
        "cancelled": (ACTIVITY_STATUS_LABELS_ZH["cancelled"], "取消", "cancelled", "canceled"),
    },
    ACTIVITY_STATUSES,
)
LEAD_STATUS = word_table(
    {
        "new": ("新建", "新线索", "待跟进", "未联系", "new", "open"),
        "contacted": ("已联系", "跟进中", "contacted", "working", "attempted to contact"),
        "nurturing": ("培育", "培育中", "培育池", "nurturing", "nurture"),
        "qualified": ("合格", "已确认", "qualified", "sales qualified"),
        "converted": ("已转化", "转化", "已成交", "converted"),
        "disqualified": ("无效", "已放弃", "放弃", "不合格", "disqualified", "unqualified", "junk"),
    },
    LEAD_STATUSES,
)


def _mapped(v: object, table: dict[str, str], what: str, known: str) -> str | None:
    value, key = lookup_word(v, table)
    if key is None:
        return None
    if value is None:
        raise ValueError(f"{clean_text(v)} is not {what}; use {known}")
    return value


def map_activity_kind(v: object) -> str | None:
    """客户拜访/电话跟进/邮件营销/产品演示/技术交流/其他 and English → visit/call/email/demo/technical/other."""
    return _mapped(v, ACTIVITY_KIND, "an activity kind", "visit, call, email, demo, technical or other")


def map_activity_status(v: object) -> str | None:
    """计划中/进行中/已完成/已取消 and English → planned/in-progress/done/cancelled."""
    return _mapped(v, ACTIVITY_STATUS, "an activity status", "planned, in-progress, done or cancelled")


def map_lead_status(v: object) -> str | None:
    """新建/已联系/培育中/合格/已转化/无效 and English → the lead statuses of config."""
    return _mapped(
        v, LEAD_STATUS, "a lead status", "new, contacted, nurturing, qualified, converted or disqualified"
    )


PAYMENT_METHOD = word_table(
    {
        "cash": (PAYMENT_METHOD_LABELS_ZH["cash"], "cash"),
        "transfer": (
            PAYMENT_METHOD_LABELS_ZH["transfer"],
            "银行转账",
            "电汇",
            "汇款",
            "transfer",
            "bank transfer",
            "wire",
        ),
        "cheque": (PAYMENT_METHOD_LABELS_ZH["cheque"], "cheque", "check"),
        "bill": (PAYMENT_METHOD_LABELS_ZH["bill"], "承兑", "汇票", "bill", "draft"),
        "monthly": (PAYMENT_METHOD_LABELS_ZH["monthly"], "monthly", "monthly account"),
        "other": (PAYMENT_METHOD_LABELS_ZH["other"], "other"),
    },
    PAYMENT_METHODS,
)
COMPLAINT_SEVERITY = word_table(
    {
        "high": (COMPLAINT_SEVERITY_LABELS_ZH["high"], "紧急", "严重", "high", "urgent", "critical"),
        "medium": (COMPLAINT_SEVERITY_LABELS_ZH["medium"], "一般", "普通", "medium", "normal"),
        "low": (COMPLAINT_SEVERITY_LABELS_ZH["low"], "轻微", "low", "minor"),
    },
    COMPLAINT_SEVERITIES,
)
COMPLAINT_STATUS = word_table(
    {
        "open": (COMPLAINT_STATUS_LABELS_ZH["open"], "未处理", "新建", "open", "new"),
        "in-progress": (COMPLAINT_STATUS_LABELS_ZH["in-progress"], "in progress", "in-progress", "working"),
        "resolved": (COMPLAINT_STATUS_LABELS_ZH["resolved"], "已处理", "已完成", "resolved", "done", "fixed"),
        "closed": (COMPLAINT_STATUS_LABELS_ZH["closed"], "关闭", "closed"),
    },
    COMPLAINT_STATUSES,
)


def map_payment_method(v: object) -> str | None:
    """现金/转账/支票/票据/月结/其他 and English → cash/transfer/cheque/bill/monthly/other."""
    return _mapped(v, PAYMENT_METHOD, "a payment method", "cash, transfer, cheque, bill, monthly or other")


def map_complaint_severity(v: object) -> str | None:
    return _mapped(v, COMPLAINT_SEVERITY, "a severity", "high, medium or low (高/中/低)")


def map_complaint_status(v: object) -> str | None:
    return _mapped(v, COMPLAINT_STATUS, "a complaint status", "open, in-progress, resolved or closed")
