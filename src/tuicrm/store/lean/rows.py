"""Rows as the ORM sees them, on a DB-API connection: typed reads, and inserts and updates that
write their undo record the way ``oplog.attach`` does after an ORM flush (an insert logs its id;
an update that changes something logs the whole row as it was; ``updated_at`` moves with it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tuicrm.store.lean.clock import utcnow
from tuicrm.store.lean.undolog import UndoLog, stored

_CENT = Decimal("0.01")


def _day(value: Any) -> date:
    return date.fromisoformat(value)


def _time(value: Any) -> datetime:
    # SQLModel's UTCDateTime: stored as naive UTC, handed back aware.
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _money(value: Any) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(_CENT)


# Declared column types → the Python type SQLAlchemy hands back (BIGINT is money: tuicrm.models.Money).
_READERS: dict[str, Callable[[Any], Any]] = {
    "DATE": _day,
    "DATETIME": _time,
    "BIGINT": _money,
    "BOOLEAN": bool,
}
_COLUMNS: dict[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]] = {}


def columns(conn: sqlite3.Connection, table: str) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """(name, reader) of each column of ``table``, in the table's order (read once per process)."""
    known = _COLUMNS.get(table)
    if known is None:
        info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        known = tuple((str(r[1]), _READERS.get(str(r[2]).upper())) for r in info)
        if known:
            _COLUMNS[table] = known
    return known


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
    """The row with id ``row_id`` as Python values (dates, datetimes, Decimals, booleans), or None."""
    cols = columns(conn, table)
    row = conn.execute(
        f"SELECT {', '.join(quoted(n) for n, _r in cols)} FROM {quoted(table)} WHERE id = ?", (row_id,)
    ).fetchone()
    if row is None:
        return None
    return {n: (v if v is None or r is None else r(v)) for (n, r), v in zip(cols, row, strict=True)}


def insert(conn: sqlite3.Connection, log: UndoLog, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row (``created_at``/``updated_at`` stamped now unless given); log it; its id."""
    now = utcnow()
    row = {"created_at": now, "updated_at": now, **values}
    cur = conn.execute(
        f"INSERT INTO {quoted(table)} ({', '.join(quoted(k) for k in row)}) "
        f"VALUES ({', '.join('?' for _k in row)})",
        [stored(v) for v in row.values()],
    )
    assert cur.lastrowid is not None
    row_id = int(cur.lastrowid)
    log.record([(table, row_id, "insert", None)])
    return row_id


def update(
    conn: sqlite3.Connection, log: UndoLog, table: str, before: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Apply the ``changes`` that differ from ``before`` (the row as ``read`` gave it); when any
    does, stamp ``updated_at`` and log the row as it was. The row as it is now."""
    diff = {k: v for k, v in changes.items() if before.get(k) != v}
    if not diff:
        return dict(before)
    diff["updated_at"] = utcnow()
    conn.execute(
        f"UPDATE {quoted(table)} SET {', '.join(quoted(k) + ' = ?' for k in diff)} WHERE id = ?",
        [*(stored(v) for v in diff.values()), before["id"]],
    )
    log.record([(table, int(before["id"]), "update", dict(before))])
    return {**before, **diff}
