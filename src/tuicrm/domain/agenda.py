"""The activity plan (issue #17): pure rules on planned visits, calls, demos…

Every function takes local naive datetimes and the local ``now`` from its caller: which group an
activity falls in (today / this week / later), whether a planned one is overdue, which ones
overlap (conflicts), how long one lasts when no end was given, the weekly completion rate, and
what a rep means by ``--at fri 10:00`` (looking ahead, unlike ``domain.moments``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tuicrm.config import ACTIVITY_KINDS, ACTIVITY_STATUSES, AgendaConfig
from tuicrm.domain.choices import canonical
from tuicrm.domain.dates import ACCEPTED_FORMS, DateInputError, parse_date_input
from tuicrm.i18n import _

GROUPS = ("today", "week", "later")
# Activities that still take the rep's time (a cancelled or done one cannot clash).
LIVE_STATUSES = ("planned", "in-progress")
WHEN_FORMS = "tomorrow 10:00, fri 14:30, 2026-12-09 09:00, +2d, 14:30 (today)"

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class ActivityError(ValueError):
    """A kind, status or time an activity cannot take (the message says which)."""


@dataclass(frozen=True)
class Slot:
    """What the rules need of one activity: its id, planned times (local) and status."""

    id: int
    start: datetime
    end: datetime | None
    status: str
    kind: str = "other"


def check_kind(kind: str) -> str:
    value = canonical(kind or "", ACTIVITY_KINDS) or (kind or "").strip().lower()  # 拜访 → visit
    if value not in ACTIVITY_KINDS:
        raise ActivityError(
            _("'{kind}' is not an activity kind. Use one of: {kinds}.").format(
                kind=kind, kinds=", ".join(ACTIVITY_KINDS)
            )
        )
    return value


def check_status(status: str) -> str:
    value = canonical(status or "", ACTIVITY_STATUSES) or (status or "").strip().lower()
    if value not in ACTIVITY_STATUSES:
        raise ActivityError(
            _("'{status}' is not an activity status. Use one of: {statuses}.").format(
                status=status, statuses=", ".join(ACTIVITY_STATUSES)
            )
        )
    return value


def default_duration(kind: str, config: AgendaConfig) -> timedelta:
    """How long an activity of ``kind`` lasts when no end is given (config: a visit 2 h…)."""
    minutes = config.duration_minutes.get(kind, config.duration_minutes.get("other", 60))
    return timedelta(minutes=minutes)


def end_of(slot: Slot, config: AgendaConfig) -> datetime:
    """The planned end, or the start plus the kind's default duration."""
    return slot.end if slot.end is not None else slot.start + default_duration(slot.kind, config)


def is_overdue(status: str, start: datetime, now: datetime) -> bool:
    """A planned activity whose start has passed and that nobody started, finished or cancelled."""
    return status == "planned" and start < now


def overdue_by(start: datetime, now: datetime) -> timedelta:
    return max(now - start, timedelta(0))


def week_end(today: date) -> date:
    """The first day after this ISO week (next Monday)."""
    return today + timedelta(days=7 - today.weekday())


def group_of(start: datetime, now: datetime) -> str:
    """``today`` (anything up to the end of today, overdue ones too), ``week`` (the rest of this
    ISO week, to Sunday) or ``later``."""
    today = now.date()
    if start.date() <= today:
        return "today"
    if start.date() < week_end(today):
        return "week"
    return "later"


def grouped(slots: Iterable[Slot], now: datetime) -> dict[str, list[Slot]]:
    """The slots by group, each in start order (id breaks ties)."""
    out: dict[str, list[Slot]] = {g: [] for g in GROUPS}
    for slot in sorted(slots, key=lambda s: (s.start, s.id)):
        out[group_of(slot.start, now)].append(slot)
    return out


def conflicts(slots: Sequence[Slot], config: AgendaConfig) -> dict[int, list[int]]:
    """Activity id → ids of the live activities it overlaps (touching ends do not clash)."""
    live = sorted((s for s in slots if s.status in LIVE_STATUSES), key=lambda s: (s.start, s.id))
    clashes: dict[int, list[int]] = {}
    for i, first in enumerate(live):
        first_end = end_of(first, config)
        for second in live[i + 1 :]:
            if second.start >= first_end:
                break
            clashes.setdefault(first.id, []).append(second.id)
            clashes.setdefault(second.id, []).append(first.id)
    return clashes


@dataclass(frozen=True)
class WeekKpi:
    """Template 003's activity KPI: activities planned in the week and how many got done."""

    planned: int
    done: int

    @property
    def completion_rate(self) -> float | None:
        """Done / planned (0..1), None when nothing was planned."""
        return None if self.planned == 0 else round(self.done / self.planned, 4)


def week_kpi(statuses: Iterable[str]) -> WeekKpi:
    """From the statuses of the activities planned in a week: cancelled ones do not count."""
    kept = [s for s in statuses if s != "cancelled"]
    return WeekKpi(planned=len(kept), done=sum(1 for s in kept if s == "done"))


def parse_when(text: str, now: datetime, config: AgendaConfig) -> datetime:
    """The local moment ``text`` names, looking ahead: a SPEC §3 date form (``tomorrow``,
    ``fri``, ``+2d``, ``2026-12-09``) with an optional ``HH:MM``, or ``HH:MM`` alone (today), or
    ``now``. A day without a time means ``config.default_hour``. Naive, to the minute."""
    raw = re.sub(r"\s+", " ", (text or "").strip().lower())
    if not raw:
        raise DateInputError(_("A time is needed. Use {forms}.").format(forms=WHEN_FORMS))
    now = now.replace(second=0, microsecond=0, tzinfo=None)
    if raw == "now":
        return now
    words = raw.replace("t", " ", 1).split(" ") if re.match(r"^\d{4}-\d\d-\d\dt", raw) else raw.split(" ")
    clock: time | None = None
    m = _TIME.match(words[-1])
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 23 or minute > 59:
            raise DateInputError(_("'{text}' is not a time of day (00:00 to 23:59).").format(text=words[-1]))
        clock = time(hour, minute)
        words = words[:-1]
    day_text = " ".join(words)
    if not day_text:
        day = now.date()
    else:
        try:
            parsed = parse_date_input(day_text, now.date(), allow_auto=False)
        except DateInputError:
            raise DateInputError(
                _("'{text}' is not a date and time. Use {forms} ({dates}).").format(
                    text=text.strip(), forms=WHEN_FORMS, dates=ACCEPTED_FORMS.replace(" or auto", "")
                )
            ) from None
        assert isinstance(parsed, date)
        day = parsed
    return datetime.combine(day, clock or time(config.default_hour, 0))


__all__ = [
    "GROUPS",
    "LIVE_STATUSES",
    "WHEN_FORMS",
    "ActivityError",
    "Slot",
    "WeekKpi",
    "check_kind",
    "check_status",
    "conflicts",
    "default_duration",
    "end_of",
    "group_of",
    "grouped",
    "is_overdue",
    "overdue_by",
    "parse_when",
    "week_end",
    "week_kpi",
]
