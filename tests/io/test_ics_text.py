"""The .ics items written as text (``tuicrm.io.ics_text``) are the bytes icalendar gives for the
same components (``tuicrm.io.ics``): escapes, folding at every boundary, property order."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tuicrm.io.ics import (
    ComplaintDeadline,
    PendingFollowUp,
    PlannedActivity,
    ReceivableDue,
    activity_component,
    complaint_component,
    followup_component,
    receivable_component,
)
from tuicrm.io.ics_text import Writer, fold

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
# Text that needs every escape, with characters of 1–4 octets and escapes on folding boundaries.
TEXTS = [
    "plain",
    "a,b;c\\d \\N e\r\nf\ng\rh",
    "客户名称，有限公司；" * 6,
    "emoji 😀" * 12,
    "",
    " ^caret^ \\,",
    "\x01\x1f\u2028\u202e end",
]
TEXTS += ["x" * k + "\\" + "y" * 80 for k in range(58, 76)]  # a backslash at each fold position
TEXTS += ["é" * k + "^" + "中" * 30 for k in range(20, 40, 3)]


def test_fold_keeps_short_lines_and_never_splits_a_character():
    assert fold("A" * 74) == b"A" * 74 + b"\r\n"
    assert fold("A" * 75) == b"A" * 74 + b"\r\n A\r\n"
    folded = fold("中" * 60).split(b"\r\n ")
    assert [len(x.rstrip(b"\r\n")) for x in folded] == [72, 72, 36]


@pytest.mark.parametrize("events", [False, True])
def test_follow_ups_are_icalendar_bytes(events):
    text = Writer(NOW, 24)
    for n, t in enumerate(TEXTS):
        item = PendingFollowUp(
            f"C{n:06d}",
            t or "N",
            "ABCD?"[n % 5],
            t,
            date(2026, 12, 1 + n % 28),
            t or None,
            t or None,
            t or None,
        )
        assert text.followup(item, events) == followup_component(item, NOW, events).to_ical(), t


@pytest.mark.parametrize("hours", [24, 2, 36, 0])
def test_activities_are_icalendar_bytes(hours):
    text = Writer(NOW, hours)
    start = datetime(2026, 12, 8, 1, 30, 15, tzinfo=UTC)
    for n, t in enumerate(TEXTS):
        item = PlannedActivity(
            f"A{n:06d}",
            t,
            "call",
            "planned",
            "C1",
            t,
            start,
            start + timedelta(minutes=n),
            t or None,
            t,
            t,
            t,
        )
        assert text.activity(item) == activity_component(item, NOW, hours).to_ical(), t
    elsewhere = PlannedActivity(
        "A1", "x", "visit", "planned", "C1", "y", start.astimezone(timezone(timedelta(hours=8))), start, None,
        None, None, None,
    )  # fmt: skip
    assert text.activity(elsewhere) is None  # icalendar writes it, with its TZID


def test_receivables_and_complaints_are_icalendar_bytes():
    text = Writer(NOW, 24)
    deadline = datetime(2026, 12, 9, 23, 59, 59, 999, tzinfo=UTC)
    for n, t in enumerate(TEXTS):
        due = ReceivableDue(f"R{n}", "C1", t, date(2026, 12, 9), "1200.50", "CNY", t or None)
        assert text.receivable(due) == receivable_component(due, NOW).to_ical(), t
        severity, status = ("high", "medium", "low", "other")[n % 4], ("open", "in-progress")[n % 2]
        complaint = ComplaintDeadline(f"K{n}", "C1", t, deadline, severity, status, t)
        assert text.complaint(complaint) == complaint_component(complaint, NOW).to_ical(), t
    naive = ComplaintDeadline("K0", "C1", "x", deadline.replace(tzinfo=None), "low", "open", "y")
    assert text.complaint(naive) is None
