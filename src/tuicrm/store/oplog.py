"""The operation log behind undo: written in the same transaction as each change.

A ``Store.write`` session listens to its own flushes and records, for every row
it inserts, updates or deletes, the row as it was before. ``undo_last`` puts
those rows back, newest operation first. Bulk writes that bypass the ORM call
``record`` themselves.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, SQLModel, col, select

from tuicrm.clock import utcnow
from tuicrm.models import UNDOABLE, Operation, OperationRow
from tuicrm.store.lean.undolog import LABEL_MAX, LogEntry, UndoLog, encode

# Children before parents, so deleting inserted rows never trips a foreign key.
DELETE_ORDER = (
    "savedfilter",
    "complaintstep",
    "complaint",
    "payment",
    "receivable",
    "lead",
    "activity",  # refers to the follow-up a done activity logged
    "statuschange",
    "stagechange",
    "followup",
    "snooze",
    "tierassessment",
    "opportunity",
    "contact",
    "customer",
)

T = TypeVar("T")

__all__ = [
    "LABEL_MAX",
    "LogEntry",
    "UndoLog",
    "encode",
    "lean",
    "undo_log",
    "record",
    "record_many",
    "attach",
    "undo",
]


def table_of(model: type[SQLModel]) -> sa.Table:
    """A table model's Core table (SQLModel sets ``__table__`` at runtime; its type does not say so)."""
    table = model.__dict__.get("__table__")
    assert isinstance(table, sa.Table), model
    return table


def _decode(value: object) -> object:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "dec" in value:
            return Decimal(value["dec"])
    return value


def undo_log(session: Session) -> UndoLog:
    """The undo log of a write session's transaction (on its DB-API connection): the ORM flushes,
    bulk imports and the lean writes run in it (``tuicrm.store.lean``) all record through it."""
    log = session.info.get("undo_log")
    if not isinstance(log, UndoLog):
        conn = cast(sqlite3.Connection, session.connection().connection.dbapi_connection)
        log = UndoLog(conn, str(session.info.get("operation_label") or "change"))
        session.info["undo_log"] = log
    return log


def lean(session: Session, write: Callable[[sqlite3.Connection, UndoLog], T]) -> T:
    """Run one of ``tuicrm.store.lean.writes`` in this write session's transaction: pending ORM
    changes flushed first, the session's rows expired after (they reload as the write left them)."""
    session.flush()
    result = write(undo_log(session).conn, undo_log(session))
    session.expire_all()
    return result


def _operation_id(session: Session) -> int:
    op_id = undo_log(session).operation_id()
    session.info["operation_id"] = op_id
    return op_id


def insert_runs(log: Sequence[LogEntry]) -> list[LogEntry]:
    """The same log with each run of consecutive inserted ids of a table as one ``insert_range``
    entry (``before`` holds the run's last id): a large import logs a handful of rows, not one
    per row it wrote."""
    out: list[LogEntry] = []
    run: tuple[str, int, int] | None = None  # (table, first id, last id)
    for entry in log:
        table, rid, action, _before = entry
        if action == "insert":
            if run is not None and run[0] == table and rid == run[2] + 1:
                run = (table, run[1], rid)
                continue
            if run is not None:
                out.append(_run_entry(run))
            run = (table, rid, rid)
            continue
        if run is not None:
            out.append(_run_entry(run))
            run = None
        out.append(entry)
    if run is not None:
        out.append(_run_entry(run))
    return out


def _run_entry(run: tuple[str, int, int]) -> LogEntry:
    table, first, last = run
    return (table, first, "insert", None) if first == last else (table, first, "insert_range", {"last": last})


def _rows_of(r: OperationRow) -> tuple[int, int]:
    """(first id, last id) of the rows an insert or insert_range entry stands for."""
    if r.action == "insert_range":
        return r.row_id, int(json.loads(r.before or "{}")["last"])
    return r.row_id, r.row_id


