"""Small pure helpers on cell values: clean text, local/UTC times, person names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tuicrm.domain.privacy import sanitize
from tuicrm.io import values as V

# What a spreadsheet would run as a formula; exports put ``'`` before it (tuicrm.io.export).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def txt(value: Any) -> str | None:
    """A cell as clean text: trimmed, BOM/odd spaces gone, escapes and control characters removed."""
    if type(value) is str:
        s = value.strip()
        if s[:1] == "'" and s[1:2] in FORMULA_STARTS:
            value = s = s[1:]  # our export's guard against spreadsheet formulas (OWASP)
        # The common case: nothing to clean. Control characters, escapes, bidi overrides,
        # BOMs and odd spaces are all "not printable", so they take the full path below.
        if s.isprintable():
            return s or None
    cleaned = V.clean_text(value)
    if cleaned is None:
        return None
    cleaned = (sanitize(cleaned) or "").strip()
    return cleaned or None


def utc_from_local(naive: datetime) -> datetime:
    """A wall-clock time from a file (local time) as an aware UTC datetime."""
    # By its function: ``pendulum.local_timezone`` is also a submodule's name, which type
    # checkers may resolve to the module (an error that comes and goes with mypy's cache).
    from pendulum.tz import local_timezone

    return naive.replace(tzinfo=local_timezone()).astimezone(UTC)


def naive_utc(value: Any) -> datetime | None:
    """Stored datetimes compare as naive UTC, to the second."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    result: datetime = value.replace(microsecond=0)
    return result


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------------------
# Sheet preparation: header row, kind, columns


def aware(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return utc_from_local(value)
    return value


def person_name(first: str | None, last: str | None) -> str | None:
    if not first and not last:
        return None
    if first and last and all("\u3400" <= ch <= "\u9fff" for ch in (first + last)):
        return f"{last}{first}"  # 张 + 伟 → 张伟
    return " ".join(p for p in (first, last) if p)
