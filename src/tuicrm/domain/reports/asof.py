"""Rows as they stood at an instant, for reports of finished periods (a week's report gives the
same figures whenever it is run).

Every tuicrm write keeps the row as it was before it (the undo log's ``operationrow.before``,
JSON with dates, datetimes and Decimals tagged). The state of a row at instant T is the
``before`` of the first change made at or after T, or the row as it is now when none was.
Here: decoding those ``before`` values into the form SQLite stores (so they replace raw
columns one for one), and the pending follow-up at T from follow-up and snooze history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def stored_form(value: object) -> object:
    """A tagged ``before`` value as its column stores it: date text, naive-UTC timestamp text
    (``YYYY-MM-DD HH:MM:SS.ffffff``), money as integer cents."""
    if isinstance(value, dict) and len(value) == 1:
        tag, raw = next(iter(value.items()))
        if tag == "d":
            return str(raw)
        if tag == "dt":
            at = datetime.fromisoformat(str(raw))
            if at.tzinfo is not None:
                at = at.astimezone(UTC).replace(tzinfo=None)
            return at.strftime("%Y-%m-%d %H:%M:%S.%f")
        if tag == "dec":
            return int((Decimal(str(raw)) * 100).to_integral_value())
    if isinstance(value, bool):
        return int(value)
    return value


def decode_before(text: str | None, wanted: tuple[str, ...]) -> dict[str, object]:
    """The ``wanted`` columns of an ``operationrow.before`` (those it holds), as stored values."""
    if not text:
        return {}
    data: dict[str, Any] = json.loads(text)
    return {k: stored_form(data[k]) for k in wanted if k in data}


@dataclass(frozen=True)
class Pending:
    """A customer's pending follow-up at an instant: its date and the action planned."""

    due: date | None
    action: str | None


def pending_at(
    follow_up: tuple[str, date | None, str | None] | None,
    snooze: tuple[str, date] | None,
    entered: Pending,
) -> Pending:
    """The pending follow-up at T from the latest follow-up ``(at, next_on, next_action)`` and the
    latest snooze ``(at, to_on)`` logged before T (timestamps as stored text, comparable), or,
    with neither, what the customer held at T (``entered``: the date it was entered with).

    A snooze moves the date and keeps the action; a follow-up sets both.
    """
    if snooze is not None and (follow_up is None or snooze[0] >= follow_up[0]):
        action = follow_up[2] if follow_up is not None else entered.action
        return Pending(snooze[1], action)
    if follow_up is not None:
        return Pending(follow_up[1], follow_up[2])
    return entered