def record(
    session: Session, table_name: str, row_id: int, action: str, before: dict[str, Any] | None = None
) -> None:
    record_many(session, [(table_name, row_id, action, before)])


def record_many(session: Session, rows: Sequence[LogEntry]) -> None:
    if not rows:
        return
    _operation_id(session)
    undo_log(session).record(rows)


def _row_before(obj: SQLModel) -> dict[str, Any]:
    from sqlalchemy.orm.base import NO_VALUE

    state = sa.inspect(obj)
    committed = state.committed_state  # the values before this flush, None ones too
    before: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if committed.get(attr.key, NO_VALUE) is not NO_VALUE:
            # history.deleted is empty when the old value was None: it would give the new value
            before[attr.key] = committed[attr.key]
        elif hist.deleted:
            before[attr.key] = hist.deleted[0]
        elif hist.unchanged:
            before[attr.key] = hist.unchanged[0]
        else:
            before[attr.key] = getattr(obj, attr.key)
    return before


def attach(session: Session) -> None:
    """Make this session log every ORM change it flushes."""

    @event.listens_for(session, "after_flush")
    def _after_flush(sess: Session, _ctx: object) -> None:
        rows: list[LogEntry] = []
        for obj in sess.new:
            name = obj.__class__.__tablename__
            if name in UNDOABLE:
                rows.append((name, obj.id, "insert", None))
        for obj in sess.dirty:
            name = obj.__class__.__tablename__
            if name in UNDOABLE and sess.is_modified(obj, include_collections=False):
                rows.append((name, obj.id, "update", _row_before(obj)))
        for obj in sess.deleted:
            name = obj.__class__.__tablename__
            if name in UNDOABLE:
                rows.append((name, obj.id, "delete", _row_before(obj)))
        record_many(sess, rows)


def last_operation(session: Session) -> Operation | None:
    return session.exec(
        select(Operation)
        .where(col(Operation.undone_at).is_(None))
        .order_by(col(Operation.id).desc())
        .limit(1)
    ).first()


def describe(session: Session, op: Operation) -> list[str]:
    """Plain sentences saying what undoing ``op`` will do, in the rep's words
    (``tuicrm.store.undo_words``: "move 'ERP 实施' back from lost to negotiation")."""
    from tuicrm.store.undo_words import describe as in_words

    return in_words(session, op)


def undo(session: Session, op: Operation) -> None:
    """Put back every row ``op`` touched, newest change first; mark it undone."""
    conn = session.connection()
    # Rows come back in an order the foreign keys may dislike midway (a follow-up removed before
    # the activity that points at it is put back; a converted lead's customer deleted before its
    # links are put back): checked at commit instead.
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    rows = list(
        session.exec(
            select(OperationRow)
            .where(OperationRow.operation_id == op.id)
            .order_by(col(OperationRow.id).desc())
        )
    )
    inserted = [r for r in rows if r.action in ("insert", "insert_range")]
    for name in DELETE_ORDER:
        table = table_of(UNDOABLE[name])
        ids = [r.row_id for r in inserted if r.table_name == name and r.action == "insert"]
        for chunk in range(0, len(ids), 500):
            conn.execute(sa.delete(table).where(table.c.id.in_(ids[chunk : chunk + 500])))
        for r in inserted:
            if r.table_name == name and r.action == "insert_range":
                first, last = _rows_of(r)
                conn.execute(sa.delete(table).where(table.c.id.between(first, last)))
    for r in rows:
        if r.action in ("insert", "insert_range"):
            continue
        table = table_of(UNDOABLE[r.table_name])
        values = {k: _decode(v) for k, v in json.loads(r.before or "{}").items()}
        if r.action == "update":
            conn.execute(sa.update(table).where(table.c.id == r.row_id).values(**values))
        else:
            conn.execute(sa.insert(table).values(**values))
    conn.execute(
        sa.update(table_of(Operation)).where(table_of(Operation).c.id == op.id).values(undone_at=utcnow())
    )
    session.expire_all()
