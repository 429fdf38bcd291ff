"""The fields an import fills, by type and by table (decided once per sheet, read per cell)."""

from __future__ import annotations

from collections.abc import Callable

from tuicrm.io import values as V
from tuicrm.io.fields import (
    CONTACT_VALUES,
    CUSTOMER_VALUES,
    FOLLOWUP_VALUES,
    OPP_DERIVED,
    OPP_VALUES,
    TIER_VALUES,
)
from tuicrm.io.values.side_words import (
    map_activity_kind,
    map_activity_status,
    map_complaint_severity,
    map_complaint_status,
    map_lead_status,
    map_payment_method,
)

__all__ = [
    "CONTACT_VALUES",
    "CUSTOMER_VALUES",
    "FOLLOWUP_VALUES",
    "OPP_DERIVED",
    "OPP_VALUES",
    "TIER_VALUES",
]

DATE_FIELDS = frozenset(
    {
        "first_contact_on",
        "purchase_by",
        "last_deal_on",
        "next_follow_up_on",
        "birthday",
        "next_on",
        "assessed_on",
        "expected_close_on",
        "closed_on",
        "opened_on",
        "renewal_on",
        "next_step_due_on",
        "next_step_done_on",
        "settled_on",
        "paid_on",
        "due_on",
    }
)
DATETIME_FIELDS = frozenset(
    {
        "at",
        "archived_at",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "lead_created",
        "complaint_at",
    }
)
MONEY_FIELDS = frozenset(
    {
        "budget_min",
        "budget_max",
        "revenue_total",
        "company_revenue",
        "amount",
        "activity_budget",
        "due_amount",
        "received_amount",
        "outstanding_amount",
    }
)
WORD_MAPS: dict[str, Callable[[object], str | None]] = {
    "status": V.map_status,
    "tier": V.map_tier,
    "kind": V.map_kind,
    "stage": V.map_stage,
    "channel": V.map_channel,
    "attitude": V.map_attitude,
    "role": V.map_role,
    "relationship": V.map_relationship,
    "prefers": V.map_prefers,
    "activity_kind": map_activity_kind,
    "activity_status": map_activity_status,
    "lead_status": map_lead_status,
    "pay_method": map_payment_method,
    "severity": map_complaint_severity,
    "complaint_status": map_complaint_status,
}
JOIN = {"address": ", ", "tags": ",", "notes": "\n", "summary": "\n", "feedback": "\n"}
EMAIL_FIELDS = frozenset({"email", "contact_email"})
BOOL_FIELDS = frozenset({"is_primary", "is_key_decision_maker"})
TYPED_FIELDS = (
    DATE_FIELDS
    | DATETIME_FIELDS
    | MONEY_FIELDS
    | set(WORD_MAPS)
    | EMAIL_FIELDS
    | set(JOIN)
    | {"budget", "probability", "potential", "willingness", "total"}
)


NOTES_FIELD = {
    "customers": "notes",
    "contacts": "notes",
    "opportunities": "plan",
    "followups": "feedback",
    "tiers": "basis",
    "activities": "content",
    "leads": "notes",
    "receivables": "notes",
    "complaints": "notes",
}


CUSTOMER_VALUE_SET = frozenset(CUSTOMER_VALUES)
# Values that count as "not set" when merging (the model's defaults).
DEFAULTS = {"status": "potential", "tier": "D"}
