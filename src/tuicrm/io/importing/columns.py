"""Data tables for mapping a sheet's headers: sheet-name hints, system columns to ignore, the
extra columns the importer understands, and what each kind of sheet needs."""

from __future__ import annotations

from tuicrm.io.headers import normalise_header

# Sheet/file names that say what a sheet holds, most specific first. ASCII words
# match whole words (with an optional plural s); CJK words match anywhere.
KIND_HINTS = (
    ("tiers", ("tier", "tiers", "assessment", "assessments", "grading", "分级", "评估", "等级")),
    (
        "followups",
        (
            "followup",
            "followups",
            "follow",
            "task",
            "tasks",
            "activity",
            "activities",
            "interaction",
            "interactions",
            "calls",
            "跟进",
            "拜访记录",
            "沟通记录",
            "联系记录",
        ),
    ),
    ("opportunities", ("opportunity", "opportunities", "deal", "deals", "pipeline", "机会", "商机")),
    ("contacts", ("contact", "contacts", "people", "persons", "addressbook", "联系人", "通讯录")),
    (
        "customers",
        (
            "account",
            "accounts",
            "customer",
            "customers",
            "client",
            "clients",
            "company",
            "companies",
            "organization",
            "organizations",
            "organisations",
            "客户",
        ),
    ),
)


# Columns that are not the rep's data: row numbers and source-system audit stamps.
IGNORED = frozenset(
    normalise_header(h)
    for h in (
        "index",
        "no",
        "no.",
        "#",
        "序号",
        "行号",
        "row",
        "isdeleted",
        "masterrecordid",
        "createdbyid",
        "lastmodifiedbyid",
        "lastmodifieddate",
        "systemmodstamp",
        "lastvieweddate",
        "lastreferenceddate",
        "photourl",
        "jigsaw",
        "jigsawcompanyid",
        "jigsawcontactid",
        "latitude",
        "longitude",
        "geocodeaccuracy",
        "billinglatitude",
        "billinglongitude",
        "billinggeocodeaccuracy",
        "shippinglatitude",
        "shippinglongitude",
        "shippinggeocodeaccuracy",
        "mailinglatitude",
        "mailinglongitude",
        "mailinggeocodeaccuracy",
        "otherlatitude",
        "otherlongitude",
        "othergeocodeaccuracy",
        "更新日期",
        "updated",
        "update time",
        "updated at",
    )
)

# Extra columns this importer understands beyond tuicrm.io.headers (our own export
# writes them; some are source-system ids used only to link rows of one import).
EXTRA = {
    "customers": {
        "nextaction": "next_action",
        "下一步行动": "next_action",
        "下次跟进内容": "next_action",
        "archivedon": "archived_at",
        "archivedat": "archived_at",
        "archived": "archived_at",
        "归档时间": "archived_at",
        "tuicrmid": "_src",
    },
    "contacts": {
        "primary": "is_primary",
        "isprimary": "is_primary",
        "primarycontact": "is_primary",
        "首要联系人": "is_primary",
        "主联系人": "is_primary",
        "keydecisionmaker": "is_key_decision_maker",
        "iskeydecisionmaker": "is_key_decision_maker",
        "关键决策人": "is_key_decision_maker",
        "archivedon": "archived_at",
        "archivedat": "archived_at",
        "archived": "archived_at",
        "归档时间": "archived_at",
        "id": "_ext",
        "contactid": "_ext",
        "personid": "_ext",
        "tuicrmid": "_src",
    },
    "opportunities": {
        "archivedon": "archived_at",
        "archivedat": "archived_at",
        "archived": "archived_at",
        "归档时间": "archived_at",
        "id": "_ext",
        "dealid": "_ext",
        "tuicrmid": "_src",
    },
    "followups": {"id": "_ext", "whoid": "_link", "whatid": "_link", "tuicrmid": "_src"},
    "tiers": {"tuicrmid": "_src"},
}
# Extra fields whose source values are also kept in notes (another system's ids are worth keeping).
EXTRA_KEEP_IN_NOTES = {"_ext"}


# Which fields say "this sheet can be imported as that kind".
NEEDS = {
    "customers": (
        {"name", "contact_name", "first_name", "last_name"},
        "customer name column (客户名称 / Name)",
    ),
    "contacts": ({"name", "first_name", "last_name"}, "contact name column (姓名 / Name)"),
    "opportunities": (
        {"name", "customer_name", "customer_code"},
        "opportunity name or customer column (机会名称 / Opportunity name)",
    ),
    "followups": ({"at"}, "follow-up date column (跟进日期 / Date)"),
    "tiers": (
        {"potential", "willingness", "basis", "total"},
        "grading score columns (采购潜力 / 合作意愿 / 评分 / Potential / Willingness)",
    ),
    "activities": ({"planned_start"}, "planned start column (计划开始时间 / Start)"),
    "leads": ({"company", "contact_name"}, "company or contact column (客户名称 / 联系人 / Company)"),
    "receivables": ({"due_amount"}, "amount due column (应收金额 / Amount due)"),
    "complaints": ({"complaint_content"}, "complaint column (投诉内容 / Complaint)"),
}
