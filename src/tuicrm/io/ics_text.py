"""The .ics export's items written as text (issue #20): the bytes ``tuicrm.io.ics``'s icalendar
components give (``component.to_ical()``), without building one object per property — that
was nine tenths of a 100 000-customer calendar's time.

The rules are icalendar's (7.x), held equal by ``tests/io/test_ics_text.py``: properties in the
component's canonical order then alphabetically (VEVENT: SUMMARY, DTSTART, DTEND, DTSTAMP,
UID first; VTODO and VALARM: alphabetical); TEXT escaped per RFC 5545 §3.3.11 (``\\N`` first
becomes a newline; backslash, semicolon and comma escaped; CRLF, LF and CR become ``\\n``);
lines folded before the 75th octet, never inside a UTF-8 character nor right after a backslash
or caret that starts an escape. A time that is not in UTC (never stored so) is left to icalendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tuicrm.io.ics import (
    PRIORITY,
    SEVERITY_PRIORITY,
    ComplaintDeadline,
    PendingFollowUp,
    PlannedActivity,
    ReceivableDue,
    activity_description,
    activity_summary,
    complaint_description,
    complaint_summary,
    followup_description,
    receivable_description,
    receivable_summary,
    summary_for,
)

LIMIT = 75  # a line's octets stay below this (icalendar folds at ``>= 75``)


def escape(text: str) -> str:
    """TEXT escaping as icalendar's ``_escape_char`` (the order matters)."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line, folded (CRLF and a space) and ended with CRLF."""
    data = line.encode("utf-8")
    if len(data) < LIMIT:
        return data + b"\r\n"
    parts = []
    start = 0
    while len(data) - start >= LIMIT:
        cut = start + LIMIT - 1
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character's start
            cut -= 1
        if cut - start > 1 and data[cut - 1] in b"\\^":  # keep an escape with what it escapes
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _date(day: date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _utc(moment: datetime) -> str:
    return f"{_date(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"


def _categories(*names: str) -> str:
    return "CATEGORIES:" + ",".join(escape(n) for n in names)


class Writer:
    """The items of one calendar as bytes; ``stamp`` and ``trigger`` are icalendar's own text of
    the export's time and of the reminder (the same for every item)."""

    def __init__(self, now: datetime, reminder_hours: int, host: str = "tuicrm"):
        from icalendar import Alarm

        probe = Alarm()
        probe.add("dtstamp", now)
        probe.add("trigger", timedelta(hours=-reminder_hours))
        lines = probe.to_ical().decode("utf-8").split("\r\n")
        self.stamp = next(x for x in lines if x.startswith("DTSTAMP"))
        self.trigger = next(x for x in lines if x.startswith("TRIGGER"))
        self.host = host

    def followup(self, item: PendingFollowUp, events: bool) -> bytes:
        uid = f"UID:{escape(f'followup-{item.code}@{self.host}')}"
        summary = f"SUMMARY:{escape(summary_for(item))}"
        description = f"DESCRIPTION:{escape(followup_description(item))}"
        categories = _categories("tuicrm", f"tier {item.tier}")
        if events:
            lines = [
                "BEGIN:VEVENT",
                summary,
                f"DTSTART;VALUE=DATE:{_date(item.next_on)}",
                f"DTEND;VALUE=DATE:{_date(item.next_on + timedelta(days=1))}",
                self.stamp,
                uid,
                categories,
                description,
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        else:
            lines = [
                "BEGIN:VTODO",
                categories,
                description,
                self.stamp,
                f"DUE;VALUE=DATE:{_date(item.next_on)}",
            ]
            if item.tier in PRIORITY:
                lines.append(f"PRIORITY:{PRIORITY[item.tier]}")
            lines += ["STATUS:NEEDS-ACTION", summary, uid, "END:VTODO"]
        return b"".join(fold(x) for x in lines)

    def activity(self, item: PlannedActivity) -> bytes | None:
        """None: a time not in UTC (icalendar writes that one)."""
        if item.start.tzinfo is not UTC or item.end.tzinfo is not UTC:
            return None
        summary = escape(activity_summary(item))
        lines = [
            "BEGIN:VEVENT",
            f"SUMMARY:{summary}",
            f"DTSTART:{_utc(item.start)}",
            f"DTEND:{_utc(item.end)}",
            self.stamp,
            f"UID:{escape(f'activity-{item.code}@{self.host}')}",
            _categories("tuicrm", f"activity {item.kind}"),
            f"DESCRIPTION:{escape(activity_description(item))}",
        ]
        if item.place:
            lines.append(f"LOCATION:{escape(item.place)}")
        lines += [
            "STATUS:CONFIRMED",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:Reminder: {summary}",
            self.trigger,
            "END:VALARM",
            "END:VEVENT",
        ]
        return b"".join(fold(x) for x in lines)

    def receivable(self, item: ReceivableDue) -> bytes:
        lines = [
            "BEGIN:VTODO",
            _categories("tuicrm", "receivable"),
            f"DESCRIPTION:{escape(receivable_description(item))}",
            self.stamp,
            f"DUE;VALUE=DATE:{_date(item.due_on)}",
            "STATUS:NEEDS-ACTION",
            f"SUMMARY:{escape(receivable_summary(item))}",
            f"UID:{escape(f'receivable-{item.code}@{self.host}')}",
            "END:VTODO",
        ]
        return b"".join(fold(x) for x in lines)

    def complaint(self, item: ComplaintDeadline) -> bytes | None:
        """None: a deadline not in UTC (icalendar writes that one)."""
        if item.deadline.tzinfo is not UTC:
            return None
        lines = [
            "BEGIN:VTODO",
            _categories("tuicrm", f"complaint {item.severity}"),
            f"DESCRIPTION:{escape(complaint_description(item))}",
            self.stamp,
            f"DUE:{_utc(item.deadline)}",
        ]
        if item.severity in SEVERITY_PRIORITY:
            lines.append(f"PRIORITY:{SEVERITY_PRIORITY[item.severity]}")
        lines += [
            "STATUS:" + ("IN-PROCESS" if item.status == "in-progress" else "NEEDS-ACTION"),
            f"SUMMARY:{escape(complaint_summary(item))}",
            f"UID:{escape(f'complaint-{item.code}@{self.host}')}",
            "END:VTODO",
        ]
        return b"".join(fold(x) for x in lines)
