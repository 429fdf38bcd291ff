"""Complaints: the list (open first, the nearest deadline first), one complaint with its steps,
the open ones of a customer, and the complaints in the morning queue."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from tuicrm.query.dialect import id_list, timestamp_param
from tuicrm.query.values import Frozen, as_utc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from tuicrm.domain.queue import QueueItem

OPEN = ("open", "in-progress")

_COLUMNS = (
    "k.id, k.code, k.customer_id, c.code, c.name, k.contact_id, ct.name, k.opportunity_id, k.opened_at, "
    "k.channel, k.content, k.cause, k.severity, k.deadline_at, k.status, k.result, k.resolved_at, "
    "k.satisfaction, k.owner, k.version"
)
_FROM = (
    "FROM complaint k JOIN customer c ON c.id = k.customer_id "
    "LEFT JOIN contact ct ON ct.id = k.contact_id WHERE k.archived_at IS NULL"
)


class ComplaintRow(Frozen):
    __slots__ = (
        "id",
        "code",
        "customer_id",
        "customer_code",
        "customer_name",
        "contact_id",
        "contact_name",
        "opportunity_id",
        "opened_at",
        "channel",
        "content",
        "cause",
        "severity",
        "deadline_at",
        "status",
        "result",
        "resolved_at",
        "satisfaction",
        "owner",
        "version",
    )

    id: int
    code: str
    customer_id: int
    customer_code: str
    customer_name: str
    contact_id: int | None
    contact_name: str | None
    opportunity_id: int | None
    opened_at: datetime
    channel: str | None
    content: str
    cause: str | None
    severity: str
    deadline_at: datetime | None
    status: str
    result: str | None
    resolved_at: datetime | None
    satisfaction: int | None
    owner: str | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def overdue(self, now: datetime) -> bool:
        return self.is_open and self.deadline_at is not None and self.deadline_at <= now


class StepRow(Frozen):
    __slots__ = ("id", "at", "text", "by_user")

    id: int
    at: datetime
    text: str
    by_user: str | None


def _row(r: Iterable[object]) -> ComplaintRow:
    values = list(r)
    for i in (8, 13, 16):
        values[i] = as_utc(values[i])
    return ComplaintRow(*values)


def complaint_list(
    conn: sqlite3.Connection,
    *,
    open_only: bool = False,
    overdue_at: datetime | None = None,
    customer_id: int | None = None,
) -> list[ComplaintRow]:
    """Complaints, the open ones first by deadline, then the rest newest first. ``open_only``:
    only open and in-progress ones; ``overdue_at``: only the open ones past their deadline then."""
    where = [_FROM]
    params: list[object] = []
    if open_only or overdue_at is not None:
        where.append("k.status IN ('open', 'in-progress')")
    if overdue_at is not None:
        where.append("k.deadline_at <= ?")
        params.append(timestamp_param(overdue_at))
    if customer_id is not None:
        where.append("k.customer_id = ?")
        params.append(customer_id)
    rows = conn.execute(
        f"SELECT {_COLUMNS} {' AND '.join(where)} "
        "ORDER BY k.status NOT IN ('open', 'in-progress'), "
        "CASE WHEN k.status IN ('open', 'in-progress') THEN k.deadline_at END, k.opened_at DESC, k.code",
        params,
    ).fetchall()
    return [_row(r) for r in rows]


def complaint(conn: sqlite3.Connection, complaint_id: int) -> ComplaintRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} AND k.id = ?", (complaint_id,)).fetchone()
    return None if row is None else _row(row)


def complaint_id(conn: sqlite3.Connection, ref: str) -> int | None:
    """The id a rep means: a code (K000001, case-insensitive) or a number (the id)."""
    from tuicrm.query.customers import is_row_id

    text = ref.strip()
    if is_row_id(text):
        found = conn.execute("SELECT id FROM complaint WHERE id = ? AND archived_at IS NULL", (int(text),))
    else:
        found = conn.execute(
            "SELECT id FROM complaint WHERE upper(code) = upper(?) AND archived_at IS NULL", (text,)
        )
    row = found.fetchone()
    return None if row is None else int(row[0])


def steps(conn: sqlite3.Connection, complaint_id: int) -> list[StepRow]:
    rows = conn.execute(
        "SELECT id, at, text, by_user FROM complaintstep WHERE complaint_id = ? ORDER BY at, id",
        (complaint_id,),
    ).fetchall()
    return [StepRow(int(i), as_utc(at), str(text), by) for i, at, text, by in rows]


def open_for_customer(conn: sqlite3.Connection, customer_id: int) -> list[ComplaintRow]:
    """A customer's open complaints, the nearest deadline first (the customer card)."""
    return complaint_list(conn, open_only=True, customer_id=customer_id)


