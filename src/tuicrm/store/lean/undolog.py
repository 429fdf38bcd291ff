"""The undo log's records, written with plain SQL: one encoding for every writer.

``tuicrm.store.oplog`` (the ORM session's flush listener, bulk imports) and the lean writes both
write through ``UndoLog``, so an ``operationrow`` reads the same whoever wrote it, and
``oplog.undo()`` reverses them alike. Values are stored the way SQLAlchemy's SQLite types store
them (``stored``); before-states are JSON with dates, datetimes and Decimals tagged (``encode``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tuicrm.domain.privacy import mask_sensitive, sanitize_line
from tuicrm.store.lean.clock import utcnow

LABEL_MAX = 200

LogEntry = tuple[str, int, str, dict[str, Any] | None]  # (table, row id, action, row before)


def encode(value: object) -> object:
    """A value of a before-state as JSON-ready data (dates, datetimes and Decimals tagged)."""
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def before_json(before: Mapping[str, Any] | None) -> str | None:
    """The ``before`` column of an operation row."""
    return None if before is None else json.dumps({k: encode(v) for k, v in before.items()})


def stamp(value: datetime) -> str:
    """A timestamp as SQLAlchemy's SQLite ``DATETIME`` stores it (UTC, naive, microseconds)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def stored(value: object) -> object:
    """A Python value as its column stores it: dates ISO, datetimes ``stamp``, Decimals (money)
    as integer cents, booleans 0/1."""
    if isinstance(value, datetime):
        return stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int((value * 100).to_integral_value())
    if isinstance(value, bool):
        return int(value)
    return value


def history_mark(conn: sqlite3.Connection) -> int:
    """The newest status-history row before this transaction's writes (see ``sign_history``)."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM statuschange").fetchone()[0])


def sign_history(conn: sqlite3.Connection, mark: int, user: str) -> None:
    """Put the rep's name and tuicrm's clock (``$TUICRM_NOW`` when pinned) on the status changes
    that the trigger of migration 0004 recorded during this transaction: it knows neither."""
    now = stamp(utcnow())
    conn.execute(
        "UPDATE statuschange SET by_user = ?, at = ?, created_at = ?, updated_at = ? "
        "WHERE by_user IS NULL AND id > ?",
        (user, now, now, now, mark),
    )


def operation_label(label: object) -> str:
    # Labels often quote what the rep typed ("add customer <name>"): sanitised like any user text
    # (a lone surrogate from a badly encoded argv would otherwise fail the whole write), one line.
    return mask_sensitive(sanitize_line(str(label or "change")))[:LABEL_MAX] or "change"


class UndoLog:
    """The undo record of one write transaction on ``conn``: the ``operation`` row (made on the
    first record; or ``operation_id`` supplies it) and its ``operationrow`` rows."""

    def __init__(
        self, conn: sqlite3.Connection, label: str, operation_id: Callable[[], int] | None = None
    ) -> None:
        self.conn = conn
        self.label = label
        self._operation_id = operation_id
        self._id: int | None = None

    def operation_id(self) -> int:
        if self._id is None:
            if self._operation_id is not None:
                self._id = self._operation_id()
            else:
                now = stamp(utcnow())
                cur = self.conn.execute(
                    "INSERT INTO operation (label, at, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    (operation_label(self.label), now, now, now),
                )
                assert cur.lastrowid is not None
                self._id = int(cur.lastrowid)
        return self._id

    def record(self, rows: Sequence[LogEntry]) -> None:
        if not rows:
            return
        op_id = self.operation_id()
        now = stamp(utcnow())
        self.conn.executemany(
            "INSERT INTO operationrow (operation_id, table_name, row_id, action, before, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(op_id, t, rid, action, before_json(before), now, now) for t, rid, action, before in rows],
        )
