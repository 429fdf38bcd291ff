"""Headers of the templates' own tables that are not customer records: the activity plan (template
003 §5 销售活动计划表) and the lead sheet (template 004 模板1 线索管理表). A sheet is one of these
"side kinds" by its headers (:func:`tuicrm.io.importing.sheets.side_kind`), never by the
classifier of :mod:`.match`, so a customer list never turns into one by accident.

Field names are the importer's: ``activity_kind`` / ``activity_status`` / ``activity_budget`` /
``lead_status`` / ``lead_created`` keep clear of the customer fields of the same meaning
(``kind`` B2B/B2C, ``status`` potential/won, ``budget`` a range)."""

from __future__ import annotations

SIDE_KINDS = ("activities", "leads")

SIDE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "activities": {
        "code": ("活动编号", "活动代码", "活动id", "activity code", "activity id", "activity no"),
        "name": ("活动名称", "活动主题", "活动", "activity", "activity name", "subject", "title"),
        "activity_kind": ("活动类型", "活动方式", "类型", "activity type", "type", "kind"),
        "customer_code": ("客户编号", "客户代码", "客户编码", "customer code", "customer id", "account id"),
        "customer_name": (
            "客户名称",
            "客户",
            "customer",
            "customer name",
            "company",
            "account",
            "account name",
        ),
        "contact_ref": ("联系人编号", "联系人", "contact", "contact id", "contact name"),
        "opportunity_ref": ("机会编号", "机会名称", "商机", "opportunity", "opportunity id", "deal"),
        "goal": ("活动目标", "目标", "goal", "objective"),
        "content": ("活动内容", "内容", "content", "description", "details"),
        "planned_start": (
            "计划开始时间",
            "开始时间",
            "计划时间",
            "planned start",
            "start",
            "start time",
            "starts",
            "start date",
        ),
        "planned_end": ("计划结束时间", "结束时间", "planned end", "end", "end time", "ends", "end date"),
        "actual_start": ("实际开始时间", "actual start"),
        "actual_end": ("实际结束时间", "actual end"),
        "place": ("活动地点", "地点", "place", "location", "venue"),
        "attendees": ("参与人员", "参与人", "attendees", "participants"),
        "resources": ("所需资源", "资源", "resources"),
        "activity_budget": ("预算", "活动预算", "费用", "budget", "cost"),
        "activity_status": ("活动状态", "状态", "status", "activity status"),
        "result": ("活动结果", "结果", "result", "outcome"),
        "next_action": ("后续行动", "下一步行动", "next action", "next step", "follow-up action"),
        "owner": ("负责人", "owner", "assigned to"),
        "creator": ("创建人", "creator", "created by"),
        "notes": ("备注", "notes", "remarks"),
    },
    "leads": {
        "code": ("线索ID", "线索编号", "线索号", "lead id", "lead code", "lead no"),
        "source": ("来源", "线索来源", "lead source", "source", "leadsource"),
        "company": (
            "客户名称",
            "公司名称",
            "公司",
            "客户",
            "company",
            "company name",
            "account name",
            "organization",
        ),
        "industry": ("行业", "所属行业", "industry"),
        "contact_name": ("联系人", "姓名", "contact", "contact name", "name"),
        "contact_title": ("职位", "职务", "title", "job title"),
        "phone": ("电话", "手机", "联系电话", "phone", "mobile"),
        "email": ("邮箱", "电子邮箱", "email", "e-mail"),
        "budget_text": ("预算范围", "预算", "budget", "budget range"),
        "needs": ("需求描述", "需求", "needs", "requirements", "description"),
        "purchase_by": ("预计采购时间", "采购时间", "purchase by", "purchase date"),
        "owner": ("负责人", "owner", "lead owner"),
        "lead_status": ("状态", "线索状态", "status", "lead status"),
        "lead_created": ("创建时间", "创建日期", "created", "created date", "created on"),
        "notes": ("备注", "notes", "remarks"),
    },
}
