"""Date input (SPEC §3) and relative display.

``parse_date_input`` never looks at the clock itself: callers pass ``today`` so
the rule is pure and testable; ``tuicrm.clock.today()`` honours ``$TUICRM_NOW``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tuicrm.i18n import _, ngettext

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


def accepted_forms(*, allow_auto: bool = True) -> str:
    """The accepted forms in the rep's language (the Chinese list names the Chinese words too)."""
    if allow_auto:
        return _(
            "today, tomorrow, yesterday, +3d, +2w, +1m, -1d, a weekday (mon, friday), "
            "next week, 2026-12-01, 12-01 or auto"
        )
    return _(
        "today, tomorrow, yesterday, +3d, +2w, +1m, -1d, a weekday (mon, friday), "
        "next week, 2026-12-01, 12-01"
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


# Chinese forms (issue #19): 今天, 明天, 下周一, 周五/星期五, 3天后, 两周后, 1个月后, 12月1日, 2026年12月1日.
_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_NUMBER = r"(\d+|[零〇一二两三四五六七八九十]+)"
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEK = r"(?:周|星期|礼拜)"
_ZH_DAYS = {
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
}
_ZH_RELATIVE = re.compile(rf"^{_ZH_NUMBER}(个)?(天|日|周|星期|礼拜|月|年)(以后|之后|后|以前|之前|前)$")
_ZH_NEXT_WEEKDAY = re.compile(rf"^下{_ZH_WEEK}([一二三四五六日天])$")
_ZH_WEEKDAY = re.compile(rf"^{_ZH_WEEK}([一二三四五六日天])$")
_ZH_NEXT_WEEK = re.compile(rf"^下{_ZH_WEEK}$")
_ZH_DATE = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]$")
_ZH_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "月": "m", "年": "y"}
# A full-width digit, plus or hyphen (typed with a Chinese input method) reads as its ASCII twin.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－", "0123456789+-")


def _zh_number(text: str) -> int | None:
    """``3``, ``三``, ``两``, ``十``, ``十二``, ``二十``; None for anything else."""
    if text.isdigit():
        return int(text) if len(text) <= 6 else None
    if "十" not in text:
        return _ZH_DIGITS[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


def _chinese_relative(raw: str) -> tuple[int, str] | None:
    """``3天后`` → (3, "d"), ``两周后`` → (2, "w"), ``1天前`` → (-1, "d"); None when not such a form."""
    m = _ZH_RELATIVE.match(raw)
    if not m:
        return None
    n = _zh_number(m.group(1))
    if n is None or (m.group(2) and m.group(3) in ("天", "日")):
        return None
    sign = -1 if m.group(4).endswith("前") else 1
    return sign * n, _ZH_UNITS[m.group(3)]


def _normalise(text: str) -> str:
    raw = (text or "").strip().lower().translate(_FULL_WIDTH)
    raw = re.sub(r"\s+", " ", raw)
    if re.search(r"[\u3000-\u9fff]", raw):  # Chinese: spaces between the words mean nothing
        raw = re.sub(r"[\s\u3000]+", "", raw)
    return raw


class DateInputError(ValueError):
    """Bad date input; the message names the accepted forms."""


def _is_leap(year: int) -> bool:
    """``calendar.isleap`` (``calendar`` brings ``locale``: ~6 ms of every command's start)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]``: the days in that month."""
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(start: date, months: int) -> date:
    """Calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, _month_days(year, month))
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
    raw = _normalise(text)
    if raw == "next week" or _ZH_NEXT_WEEK.match(raw):
        return True
    zh = _chinese_relative(raw)
    if zh is not None:
        return zh[0] > 0
    m = _RELATIVE.match(raw)
    return m is not None and m.group(1) == "+"


def _parse(text: str, today: date, *, allow_auto: bool) -> date | str:
    raw = _normalise(text)
    if not raw:
        raise DateInputError(_("A date is needed. Use {forms}.").format(forms=accepted_forms()))
    if raw in (AUTO, "自动"):
        if allow_auto:
            return AUTO
        raise DateInputError(
            _("'auto' is not accepted here. Use {forms}.").format(forms=accepted_forms(allow_auto=False))
        )
    chinese = _parse_chinese(raw, today, text)
    if chinese is not None:
        return chinese
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
        return _month_day(int(m.group(1)), int(m.group(2)), today, text)
    raise DateInputError(
        _("'{text}' is not a date. Use {forms}.").format(text=text.strip(), forms=accepted_forms())
    )


def _parse_chinese(raw: str, today: date, text: str) -> date | None:
    """The Chinese forms; None when ``raw`` is none of them."""
    if raw in _ZH_DAYS:
        return today + timedelta(days=_ZH_DAYS[raw])
    if _ZH_NEXT_WEEK.match(raw):
        return today + timedelta(days=7 - today.weekday())
    m = _ZH_NEXT_WEEKDAY.match(raw)
    if m:  # 下周一: that day of the next calendar week (weeks start on Monday)
        return today + timedelta(days=7 - today.weekday() + _ZH_WEEKDAYS[m.group(1)])
    m = _ZH_WEEKDAY.match(raw)
    if m:  # 周五: the next Friday, never today (as ``fri``)
        ahead = (_ZH_WEEKDAYS[m.group(1)] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    relative = _chinese_relative(raw)
    if relative is not None:
        n, unit = relative
        try:
            if unit == "d":
                return today + timedelta(days=n)
            if unit == "w":
                return today + timedelta(weeks=n)
            return add_months(today, n if unit == "m" else 12 * n)
        except (OverflowError, ValueError):
            raise DateInputError(out_of_range_message(text)) from None
    m = _ZH_DATE.match(raw)
    if m:
        month, day = int(m.group(2)), int(m.group(3))
        if m.group(1):
            return _checked(int(m.group(1)), month, day, text)
        return _month_day(month, day, today, text)
    return None


def _month_day(month: int, day: int, today: date, text: str) -> date:
    """``12-01`` / ``12月1日``: this year, or next year when already past."""
    candidate = _checked(today.year, month, day, text, leap_ok=True)
    if candidate < today:
        candidate = _checked(today.year + 1, month, day, text)
    return candidate


def _checked(year: int, month: int, day: int, text: str, leap_ok: bool = False) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if leap_ok and month == 2 and day == 29:
            # Feb 29 typed in a non-leap year means the next one that has it.
            for y in range(year + 1, year + 8):
                if _is_leap(y):
                    return date(y, 2, 29)
        raise DateInputError(
            _("'{text}' is not a real calendar date. Use {forms}.").format(
                text=text.strip(), forms=accepted_forms()
            )
        ) from None


def relative_label(target: date | None, today: date) -> str:
    """'3 days overdue', 'today', 'tomorrow', 'in 2 days' — with words, not colour."""
    if target is None:
        return _("no follow-up set")
    delta = (target - today).days
    if delta == 0:
        return _("due today")
    if delta == 1:
        return _("tomorrow")
    if delta < 0:
        return ngettext("{n} day overdue", "{n} days overdue", -delta).format(n=-delta)
    return ngettext("in {n} day", "in {n} days", delta).format(n=delta)


def days_overdue(target: date | None, today: date) -> int:
    """Days past due (0 when due today or later)."""
    if target is None:
        return 0
    return max(0, (today - target).days)
