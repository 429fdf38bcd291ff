"""Reminders ahead of a date (issue #18): birthdays and anniversaries of contacts, a customer's
signing anniversary (its first won deal), renewals (续约). Pure: the queue asks these rules
which dates fall in their window.
"""

from __future__ import annotations

from datetime import date, timedelta

from tuicrm.i18n import _

BIRTHDAY = "birthday"
ANNIVERSARY = "anniversary"
SIGNING = "signing"
RENEWAL = "renewal"


def next_occurrence(day: date, today: date) -> date:
    """The yearly date ``day`` next falls on, today or later (29 February: the 28th in a year
    without it)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's date is always ahead")


def yearly_within(day: date | None, today: date, days_ahead: int) -> date | None:
    """The next occurrence of the yearly ``day`` if it is within ``days_ahead`` days of today
    (today counts), else None. A date in the future (no year has passed) is not yet yearly."""
    if day is None:
        return None
    on = next_occurrence(day, today)
    if on.year <= day.year:
        return None  # the date itself, not an anniversary of it
    return on if (on - today).days <= days_ahead else None


def once_within(day: date | None, today: date, days_ahead: int) -> date | None:
    """``day`` if it lies from today to ``days_ahead`` days ahead (a renewal), else None."""
    if day is None or day < today or day > today + timedelta(days=days_ahead):
        return None
    return day


def years_since(day: date, on: date) -> int:
    return on.year - day.year


def reminder_title(what: str, name: str, day: date, on: date) -> str:
    """What the queue says: 'Birthday of Zhang San', 'Signing anniversary (3 years)'…"""
    if what == BIRTHDAY:
        return _("Birthday: {name}").format(name=name)
    if what == ANNIVERSARY:
        return _("Anniversary: {name}").format(name=name)
    if what == SIGNING:
        return _("Signing anniversary ({years} years)").format(years=years_since(day, on))
    return _("Renewal due: {name}").format(name=name)


def reminder_why(what: str, on: date, today: date) -> str:
    days = (on - today).days
    when = _("today") if days == 0 else _("in {days} days").format(days=days)
    labels = {
        BIRTHDAY: _("birthday"),
        ANNIVERSARY: _("anniversary"),
        SIGNING: _("signing anniversary"),
        RENEWAL: _("renewal"),
    }
    return _("{what} {when} ({on})").format(what=labels.get(what, what), when=when, on=on.isoformat())


__all__ = [
    "ANNIVERSARY",
    "BIRTHDAY",
    "RENEWAL",
    "SIGNING",
    "next_occurrence",
    "once_within",
    "reminder_title",
    "reminder_why",
    "yearly_within",
    "years_since",
]
