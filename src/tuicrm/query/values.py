"""Stored values as Python values: what SQLite hands back (ISO text, integer cents) converted
the way the models convert them, without importing SQLModel or ``decimal`` up front."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal


def as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_utc(value: object) -> datetime | None:
    """A stored naive-UTC timestamp as an aware UTC datetime (as the models hand it back)."""
    if value is None:
        return None
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def as_money(cents: object) -> Decimal | None:
    """Integer cents as a Decimal with two places (the model's Money type)."""
    if cents is None:
        return None
    from decimal import Decimal

    return (Decimal(int(str(cents))) / 100).quantize(Decimal("0.01"))


def money_text(cents: object) -> str | None:
    """Integer cents as ``str(Decimal)`` quantized to 0.01, without importing decimal."""
    if cents is None:
        return None
    n = int(str(cents))
    sign = "-" if n < 0 else ""
    whole, part = divmod(abs(n), 100)
    return f"{sign}{whole}.{part:02d}"


def as_bool(value: object) -> bool | None:
    return None if value is None else bool(value)
