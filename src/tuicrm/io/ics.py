"""Pending follow-ups and planned activities as an iCalendar file (.ics), through icalendar (the
export writes the same bytes faster: ``tuicrm.io.ics_text``).

One item per customer with a pending next date: a VTODO (due that day) by
default, or an all-day VEVENT for calendars that ignore tasks. The UID is stable
per customer, so re-importing a newer export into a calendar updates the item
instead of doubling it. Planned activities (issue #17) are VEVENTs at their times, each with a
reminder (VALARM) ``reminder_hours`` before (template 004: 24 h), UID stable per activity code.
Open receivables with a due date and open complaints with a deadline (issue #18) are VTODOs due
then (a task to do, whichever way follow-ups are written), UID stable per receivable / complaint
code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icalendar import Event
    from icalendar.cal import Component


@dataclass(frozen=True)
class PendingFollowUp:
    code: str
    name: str
    tier: str
    status: str
    next_on: date
    next_action: str | None
    phone: str | None  # already masked or not, as the caller decided
    email: str | None


@dataclass(frozen=True)
class PlannedActivity:
    code: str
    name: str
    kind: str
    status: str
    customer_code: str
    customer_name: str
    start: datetime  # aware
    end: datetime  # aware (the planned end, or the kind's default length)
    place: str | None
    goal: str | None
    contact: str | None
    phone: str | None  # already masked or not, as the caller decided


@dataclass(frozen=True)
class ReceivableDue:
    code: str
    customer_code: str
    customer_name: str
    due_on: date
    outstanding: str  # the amount as written ("200.00")
    currency: str
    invoice_no: str | None


@dataclass(frozen=True)
class ComplaintDeadline:
    code: str
    customer_code: str
    customer_name: str
    deadline: datetime  # aware
    severity: str
    status: str
    content: str


# VTODO PRIORITY (1 highest) by complaint severity.
SEVERITY_PRIORITY = {"high": 1, "medium": 5, "low": 9}


def receivable_summary(item: ReceivableDue) -> str:
    return f"Collect: {item.customer_name} — {item.outstanding} {item.currency}"


def receivable_description(item: ReceivableDue) -> str:
    lines = [
        f"{item.code} {item.customer_code} {item.customer_name}",
        f"Outstanding {item.outstanding} {item.currency}",
    ]
    if item.invoice_no:
        lines.append(f"Invoice: {item.invoice_no}")
    return "\n".join(lines)


def receivable_component(item: ReceivableDue, now: datetime, host: str = "tuicrm") -> Component:
    """An open receivable: a VTODO due on its due date (collect the outstanding amount)."""
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", f"receivable-{item.code}@{host}")
    todo.add("dtstamp", now)
    todo.add("summary", receivable_summary(item))
    todo.add("description", receivable_description(item))
    todo.add("due", item.due_on)
    todo.add("status", "NEEDS-ACTION")
    todo.add("categories", ["tuicrm", "receivable"])
    return todo


def complaint_summary(item: ComplaintDeadline) -> str:
    first_line = item.content.splitlines()[0] if item.content else ""
    return f"Complaint: {item.customer_name} — {first_line[:60]}"


def complaint_description(item: ComplaintDeadline) -> str:
    return f"{item.code} {item.customer_code} {item.customer_name}\n{item.content}"


def complaint_component(item: ComplaintDeadline, now: datetime, host: str = "tuicrm") -> Component:
    """An open complaint: a VTODO due at its handling deadline (处理时限)."""
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", f"complaint-{item.code}@{host}")
    todo.add("dtstamp", now)
    todo.add("summary", complaint_summary(item))
    todo.add("description", complaint_description(item))
    todo.add("due", item.deadline)
    todo.add("status", "IN-PROCESS" if item.status == "in-progress" else "NEEDS-ACTION")
    if item.severity in SEVERITY_PRIORITY:
        todo.add("priority", SEVERITY_PRIORITY[item.severity])
    todo.add("categories", ["tuicrm", f"complaint {item.severity}"])
    return todo


def activity_summary(item: PlannedActivity) -> str:
    return f"{item.name} — {item.customer_name}"


def activity_description(item: PlannedActivity) -> str:
    lines = [f"{item.code} {item.kind}", f"{item.customer_code} {item.customer_name}"]
    if item.goal:
        lines.append(f"Goal: {item.goal}")
    if item.contact:
        lines.append(f"Contact: {item.contact}")
    if item.phone:
        lines.append(f"Phone: {item.phone}")
    return "\n".join(lines)


def _activity_event(item: PlannedActivity, now: datetime, host: str, reminder_hours: int) -> Event:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", f"activity-{item.code}@{host}")
    event.add("dtstamp", now)
    event.add("summary", activity_summary(item))
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    if item.place:
        event.add("location", item.place)
    event.add("description", activity_description(item))
    event.add("status", "CONFIRMED")
    event.add("categories", ["tuicrm", f"activity {item.kind}"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Reminder: {activity_summary(item)}")
    alarm.add("trigger", timedelta(hours=-reminder_hours))
    event.add_component(alarm)
    return event


def summary_for(item: PendingFollowUp) -> str:
    return f"Follow up: {item.name}" + (f" — {item.next_action}" if item.next_action else "")


def exportable(items: list[PendingFollowUp]) -> list[PendingFollowUp]:
    """The items whose date lies in the accepted years (1900-2199): a year-1 or year-9999 date
    (stored before the CLI refused them) has no end day and no meaning in a calendar."""
    from tuicrm.domain.dates import in_range

    return [item for item in items if in_range(item.next_on)]


PRIORITY = {"A": 1, "B": 5, "C": 9}


def followup_description(item: PendingFollowUp) -> str:
    lines = [f"{item.code} {item.name}", f"Tier {item.tier}, {item.status}"]
    if item.next_action:
        lines.append(f"Next: {item.next_action}")
    if item.phone:
        lines.append(f"Phone: {item.phone}")
    if item.email:
        lines.append(f"Email: {item.email}")
    return "\n".join(lines)


def followup_component(item: PendingFollowUp, now: datetime, events: bool, host: str = "tuicrm") -> Component:
    """One pending follow-up: a VTODO due that day, or an all-day VEVENT with ``events``."""
    from icalendar import Event, Todo

    comp = Event() if events else Todo()
    comp.add("uid", f"followup-{item.code}@{host}")
    comp.add("dtstamp", now)
    comp.add("summary", summary_for(item))
    comp.add("description", followup_description(item))
    if events:
        comp.add("dtstart", item.next_on)
        comp.add("dtend", item.next_on + timedelta(days=1))
        comp.add("transp", "TRANSPARENT")
    else:
        comp.add("due", item.next_on)
        comp.add("status", "NEEDS-ACTION")
        if item.tier in PRIORITY:
            comp.add("priority", PRIORITY[item.tier])
    comp.add("categories", ["tuicrm", f"tier {item.tier}"])
    return comp


def activity_component(
    item: PlannedActivity, now: datetime, reminder_hours: int, host: str = "tuicrm"
) -> Event:
    return _activity_event(item, now, host, reminder_hours)


def write_ics(
    items: list[PendingFollowUp],
    *,
    now: datetime,
    events: bool = False,
    host: str = "tuicrm",
    activities: Sequence[PlannedActivity] = (),
    reminder_hours: int = 24,
) -> bytes:
    """The calendar of ``items`` (those outside the accepted years left out, see ``exportable``)
    and of ``activities`` (VEVENTs with a reminder ``reminder_hours`` before)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//tuicrm//pending follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "tuicrm follow-ups")
    for item in exportable(items):
        cal.add_component(followup_component(item, now, events, host))
    for activity in activities:
        cal.add_component(_activity_event(activity, now, host, reminder_hours))
    data: bytes = cal.to_ical()
    return data
