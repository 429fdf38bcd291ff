"""Date input (SPEC §3) and relative display.

``parse_date_input`` never looks at the clock itself: callers pass ``today`` so
the rule is pure and testable; ``tuicrm.clock.today()`` honours ``$TUICRM_NOW``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from tuicrm.i18n import _

AUTO = "auto"

# The years a date a rep types may fall in (SPEC §3): anything else is a typo, and years 1 or
# 9999 break date arithmetic downstream (the .ics export's end date, "days overdue").
MIN_YEAR = 1900
MAX_YEAR = 2199
EARLIEST = date(MIN_YEAR, 1, 1)
LATEST = date(MAX_YEAR, 12, 31)

ACCEPTED_FORMS = (
    "today, tomorrow, yesterday, +3d, +2w, +1m, -1d, a weekday (mon, friday), "
    "next week, 2026-12-01, 12-01 or auto"
)

WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_RELATIVE = re.compile(r"^([+-])\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|year|years)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")


class DateInputError(ValueError):
    """Bad date input; the message names the accepted forms."""


def add_months(start: date, months: int) -> date:
    """Calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def in_range(day: date) -> bool:
    """True when ``day`` lies in the accepted years (``MIN_YEAR``..``MAX_YEAR``)."""
    return EARLIEST <= day <= LATEST


def out_of_range_message(text: str) -> str:
    """The sentence for a date outside the accepted years."""
    return _("'{text}' is outside the years {lo} to {hi}; use a date in that range.").format(
        text=text.strip(), lo=MIN_YEAR, hi=MAX_YEAR
    )


def parse_date_input(text: str, today: date, *, allow_auto: bool = True) -> date | str:
    """Parse what a rep types for a date. Returns a date, or ``AUTO`` for the cadence rule.

    Dates outside the years ``MIN_YEAR``..``MAX_YEAR`` are refused with a sentence naming them.
    """
    day = _parse(text, today, allow_auto=allow_auto)
    if isinstance(day, date) and not in_range(day):
        raise DateInputError(out_of_range_message(text))
    return day


def is_counted(text: str) -> bool:
    """True for a date counted forward from today (``+3d``, ``+1w``, ``+1m``, ``next week``):
    an automatic date, moved to a working day; a date named outright (``2026-10-03``, ``fri``,
    ``tomorrow``) is the rep's and kept as typed (issue #19)."""
    raw = re.sub(r"\s+", " ", (text or "").strip().lower())
    if raw == "next week":
        return True
    m = _RELATIVE.match(raw)
    return m is not None and m.group(1) == "+"


def _parse(text: str, today: date, *, allow_auto: bool) -> date | str:
    raw = (text or "").strip().lower()
    raw = re.sub(r"\s+", " ", raw)
    if not raw:
        raise DateInputError(f"A date is needed. Use {ACCEPTED_FORMS}.")
    if raw == AUTO:
        if allow_auto:
            return AUTO
        raise DateInputError(f"'auto' is not accepted here. Use {ACCEPTED_FORMS.replace(' or auto', '')}.")
    if raw == "today":
        return today
    if raw == "tomorrow":
        return today + timedelta(days=1)
    if raw == "yesterday":
        return today - timedelta(days=1)
    if raw == "next week":
        return today + timedelta(days=7 - today.weekday())
    if raw in WEEKDAYS:
        ahead = (WEEKDAYS[raw] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    m = _RELATIVE.match(raw)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        if len(m.group(2)) > 6:  # far past any accepted year (and int() of 5000 digits refuses)
            raise DateInputError(out_of_range_message(text))
        n = int(m.group(2)) * sign
        unit = m.group(3)[0]
        try:
            if unit == "d":
                return today + timedelta(days=n)
            if unit == "w":
                return today + timedelta(weeks=n)
            if unit == "m":
                return add_months(today, n)
            return add_months(today, 12 * n)
        except (OverflowError, ValueError):  # past year 9999 or before year 1
            raise DateInputError(out_of_range_message(text)) from None
    m = _ISO.match(raw)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _MONTH_DAY.match(raw)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        candidate = _checked(today.year, month, day, text, leap_ok=True)
        if candidate < today:
            candidate = _checked(today.year + 1, month, day, text)
        return candidate
    raise DateInputError(f"'{text.strip()}' is not a date. Use {ACCEPTED_FORMS}.")


def _checked(year: int, month: int, day: int, text: str, leap_ok: bool = False) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if leap_ok and month == 2 and day == 29:
            # Feb 29 typed in a non-leap year means the next one that has it.
            for y in range(year + 1, year + 8):
                if calendar.isleap(y):
                    return date(y, 2, 29)
        raise DateInputError(f"'{text.strip()}' is not a real calendar date. Use {ACCEPTED_FORMS}.") from None


def relative_label(target: date | None, today: date) -> str:
    """'3 days overdue', 'today', 'tomorrow', 'in 2 days' — with words, not colour."""
    if target is None:
        return "no follow-up set"
    delta = (target - today).days
    if delta == 0:
        return "due today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "1 day overdue"
    if delta < 0:
        return f"{-delta} days overdue"
    return f"in {delta} days"


def days_overdue(target: date | None, today: date) -> int:
    """Days past due (0 when due today or later)."""
    if target is None:
        return 0
    return max(0, (today - target).days)
