"""One length limit per text field, declared once (issue #14): the CLI, the TUI forms, the import
and the store's write path all read this table, so a note the CLI accepts is one the form accepts.

The limits are characters (``len(str)``) of the value as stored (surrounding blanks stripped).
SQLite does not enforce them (the schema has no CHECK): they keep one field from holding a
10 000-character paste by accident and keep every screen's layout sane.

A value that is already stored longer than its limit (written before the limit existed) stays
as it is: the forms never refuse an unchanged field, and the store checks only the fields a
write changes (``check_changes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tuicrm.i18n import _

# table -> field -> the most characters it holds. Tables are the SQL table names (tuicrm.models).
# Free text only: fields holding one of a fixed set of words (status, tier, stage, role ...) are
# checked against that set where they are written.
LIMITS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "customer": MappingProxyType(
            {
                "name": 200,
                "alias": 200,
                "industry": 200,
                "size": 100,
                "source": 200,
                "needs": 4000,
                "address": 500,
                "registered_address": 500,
                "region": 200,
                "product_preference": 1000,
                "payment_method": 200,
                "payment_terms": 200,
                "phone": 50,
                "email": 254,
                "tags": 500,
                "notes": 8000,
                "owner": 100,
                "next_action": 2000,
            }
        ),
        "contact": MappingProxyType(
            {
                "name": 200,
                "title": 200,
                "department": 200,
                "phone": 50,
                "mobile": 50,
                "email": 254,
                "im": 200,
                "interests": 1000,
                "gender": 20,
                "education": 1000,
                "work_history": 4000,
                "notes": 4000,
            }
        ),
        "opportunity": MappingProxyType(
            {
                "name": 200,
                "competitors": 1000,
                "risks": 2000,
                "plan": 2000,
                "owner": 100,
                "lost_reason": 500,
                "lost_detail": 2000,
                "product": 500,
                "strengths": 2000,
                "weaknesses": 2000,
                "key_success_factors": 2000,
                "next_step": 1000,
                "next_step_owner": 100,
            }
        ),
        "followup": MappingProxyType(
            {
                "summary": 4000,
                "feedback": 4000,
                "next_action": 2000,
                "goal": 1000,
                "objection": 2000,
                "place": 200,
                "attendees": 500,
                "owner": 100,
            }
        ),
        "tierassessment": MappingProxyType({"basis": 2000, "strategy": 2000, "assessor": 100}),
        "stagechange": MappingProxyType({"note": 2000}),
        "snooze": MappingProxyType({"reason": 500}),
    }
)


class LengthError(ValueError):
    """A text longer than its field's limit; ``value`` is the (stripped) text, ``limit`` the limit."""

    def __init__(self, message: str, value: str, limit: int) -> None:
        super().__init__(message)
        self.value = value
        self.limit = limit


def limit(table: str, field: str) -> int | None:
    """The most characters ``table.field`` holds; None for a field without a limit (not text)."""
    return LIMITS.get(table, {}).get(field)


def field_limit(table: str, field: str) -> int:
    """``limit`` for a field that has one (a KeyError names a field missing from the table)."""
    found = limit(table, field)
    if found is None:
        raise KeyError(f"{table}.{field}")
    return found


def too_long_message(label: str, length: int, most: int) -> str:
    """The one sentence for a text over its limit."""
    return _("{label} is {len} characters; at most {max_len} fit.").format(
        label=label, len=length, max_len=most
    )


def check_length(table: str, field: str, value: object, label: str | None = None) -> None:
    """LengthError when ``value`` (text, stripped) is longer than ``table.field`` holds."""
    most = limit(table, field)
    if most is None or not isinstance(value, str):
        return
    text = value.strip()
    if len(text) > most:
        raise LengthError(too_long_message(label or field.replace("_", " "), len(text), most), text, most)


def check_fields(table: str, fields: Mapping[str, object], labels: Mapping[str, str] | None = None) -> None:
    """``check_length`` for every text in ``fields`` (field name -> value); the first too long raises."""
    for field, value in fields.items():
        check_length(table, field, value, (labels or {}).get(field))


def check_changes(table: str, before: Mapping[str, object], after: Mapping[str, object]) -> None:
    """The store's check: only the fields whose value changes are held to their limit, so a row
    stored long before the limit existed can still be edited elsewhere (and written back as is)."""
    check_fields(table, {k: v for k, v in after.items() if before.get(k) != v})


__all__ = [
    "LIMITS",
    "LengthError",
    "limit",
    "field_limit",
    "too_long_message",
    "check_length",
    "check_fields",
    "check_changes",
]
