"""Stored values as Python values: what SQLite hands back (ISO text, integer cents) converted
the way the models convert them, without importing SQLModel or ``decimal`` up front."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

TYPE_CHECKING = False  # not ``typing``'s: this module is on the CLI's start-up path
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any, Self


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


def local_naive(at: datetime) -> datetime:
    """An aware (or naive UTC) instant as the rep's naive local wall-clock time. Through
    ``tuicrm.clock`` when pendulum is loaded (the TUI, or a test that pinned pendulum's zone);
    else the C library's zone, which reads the same ``TZ`` and /etc/localtime, so that the lean
    CLI reads (``due``, ``agenda``) do not import pendulum (20 ms of their 0.15 s)."""
    import sys

    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if "pendulum" in sys.modules:
        from tuicrm.clock import to_local

        n = to_local(at)
        return datetime(n.year, n.month, n.day, n.hour, n.minute, n.second, n.microsecond)
    return at.astimezone().replace(tzinfo=None)


def local_to_utc(value: datetime) -> datetime:
    """A naive local wall-clock time as an aware UTC instant (``local_naive``'s inverse, the
    same way round: pendulum's zone when it is loaded, else the C library's)."""
    import sys

    if "pendulum" in sys.modules:
        import pendulum
        from pendulum.tz import local_timezone as _local_timezone

        return pendulum.instance(value, tz=_local_timezone()).in_timezone("UTC")
    return value.astimezone(UTC)


def local_day(at: datetime) -> date:
    """The rep's calendar day of an aware instant (see ``local_naive``)."""
    return local_naive(at).date()


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


class Frozen:
    """Immutable plain data with named fields: a lean frozen dataclass.

    The CLI's ``find``/``show`` import this package before their first query; ``dataclasses``
    and ``typing`` would add ~40 ms to that on the 2-core server, so the result types here are
    slotted classes on this base. Subclasses name their fields in ``__slots__`` (annotated in
    the class body) and their defaults, if any, in ``_defaults``.
    """

    __slots__: tuple[str, ...] = ()
    _defaults: dict[str, object] = {}

    def __init__(self, *values: Any, **named: Any) -> None:
        fields = self.__slots__
        if len(values) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields, not {len(values)}")
        data = dict(self._defaults)
        data.update(zip(fields, values, strict=False))
        for key, value in named.items():
            if key not in fields:
                raise TypeError(f"{type(self).__name__} has no field {key!r}")
            data[key] = value
        for key in fields:
            if key not in data:
                raise TypeError(f"{type(self).__name__} needs {key!r}")
            object.__setattr__(self, key, data[key])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __iter__(self) -> Iterator[Any]:
        return (getattr(self, key) for key in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Frozen) and type(other) is type(self) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self))

    def __repr__(self) -> str:
        inner = ", ".join(f"{key}={getattr(self, key)!r}" for key in self.__slots__)
        return f"{type(self).__name__}({inner})"

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed."""
        return type(self)(**{**self.asdict(), **changes})

    def asdict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.__slots__}