def customers_with_open(conn: sqlite3.Connection, customer_ids: Iterable[int] | None = None) -> set[int]:
    """Which customers (of ``customer_ids``, or all) have an open complaint: the list's flag."""
    sql = "SELECT DISTINCT customer_id FROM complaint WHERE status IN ('open', 'in-progress') AND archived_at IS NULL"
    if customer_ids is not None:
        sql += f" AND customer_id IN ({id_list(customer_ids)})"
    return {int(r[0]) for r in conn.execute(sql)}


def first_open_by_customer(
    conn: sqlite3.Connection, customer_ids: Iterable[int]
) -> dict[int, tuple[str, str, datetime | None]]:
    """Each of ``customer_ids`` with an open complaint -> (code, severity, deadline) of the one
    with the nearest deadline: the call-next explanation's flag."""
    rows = conn.execute(
        "SELECT customer_id, code, severity, deadline_at FROM complaint "
        "WHERE status IN ('open', 'in-progress') AND archived_at IS NULL "
        f"AND customer_id IN ({id_list(customer_ids)}) "
        "ORDER BY customer_id, deadline_at IS NULL, deadline_at, code"
    ).fetchall()
    first: dict[int, tuple[str, str, datetime | None]] = {}
    for customer_id, code, severity, deadline_at in rows:
        first.setdefault(int(customer_id), (str(code), str(severity), as_utc(deadline_at)))
    return first


def queue_counts(
    conn: sqlite3.Connection, now: datetime, day_end: datetime, near_hours: int
) -> tuple[int, int]:
    """(overdue, due today) among the queue's complaints (``queue_items``'s rows), counted on
    the partial index ``ix_complaint_queue``."""
    horizon = max(now + timedelta(hours=near_hours), day_end)
    row = conn.execute(
        "SELECT sum(deadline_at <= ?), sum(deadline_at > ?) FROM complaint INDEXED BY ix_complaint_queue "
        "WHERE status IN ('open', 'in-progress') AND archived_at IS NULL AND deadline_at IS NOT NULL "
        "AND deadline_at < ? AND customer_id NOT IN (SELECT id FROM customer WHERE archived_at IS NOT NULL)",
        (timestamp_param(now), timestamp_param(now), timestamp_param(horizon)),
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def queue_items(
    conn: sqlite3.Connection, now: datetime, day_end: datetime, near_hours: int, limit: int | None = None
) -> list[QueueItem]:
    """Open complaints whose deadline passed or comes within ``near_hours``: a hard deadline
    (past it: the queue's top group); one near its deadline counts as due today."""
    from tuicrm.domain.complaints import severity_label
    from tuicrm.domain.leads import time_left_label
    from tuicrm.domain.queue import QueueItem, duration_past
    from tuicrm.i18n import _

    horizon = max(now + timedelta(hours=near_hours), day_end)
    tail = "" if limit is None else f" LIMIT {int(limit)}"
    rows = conn.execute(
        "SELECT k.id, k.code, k.customer_id, c.name, k.content, k.severity, k.deadline_at "
        "FROM complaint k INDEXED BY ix_complaint_queue JOIN customer c ON c.id = k.customer_id "
        "WHERE k.status IN ('open', 'in-progress') AND k.archived_at IS NULL AND k.deadline_at IS NOT NULL "
        f"AND k.deadline_at < ? AND c.archived_at IS NULL ORDER BY k.deadline_at, k.code{tail}",
        (timestamp_param(horizon),),
    ).fetchall()
    items: list[QueueItem] = []
    for row_id, code, customer_id, name, content, severity, deadline_at in rows:
        at = as_utc(deadline_at)
        assert at is not None
        overdue = at <= now
        items.append(
            QueueItem(
                kind="complaint",
                customer=str(name),
                title=str(content),
                why=_("{severity} complaint: handle by its deadline — {left}").format(
                    severity=severity_label(str(severity)), left=time_left_label(at, now)
                ),
                id=int(row_id),
                code=str(code),
                customer_id=int(customer_id),
                at=at,
                overdue=overdue,
                due_today=not overdue,
                hard_deadline=True,
                overdue_by=duration_past(at, now),
            )
        )
    return items


def report_rows(conn: sqlite3.Connection, start: date, end: date) -> list[ComplaintRow]:
    """Complaints opened or resolved from ``start`` to ``end`` (dates, inclusive; UTC days)."""
    lo = timestamp_param(datetime.combine(start, datetime.min.time()))
    hi = timestamp_param(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} AND ((k.opened_at >= ? AND k.opened_at < ?) "
        "OR (k.resolved_at >= ? AND k.resolved_at < ?)) ORDER BY k.opened_at, k.code",
        (lo, hi, lo, hi),
    ).fetchall()
    return [_row(r) for r in rows]
