"""What each kind of sheet's headers may say, per field, best first (data tables), and the
field sets the matcher weighs them by."""

from __future__ import annotations

from tuicrm.io.headers.alias_tables import contacts, customers, followups, opportunities, tiers
from tuicrm.io.headers.tables import SIDE_ALIASES
from tuicrm.io.headers.text import normalise_header

KINDS = ("customers", "contacts", "followups", "tiers", "opportunities")

# Fields whose columns are joined rather than competing for one slot.
MULTI_FIELDS = frozenset({"address", "notes", "tags", "summary", "feedback"})

# Money fields, where a unit in the header ("金额(万元)", "Amount (k)") scales the cells.
MONEY_FIELDS = frozenset(
    {
        "amount",
        "budget",
        "budget_min",
        "budget_max",
        "revenue_total",
        "company_revenue",
        "activity_budget",
        "due_amount",
        "received_amount",
        "outstanding_amount",
    }
)


# ---------------------------------------------------------------------------
# Aliases, per kind, per field, best first (one module a kind in ``alias_tables``). Written
# in simplified Chinese and in any spelling; they are compared after normalise_header. The
# field's own name is added at the end of each tuple (so "first_contact_on" and "First
# contact on" always match).

_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": customers.FIELDS,
    "contacts": contacts.FIELDS,
    "followups": followups.FIELDS,
    "tiers": tiers.FIELDS,
    "opportunities": opportunities.FIELDS,
}


def _with_field_names(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, fields in table.items():
        out[kind] = {}
        for name, aliases in fields.items():
            keys = {normalise_header(a) for a in aliases}
            out[kind][name] = aliases if normalise_header(name) in keys else (*aliases, name)
    return out


def _with_families(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, dict[str, tuple[str, ...]]]:
    """The base table plus each family's aliases (:mod:`.families`) that the base leaves free."""
    from tuicrm.io.headers.families import FAMILIES

    out = {kind: dict(fields) for kind, fields in table.items()}
    for family in FAMILIES.values():
        for kind, fields in family.items():
            taken = {normalise_header(a) for aliases in out[kind].values() for a in aliases}
            for name, aliases in fields.items():
                new = tuple(a for a in aliases if normalise_header(a) not in taken)
                if new:
                    out[kind][name] = (*out[kind].get(name, ()), *new)
                    taken |= {normalise_header(a) for a in new}
    return out


ALIASES: dict[str, dict[str, tuple[str, ...]]] = _with_families(_with_field_names(_ALIASES))
# The activity plan and the lead sheet (their own tables; never chosen by the classifier).
ALIASES.update(_with_field_names(SIDE_ALIASES))

# When a customer row's name/phone/email slot is taken by a better column, the
# other one is most likely the contact person's.
FALLBACK = {"customers": {"name": "contact_name", "phone": "contact_phone", "email": "contact_email"}}

# Address columns that are parts of one address. When a sheet has two or more,
# a whole-address column beside them is a copy (Salesforce's JSON "Address").
ADDRESS_PARTS = frozenset(
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
WEAK = frozenset(
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
STRONG_FOLLOWUP = frozenset(
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
STRONG_OPPORTUNITY = frozenset(
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
        "lead_value",  # Krayin
        "expected_close_date",  # Krayin
        "closing date",  # Zoho
        "expected_revenue",  # Odoo
    )
)

# Units a money header may carry: "预计成交金额(万元)", "Amount (k)".
UNITS = {
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


# Fields that point at a person rather than a company, and the reverse; used to
# tell a contact list from a customer list.
PERSON_FIELDS = frozenset(
    {
        "gender",
        "education",
        "work_history",
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
COMPANY_FIELDS = frozenset(
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
        "registered_address",
        "region",
        "company_revenue",
        "product_preference",
        "payment_method",
        "renewal_risk",
        "renewal_on",
    }
)
