"""Complaint rules (template 001 客户投诉管理卡): the deadline by severity, the status words, overdue.

The template names a deadline (处理时限) but no numbers: ours are in ``config.CareConfig`` (high
24 hours, medium 3 working days, low 7 working days).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tuicrm.config import (
    COMPLAINT_SEVERITIES,
    COMPLAINT_SEVERITY_LABELS_ZH,
    COMPLAINT_STATUS_LABELS_ZH,
    COMPLAINT_STATUSES,
    CareConfig,
)
from tuicrm.domain.workdays import add_working_days_at
from tuicrm.i18n import _

OPEN_STATUSES = ("open", "in-progress")
SATISFACTION_MIN = 1
SATISFACTION_MAX = 5


class ComplaintError(ValueError):
    """A complaint value a rep typed that cannot be taken (the message says why)."""


def check_severity(value: str | None) -> str:
    word = (value or "medium").strip().lower()
    for key, label in COMPLAINT_SEVERITY_LABELS_ZH.items():
        if word == label:
            word = key
    if word not in COMPLAINT_SEVERITIES:
        raise ComplaintError(
            _("Severity {value} is not one of: {known}.").format(
                value=value, known=", ".join(COMPLAINT_SEVERITIES)
            )
        )
    return word


def check_status(value: str) -> str:
    word = value.strip().lower()
    for key, label in COMPLAINT_STATUS_LABELS_ZH.items():
        if word == label:
            word = key
    if word not in COMPLAINT_STATUSES:
        raise ComplaintError(
            _("Status {value} is not one of: {known}.").format(
                value=value, known=", ".join(COMPLAINT_STATUSES)
            )
        )
    return word


def check_satisfaction(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        n = int(str(value))
    except ValueError:
        n = 0
    if not SATISFACTION_MIN <= n <= SATISFACTION_MAX:
        raise ComplaintError(
            _("Satisfaction is a whole number from {lo} to {hi}.").format(
                lo=SATISFACTION_MIN, hi=SATISFACTION_MAX
            )
        )
    return n


def deadline(opened_at: datetime, severity: str, care: CareConfig) -> datetime:
    """When a complaint of ``severity`` opened at ``opened_at`` must be handled: hours for the
    ones counted in hours (high), working days for the rest (the same time of day)."""
    hours = care.complaint_hours.get(severity)
    if hours is not None:
        return opened_at + timedelta(hours=hours)
    days = care.complaint_working_days.get(severity, care.complaint_working_days.get("low", 7))
    return add_working_days_at(opened_at, days)


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def is_overdue(status: str, deadline_at: datetime | None, now: datetime) -> bool:
    return is_open(status) and deadline_at is not None and deadline_at <= now


def resolved_on_time(deadline_at: datetime | None, resolved_at: datetime | None) -> bool | None:
    """Resolved by its deadline (None: not resolved yet, or no deadline)."""
    if deadline_at is None or resolved_at is None:
        return None
    return resolved_at <= deadline_at


def severity_label(severity: str) -> str:
    labels = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    return labels.get(severity, severity)


def open_complaint_why(code: str, severity: str, deadline_at: datetime | None, now: datetime) -> str:
    """The call-next explanation's line for a customer with an open complaint: "open complaint
    K000003 (high), deadline 2026-12-08 10:00 — 5 h left" (the deadline in the system's zone)."""
    line = _("open complaint {code} ({severity})").format(code=code, severity=severity_label(severity))
    if deadline_at is None:
        return line
    from tuicrm.domain.leads import time_left_label

    return _("{line}, deadline {deadline} — {left}").format(
        line=line,
        deadline=f"{deadline_at.astimezone():%Y-%m-%d %H:%M}",
        left=time_left_label(deadline_at, now),
    )


def status_label(status: str) -> str:
    labels = {
        "open": _("open"),
        "in-progress": _("in progress"),
        "resolved": _("resolved"),
        "closed": _("closed"),
    }
    return labels.get(status, status)


__all__ = [
    "OPEN_STATUSES",
    "open_complaint_why",
    "ComplaintError",
    "check_satisfaction",
    "check_severity",
    "check_status",
    "deadline",
    "is_open",
    "is_overdue",
    "resolved_on_time",
    "severity_label",
    "status_label",
]
