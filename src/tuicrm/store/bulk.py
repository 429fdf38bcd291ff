"""Bulk writes for imports: many rows through the driver's ``executemany``, with the table's
secondary indexes and the customer search trigger set aside while they go in, and the undo log
of it all in a few rows.

Values are converted exactly as the model's column types would (SQLAlchemy's SQLite
date/datetime formats, Money as integer cents); going through Core's per-row type processing
would triple the time of a large import. Everything runs inside the caller's transaction: a
failure rolls the rows, the indexes and the trigger back together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tuicrm import clock
from tuicrm.store import oplog
from tuicrm.store.lean.checks import masked

# Below this many rows, dropping and re-creating indexes (or the search trigger) costs more than it saves.
BULK_THRESHOLD = 2000
_CHUNK = 5000  # rows per executemany: their converted values are held until it returns

Row = dict[str, Any]
LogEntry = tuple[str, int, str, "dict[str, Any] | None"]
Convert = Callable[[Any], Any]


def _dt_text(v: datetime) -> str:
    if v.tzinfo is not None:
        v = v.astimezone(UTC).replace(tzinfo=None)
    return (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
        f".{v.microsecond:06d}"
    )


def _money_cents(v: Any) -> int:
    return int((Decimal(v) * 100).to_integral_value())


def _datetime_converter() -> Convert:
    cache: dict[datetime, str] = {}

    def as_text(v: Any) -> Any:
        if not isinstance(v, datetime):
            return v
        text = cache.get(v)
        if text is None:
            text = cache[v] = _dt_text(v)
        return text

    return as_text


def _date_text(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _bool_int(v: Any) -> int:
    return int(bool(v))


# What every ID-card or bank-card number is within: a digit and 14 more digits, spaces or dashes.
_DIGIT_RUN = re.compile(r"\d[\d -]{14}")


def _converters(table: sa.Table, columns: list[str]) -> list[Convert | None]:
    from tuicrm.models import Money

    out: list[Convert | None] = []
    for name in columns:
        t: Any = table.c[name].type
        if isinstance(t, sa.TypeDecorator) and not isinstance(t, Money):
            t = t.impl  # SQLModel's UTCDateTime stores through DateTime (aware values, written as UTC)
        if isinstance(t, Money):
            out.append(_money_cents)
        elif isinstance(t, sa.DateTime):
            out.append(_datetime_converter())
        elif isinstance(t, sa.Date):
            out.append(_date_text)
        elif isinstance(t, sa.Boolean):
            out.append(_bool_int)
        elif isinstance(t, sa.String) and name not in ("code", "search_text"):
            out.append(masked)  # ID-card and bank-card numbers are never stored
        else:
            out.append(None)
    return out


def bulk_insert(
    conn: sa.Connection,
    table: sa.Table,
    columns: list[str],
    rows: list[Row],
    computed: dict[str, Callable[[Row], Any]] | None = None,
) -> None:
    """Insert ``rows`` (dicts) into ``table``: the given ``columns`` that any row has a value for,
    and the ``computed`` ones, each made from its row as the row goes in (never held for all)."""
    # A column no row was given a value for is left out: it is NULL either way (no column has
    # a default), and a file gives a customer a dozen of its thirty-odd fields.
    computed = computed or {}
    given: set[str] = set().union(*rows)
    columns = [c for c in columns if c in given and c not in computed] + list(computed)
    plain = len(columns) - len(computed)
    makers = list(computed.values())
    convert = [(i, f) for i, f in enumerate(_converters(table, columns)) if f is not None]
    # Texts are masked only in a row where a text of 15 characters or more has a run of 15
    # digits, spaces and dashes: one search a row instead of a call a cell (a million cells).
    texts = [i for i, f in convert if f is masked]
    convert = [(i, f) for i, f in convert if f is not masked]
    sql = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({", ".join("?" for _ in columns)})'
    pick = itemgetter(*columns[:plain])
    for start in range(0, len(rows), _CHUNK):
        params = []
        for r in rows[start : start + _CHUNK]:
            try:
                values = list(pick(r)) if plain > 1 else [pick(r)]
            except KeyError:
                values = [r.get(c) for c in columns[:plain]]
            if makers:
                values += [make(r) for make in makers]
            if texts and _DIGIT_RUN.search(
                "\x1f".join([v for i in texts if isinstance(v := values[i], str) and len(v) >= 15])
            ):
                for i in texts:
                    values[i] = masked(values[i])
            for i, f in convert:
                v = values[i]
                if v is not None:
                    values[i] = f(v)
            params.append(tuple(values))
        conn.exec_driver_sql(sql, params)


@contextmanager
def indexes_rebuilt(conn: sa.Connection, table: str, count: int) -> Iterator[None]:
    """Many rows into a table no larger than them: drop its secondary indexes, insert, create
    them again. Building an index from a sort is several times quicker than growing it one
    random insert at a time (a customer table has a dozen). Plain DDL inside the caller's
    transaction: a failure rolls the indexes back with everything else."""
    indexes: list[tuple[str, str]] = []
    if count >= BULK_THRESHOLD:
        existing = conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{table}"').scalar() or 0
        if existing <= count:  # else re-indexing the rows already there would cost more than it saves
            indexes = [
                (name, sql)
                for name, sql in conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                    (table,),
                )
            ]
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield  # an exception here leaves the indexes dropped: the transaction's rollback restores them
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)


FillSearch = Callable[[int, int], None]


@contextmanager
def search_index_paused(conn: sa.Connection, count: int) -> Iterator[FillSearch | None]:
    """Large inserts of customers: fill the customer search index (FTS5, kept by an insert trigger)
    in one statement after the rows are in, instead of row by row — same result, a quarter of
    the time. Yields ``fill(first_id, last_id)`` for the inserted range, or None when the
    trigger stays (few rows, or no search index). The trigger is dropped and re-created inside
    the caller's transaction, so a failure rolls it back with everything else."""
    sql: str | None = None
    if count >= BULK_THRESHOLD:
        row = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type='trigger' AND name='customer_fts_ai' "
            "AND tbl_name='customer'"
        ).first()
        has_table = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name='customer_fts'").first()
        if row and has_table and "customer_fts" in (row[0] or ""):
            sql = str(row[0])
    if sql is None:
        yield None
        return

    def fill(first_id: int, last_id: int) -> None:
        conn.exec_driver_sql(
            "INSERT INTO customer_fts(rowid, search_text) SELECT id, search_text FROM customer "
            "WHERE id BETWEEN ? AND ? AND archived_at IS NULL",
            (first_id, last_id),
        )

    conn.exec_driver_sql("DROP TRIGGER customer_fts_ai")
    yield fill
    conn.exec_driver_sql(sql)


def record_log(session: Session, log: list[LogEntry]) -> None:
    """The undo log of a bulk write, in the operation of ``session``'s transaction. Runs of
    inserted ids are one entry each (``oplog.insert_runs``); the first entry goes through
    ``oplog.record_many`` (which opens the Operation), the rest in bulk in the same format."""
    from sqlmodel import SQLModel

    import tuicrm.models  # noqa: F401  (defines the tables)

    log = oplog.insert_runs(log)
    if not log:
        return
    oplog.record_many(session, log[:1])
    op_id = session.info.get("operation_id")
    rest = log[1:]
    if op_id is None or not rest:
        oplog.record_many(session, rest)
        return
    now = clock.utcnow()
    rows = [
        {
            "operation_id": op_id,
            "table_name": t,
            "row_id": rid,
            "action": action,
            "before": None if before is None else json.dumps({k: oplog.encode(v) for k, v in before.items()}),
            "created_at": now,
            "updated_at": now,
        }
        for t, rid, action, before in rest
    ]
    bulk_insert(
        session.connection(),
        SQLModel.metadata.tables["operationrow"],
        ["operation_id", "table_name", "row_id", "action", "before", "created_at", "updated_at"],
        rows,
    )
