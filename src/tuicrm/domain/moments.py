"""When something happened: a date (SPEC §3 forms) and an optional time, looking back.

``parse_moment`` is pure: callers pass the local ``now``. It reads what a rep types to back-date
a follow-up (``yesterday 15:00``, ``2026-12-01 09:30``, ``fri``, ``-2d 9:00``, ``14:30``) as a
naive local datetime. Forms that look ahead elsewhere look back here (``fri`` is the last
Friday, ``12-01`` the last 1 December); a moment after ``now`` is refused.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from tuicrm.domain.dates import WEEKDAYS, DateInputError, parse_date_input
from tuicrm.i18n import _

MOMENT_FORMS = "yesterday 15:00, 2026-12-01 09:30, -2d, fri 10:00, 14:30 (today) or now"

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def parse_moment(text: str, now: datetime) -> datetime:
    """The local moment ``text`` names (naive, to the minute); ``DateInputError`` when it is not
    one or lies after ``now``. A date without a time takes ``now``'s time of day (or ``now``)."""
    raw = re.sub(r"\s+", " ", (text or "").strip().lower())
    if not raw:
        raise DateInputError(_("A time is needed. Use {forms}.").format(forms=MOMENT_FORMS))
    now = now.replace(second=0, microsecond=0, tzinfo=None)
    if raw == "now":
        return now
    words = raw.split(" ")
    clock: time | None = None
    m = _TIME.match(words[-1])
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 23 or minute > 59:
            raise DateInputError(_("'{text}' is not a time of day (00:00 to 23:59).").format(text=words[-1]))
        clock = time(hour, minute)
        words = words[:-1]
    day_text = " ".join(words)
    today = now.date()
    if not day_text:
        day = today
    elif day_text in WEEKDAYS:
        day = today - timedelta(days=(today.weekday() - WEEKDAYS[day_text]) % 7)
    else:
        m = _MONTH_DAY.match(day_text)
        parsed = parse_date_input(day_text, today, allow_auto=False)
        assert not isinstance(parsed, str)
        day = parsed
        if m and day > today:  # "12-01" looks forward for a next date; here it means the last one
            day = parse_date_input(f"{today.year - 1}-{m.group(1)}-{m.group(2)}", today, allow_auto=False)  # type: ignore[assignment]
    moment = datetime.combine(day, clock or now.time())
    if clock is None and day == today:
        moment = now
    if moment > now:
        raise DateInputError(
            _("{text} is in the future: a follow-up is logged when it happened.").format(text=text.strip())
        )
    return moment


__all__ = ["MOMENT_FORMS", "parse_moment"]
