"""The fields an import writes and an export carries, per table, in the export's column order:
one source of truth for both directions (data tables).

A link is listed by its stored column (``decision_maker_id``, ``contact_id``, ``opportunity_id``);
exports show what it points at instead (``EXPORT_NAMES``) and the importer resolves that back.
"""

from __future__ import annotations

CUSTOMER_VALUES = (
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
    "registered_address",  # 注册地址
    "address",  # 经营地址 (the business address)
    "region",
    "company_revenue",
    "product_preference",
    "payment_method",
    "renewal_risk",
    "renewal_on",
    "phone",
    "email",
    "tags",
    "notes",
    "owner",
    "next_follow_up_on",
    "next_action",
    "archived_at",
)
CONTACT_VALUES = (
    "name",
    "title",
    "department",
    "role",
    "gender",
    "phone",
    "mobile",
    "email",
    "im",
    "birthday",
    "education",
    "work_history",
    "relationship",
    "prefers",
    "interests",
    "notes",
    "is_primary",
    "is_key_decision_maker",
    "archived_at",
)
OPP_VALUES = (
    "name",
    "product",
    "amount",
    "expected_close_on",
    "stage",
    "probability",
    "decision_maker_id",
    "competitors",
    "strengths",
    "weaknesses",
    "key_success_factors",
    "risks",
    "plan",
    "next_step",
    "next_step_owner",
    "next_step_due_on",
    "next_step_done_on",
    "owner",
    "lost_reason",
    "lost_detail",
    "closed_on",
    "archived_at",
)
# Written by the import but not a column of its own: whether the probability is the rep's
# (an imported probability other than the stage's default) follows from the two columns above.
OPP_DERIVED = ("probability_set",)
FOLLOWUP_VALUES = (
    "at",
    "channel",
    "contact_id",
    "summary",
    "feedback",
    "objection",
    "attitude",
    "outcome",
    "place",
    "attendees",
    "next_action",
    "next_on",
    "goal",
    "owner",
    "opportunity_id",
)
TIER_VALUES = (
    "potential",
    "willingness",
    "total",
    "tier",
    "basis",
    "strategy",
    "assessed_on",
    "assessor",
)

# Stored link column -> the export column naming what it points at.
EXPORT_NAMES = {
    "decision_maker_id": "contact_name",
    "contact_id": "contact_name",
    "opportunity_id": "opportunity_name",
}

# Export kind -> SQL table.
TABLES = {
    "customers": "customer",
    "contacts": "contact",
    "opportunities": "opportunity",
    "followups": "followup",
    "tiers": "tierassessment",
}
VALUES = {
    "customers": CUSTOMER_VALUES,
    "contacts": CONTACT_VALUES,
    "opportunities": OPP_VALUES,
    "followups": FOLLOWUP_VALUES,
    "tiers": TIER_VALUES,
}


def export_columns(kind: str) -> tuple[str, ...]:
    """The .csv/.xlsx columns of one kind: the customer link, the values, and the row's ref."""
    if kind == "customers":
        return ("code", *CUSTOMER_VALUES)
    values = tuple(EXPORT_NAMES.get(f, f) for f in VALUES[kind])
    return ("customer_code", "customer_name", *values, "ref")
