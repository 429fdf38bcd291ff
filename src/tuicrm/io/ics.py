"""Pending follow-ups as an iCalendar file (.ics), through the icalendar library.

One item per customer with a pending next date: a VTODO (due that day) by
default, or an all-day VEVENT for calendars that ignore tasks. The UID is stable
per customer, so re-importing a newer export into a calendar updates the item
instead of doubling it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


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


def summary_for(item: PendingFollowUp) -> str:
    return f"Follow up: {item.name}" + (f" — {item.next_action}" if item.next_action else "")


def exportable(items: list[PendingFollowUp]) -> list[PendingFollowUp]:
    """The items whose date lies in the accepted years (1900-2199): a year-1 or year-9999 date
    (stored before the CLI refused them) has no end day and no meaning in a calendar."""
    from tuicrm.domain.dates import in_range

    return [item for item in items if in_range(item.next_on)]


def write_ics(
    items: list[PendingFollowUp], *, now: datetime, events: bool = False, host: str = "tuicrm"
) -> bytes:
    """The calendar of ``items`` (those outside the accepted years left out, see ``exportable``)."""
    from icalendar import Calendar, Event, Todo

    cal = Calendar()
    cal.add("prodid", "-//tuicrm//pending follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "tuicrm follow-ups")
    priority = {"A": 1, "B": 5, "C": 9}
    for item in exportable(items):
        comp = Event() if events else Todo()
        comp.add("uid", f"followup-{item.code}@{host}")
        comp.add("dtstamp", now)
        comp.add("summary", summary_for(item))
        lines = [f"{item.code} {item.name}", f"Tier {item.tier}, {item.status}"]
        if item.next_action:
            lines.append(f"Next: {item.next_action}")
        if item.phone:
            lines.append(f"Phone: {item.phone}")
        if item.email:
            lines.append(f"Email: {item.email}")
        comp.add("description", "\n".join(lines))
        if events:
            comp.add("dtstart", item.next_on)
            comp.add("dtend", item.next_on + timedelta(days=1))
            comp.add("transp", "TRANSPARENT")
        else:
            comp.add("due", item.next_on)
            comp.add("status", "NEEDS-ACTION")
            if item.tier in priority:
                comp.add("priority", priority[item.tier])
        comp.add("categories", ["tuicrm", f"tier {item.tier}"])
        cal.add_component(comp)
    data: bytes = cal.to_ical()
    return data
