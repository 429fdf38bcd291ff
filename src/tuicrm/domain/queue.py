"""The morning queue: follow-ups, lead responses, activities (later receivables, complaints,
birthdays) as one list in one order, with one shape for ``due --json`` and the overdue panel.

The order (issue #17): items past a hard deadline first (overdue lead responses; most overdue
first), then today's timed items in time order, then the rest by the call-next score (SPEC §4;
highest first), then what lies ahead (``--days``) by date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

TYPE_CHECKING = False  # typing costs ``tuicrm due`` ~8 ms to import; type checkers read it as True
if TYPE_CHECKING:
    from typing import Any

KINDS = ("follow-up", "lead", "activity", "receivable", "complaint", "birthday", "renewal")

# The order's groups, first to last.
PAST_HARD_DEADLINE = 0
TIMED_TODAY = 1
REST = 2
AHEAD = 3


_FIELDS = (
    "kind",
    "customer",
    "title",
    "why",
    "id",
    "code",
    "customer_id",
    "at",
    "on",
    "overdue",
    "due_today",
    "hard_deadline",
    "score",
    "overdue_by",
    "source",
)
_DEFAULTS: dict[str, Any] = {
    "id": None,
    "code": None,
    "customer_id": None,
    "at": None,
    "on": None,
    "overdue": False,
    "due_today": False,
    "hard_deadline": False,
    "score": 0.0,
    "overdue_by": None,
    "source": None,
}


class QueueItem:
    """One item of the queue. A slotted class, not a dataclass: ``tuicrm due`` builds it on the
    lean path, where creating dataclasses costs more than the query.

    kind: one of KINDS; customer: the customer's (or the lead's company's) name; title: what to
    do; why: the reason it is here and in this place; id: the row's id in its own table (the
    customer's for a follow-up); code: C000001, L000001…; at: a timed item's moment (aware UTC);
    on: a dated item's day; hard_deadline: missing it is a broken promise (lead response,
    complaint); score: the call-next score (higher first) for the rest; overdue_by: ISO 8601
    duration past the deadline ("P3D", "PT26H"), else None; source: the row it came from."""

    __slots__ = _FIELDS
    kind: str
    customer: str
    title: str
    why: str
    id: int | None
    code: str | None
    customer_id: int | None
    at: datetime | None
    on: date | None
    overdue: bool
    due_today: bool
    hard_deadline: bool
    score: float
    overdue_by: str | None
    source: Any

    def __init__(self, **values: Any) -> None:
        for key in _FIELDS:
            if key in values:
                object.__setattr__(self, key, values.pop(key))
            elif key in _DEFAULTS:
                object.__setattr__(self, key, _DEFAULTS[key])
            else:
                raise TypeError(f"QueueItem needs {key!r}")
        if values:
            raise TypeError(f"QueueItem has no field {next(iter(values))!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("QueueItem is read-only")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueueItem):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in _FIELDS if k != "source")

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"QueueItem({self.kind}, {self.code}, {self.customer!r})"

    @property
    def now(self) -> bool:
        """Overdue or due today: what ``due --count`` counts."""
        return self.overdue or self.due_today

    def group(self) -> int:
        if self.hard_deadline and self.overdue:
            return PAST_HARD_DEADLINE
        if self.at is not None and self.due_today:
            return TIMED_TODAY
        if self.now:
            return REST
        return AHEAD


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def sort_key(item: QueueItem) -> tuple[Any, ...]:
    group = item.group()
    if group in (PAST_HARD_DEADLINE, TIMED_TODAY):
        assert item.at is not None or group == PAST_HARD_DEADLINE
        moment = _utc(item.at).timestamp() if item.at is not None else 0.0
        return (group, moment, 0.0, item.customer)
    if group == REST:
        # equal scores: the longer overdue first (as SPEC §4's sort_key), then by name
        since = item.on.toordinal() if item.on is not None else float("inf")
        return (group, -item.score, since, item.customer)
    day = item.on if item.on is not None else (item.at.date() if item.at is not None else date.max)
    moment = _utc(item.at).timestamp() if item.at is not None else 0.0
    return (group, day.toordinal(), moment, item.customer)


def order(items: Iterable[QueueItem]) -> list[QueueItem]:
    """The queue in its order (stable: equal keys keep the order they came in)."""
    return sorted(items, key=sort_key)


def duration_past(at: datetime, now: datetime) -> str | None:
    """How long ago a deadline ``at`` passed, as an ISO 8601 duration in whole hours
    ("PT26H"; "PT0H" within the first hour), or None when it has not passed."""
    seconds = (_utc(now) - _utc(at)).total_seconds()
    if seconds <= 0:
        return None
    return f"PT{int(seconds // 3600)}H"


def days_past(on: date, today: date) -> str | None:
    """How many days ago ``on`` passed ("P3D"), or None when it is today or ahead."""
    days = (today - on).days
    return f"P{days}D" if days > 0 else None


def item_json(item: QueueItem) -> dict[str, Any]:
    """The ``due --json`` item shape common to every kind (docs/cli.md)."""
    data: dict[str, Any] = {
        "kind": item.kind,
        "id": item.id,
        "code": item.code,
        "customer": item.customer,
        "title": item.title,
        "overdue_by": item.overdue_by,
        "why": item.why,
    }
    if item.at is not None:
        data["at"] = _utc(item.at).isoformat()
    if item.on is not None:
        data["on"] = item.on.isoformat()
    return data


def from_mapping(data: Mapping[str, Any], now: datetime, today: date, day_end: datetime) -> QueueItem:
    """A queue item from the dict shape another module returns (the activities' ``queue_items``):
    ``kind``, ``at`` or ``on``, ``customer``, ``title``, ``overdue_by``, ``why`` (+ ``id``,
    ``code``, and optionally ``customer_id``, ``score``, ``hard_deadline``). ``day_end`` is the
    end of the rep's today (aware): a timed item before it and not past is due today."""
    at = data.get("at")
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    on = data.get("on")
    if isinstance(on, str):
        on = date.fromisoformat(on)
    overdue_by = data.get("overdue_by")
    if at is not None and not isinstance(overdue_by, str):
        overdue_by = duration_past(at, now)  # minutes (the agenda's shape) → the queue's ISO duration
    customer = data.get("customer")
    customer_id = data.get("customer_id")
    if isinstance(customer, Mapping):  # the agenda gives {id, code, name}
        customer_id = customer_id or customer.get("id")
        customer = customer.get("name")
    if at is not None:
        overdue = _utc(at) < _utc(now)
    else:
        overdue = on is not None and on < today
    if at is not None:
        due_today = not overdue and _utc(at) < _utc(day_end)
    else:
        due_today = on == today
    return QueueItem(
        kind=str(data["kind"]),
        customer=str(customer or ""),
        title=str(data.get("title") or ""),
        why=str(data.get("why") or ""),
        id=data.get("id"),
        code=data.get("code"),
        customer_id=customer_id,
        at=at,
        on=on,
        overdue=overdue,
        due_today=due_today,
        hard_deadline=bool(data.get("hard_deadline", False)),
        score=float(data.get("score") or 0.0),
        overdue_by=overdue_by,
        source=data,
    )
