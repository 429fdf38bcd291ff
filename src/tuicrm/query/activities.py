"""Activities (issue #17): the agenda window, lists, one activity, the morning queue's items,
the week's planned-vs-done figures and the calendar export's rows.

Times are stored as naive UTC text; what comes out is local (``tuicrm.clock.to_local``), naive
to the minute for the agenda rules of ``tuicrm.domain.agenda``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from tuicrm.query.dialect import timestamp_param
from tuicrm.query.values import as_money, as_utc, local_day, local_naive, local_to_utc
from tuicrm.records import record

TYPE_CHECKING = False  # typing costs the CLI's start 3 ms (tuicrm.records)
if TYPE_CHECKING:
    from typing import Any

_COLUMNS = (
    "a.id, a.code, a.name, a.kind, a.status, a.planned_start, a.planned_end, a.actual_start, "
    "a.actual_end, a.place, a.goal, a.content, a.attendees, a.resources, a.budget, a.result, "
    "a.next_action, a.owner, a.creator, a.follow_up_id, a.contact_id, a.opportunity_id, a.version, "
    "c.id, c.code, c.name, ct.name, o.name"
)
_FROM = (
    "FROM activity a JOIN customer c ON c.id = a.customer_id "
    "LEFT JOIN contact ct ON ct.id = a.contact_id LEFT JOIN opportunity o ON o.id = a.opportunity_id"
)


def local(value: object) -> datetime | None:
    """A stored UTC timestamp as a naive local datetime (to the minute)."""
    utc = as_utc(value)
    if utc is None:
        return None
    return local_naive(utc).replace(second=0, microsecond=0)


def local_to_param(value: datetime) -> str:
    """A naive local datetime as the stored UTC text, for comparisons."""
    return timestamp_param(local_to_utc(value))


@record(frozen=True)
class ActivityRow:
    id: int
    code: str
    name: str
    kind: str
    status: str
    start: datetime  # local
    end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    place: str | None
    goal: str | None
    content: str | None
    attendees: str | None
    resources: str | None
    budget: Any  # Decimal | None
    result: str | None
    next_action: str | None
    owner: str | None
    creator: str | None
    follow_up_id: int | None
    contact_id: int | None
    opportunity_id: int | None
    version: int
    customer_id: int
    customer_code: str
    customer_name: str
    contact_name: str | None
    opportunity_name: str | None


def _row(r: tuple[Any, ...]) -> ActivityRow:
    start = local(r[5])
    assert start is not None
    return ActivityRow(
        int(r[0]),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        str(r[4]),
        start,
        local(r[6]),
        local(r[7]),
        local(r[8]),
        r[9],
        r[10],
        r[11],
        r[12],
        r[13],
        as_money(r[14]),
        r[15],
        r[16],
        r[17],
        r[18],
        r[19],
        r[20],
        r[21],
        int(r[22]),
        int(r[23]),
        str(r[24]),
        str(r[25]),
        r[26],
        r[27],
    )


# Planned activities overdue from earlier days that the agenda lists: the latest ones (a rep
# reschedules or cancels those first); ``overdue_before_today`` counts them all.
OVERDUE_SHOWN = 50


def agenda(
    conn: sqlite3.Connection, now: datetime, until: date | None = None, limit: int = 500
) -> list[ActivityRow]:
    """The agenda from the start of today (local ``now``) to before ``until`` (None: no end):
    every live activity in it (at most ``limit``), today's done and cancelled ones, and the
    latest ``OVERDUE_SHOWN`` planned ones overdue from earlier days. Start order."""
    today_start = local_to_param(datetime.combine(now.date(), datetime.min.time()))
    tomorrow = local_to_param(datetime.combine(now.date() + timedelta(days=1), datetime.min.time()))
    # Ranges on the (status, planned_start) index, each read in start order and cut, then merged:
    # no sort of every overdue plan (thousands at 50 000 activities).
    live = f"SELECT {_COLUMNS} {_FROM} WHERE a.archived_at IS NULL AND c.archived_at IS NULL AND "
    order = " ORDER BY a.planned_start, a.id LIMIT ?"
    planned, params = "a.status = 'planned' AND a.planned_start >= ?", [today_start]
    if until is not None:
        planned += " AND a.planned_start < ?"
        params.append(local_to_param(datetime.combine(until, datetime.min.time())))
    earlier = conn.execute(
        live
        + "a.status = 'planned' AND a.planned_start < ? ORDER BY a.planned_start DESC, a.id DESC LIMIT ?",
        [today_start, OVERDUE_SHOWN],
    ).fetchall()
    parts = [
        earlier[::-1],
        conn.execute(live + planned + order, [*params, limit]).fetchall(),
        conn.execute(live + "a.status = 'in-progress'" + order, [limit]).fetchall(),
        conn.execute(
            live
            + "a.status IN ('done', 'cancelled') AND a.planned_start >= ? AND a.planned_start < ?"
            + order,
            [today_start, tomorrow, limit],
        ).fetchall(),
    ]
    from heapq import merge

    rows = list(merge(*parts, key=lambda r: (r[5], r[0])))[: limit + OVERDUE_SHOWN]
    return [_row(r) for r in rows]


def overdue_before_today(conn: sqlite3.Connection, now: datetime) -> int:
    """How many live planned activities of live customers started before today (local ``now``):
    the agenda lists the latest ``OVERDUE_SHOWN`` of them."""
    today_start = local_to_param(datetime.combine(now.date(), datetime.min.time()))
    # Every live one before today on the covering partial index, less the few in progress:
    # no lookup of each activity's status (10 000 overdue plans at the benchmark's scale).
    live_customer = "AND customer_id NOT IN (SELECT id FROM customer WHERE archived_at IS NOT NULL)"
    row = conn.execute(
        "SELECT (SELECT count(*) FROM activity INDEXED BY ix_activity_queue WHERE archived_at IS NULL "
        f"AND status IN ('planned', 'in-progress') AND planned_start < ?1 {live_customer}) - "
        "(SELECT count(*) FROM activity WHERE status = 'in-progress' AND planned_start < ?1 "
        f"AND archived_at IS NULL {live_customer})",
        (today_start,),
    ).fetchone()
    return int(row[0])


def activity_list(
    conn: sqlite3.Connection, *, status: str | None = None, customer_id: int | None = None, limit: int = 1000
) -> list[ActivityRow]:
    """Activities by planned start, newest plan last; filtered by status and customer."""
    where = ["a.archived_at IS NULL"]
    params: list[Any] = []
    if status is not None:
        where.append("a.status = ?")
        params.append(status)
    if customer_id is not None:
        where.append("a.customer_id = ?")
        params.append(customer_id)
    sql = f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} ORDER BY a.planned_start, a.id LIMIT ?"
    return [_row(r) for r in conn.execute(sql, [*params, limit])]


def activity(conn: sqlite3.Connection, activity_id: int) -> ActivityRow | None:
    r = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", (activity_id,)).fetchone()
    return None if r is None else _row(r)


def activity_id(conn: sqlite3.Connection, ref: str) -> int:
    """The activity a rep means: its code (``A000001``, case and zeros optional) or ``#id``."""
    from tuicrm.query.customers import is_row_id
    from tuicrm.query.errors import NotFound

    text = (ref or "").strip().upper().lstrip("#")
    if text.startswith("A") and is_row_id(text[1:]):
        found = conn.execute(
            "SELECT id FROM activity WHERE code = ? AND archived_at IS NULL", (f"A{int(text[1:]):06d}",)
        ).fetchone()
    elif is_row_id(text):
        found = conn.execute(
            "SELECT id FROM activity WHERE id = ? AND archived_at IS NULL", (int(text),)
        ).fetchone()
    else:
        found = None
    if found is None:
        from tuicrm.i18n import _

        raise NotFound(_("No activity '{ref}' (give its code, like A000001).").format(ref=ref))
    return int(found[0])


_QUEUE_SELECT = (
    "SELECT a.id, a.code, a.name, a.kind, a.status, a.planned_start, c.id, c.code, c.name "
    "FROM activity a JOIN customer c ON c.id = a.customer_id "
    "WHERE a.archived_at IS NULL AND c.archived_at IS NULL AND a.status = ? "
)


def queue_counts(conn: sqlite3.Connection, now: datetime, day_end: datetime) -> tuple[int, int]:
    """(overdue, due today) among the queue's activities: live ones (planned or in progress)
    that start before the end of the rep's today, counted in SQL (tens of thousands at scale).
    ``now`` and ``day_end`` are aware; a start before ``now`` is overdue, as the queue says."""
    # The partial index ix_activity_queue holds exactly these rows (its WHERE terms repeated
    # here let SQLite use it) with the customer: an index-only count. Archived customers are
    # few: one set of them instead of a customer lookup per activity.
    row = conn.execute(
        "SELECT sum(planned_start < ?), sum(planned_start >= ?) FROM activity INDEXED BY ix_activity_queue "
        "WHERE archived_at IS NULL AND status IN ('planned', 'in-progress') AND planned_start < ? "
        "AND customer_id NOT IN (SELECT id FROM customer WHERE archived_at IS NOT NULL)",
        (timestamp_param(now), timestamp_param(now), timestamp_param(day_end)),
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def queue_items(
    conn: sqlite3.Connection, now: datetime, day_end: datetime, limit: int | None = None
) -> list[dict[str, Any]]:
    """The morning queue's activity items (issue #17): live activities (planned or in progress)
    starting before the end of the rep's today, in the queue's item shape. With ``limit``, the
    ``limit`` earliest of those already started (the queue ranks them oldest first) and of those
    still ahead today (timed, in time order): the first ``limit`` of the queue are among them.
    ``now`` and ``day_end`` are aware."""
    from heapq import merge

    from tuicrm.i18n import _

    tail = "" if limit is None else f" LIMIT {int(limit)}"
    order = " ORDER BY a.planned_start, a.id"
    start_param, end_param = timestamp_param(now), timestamp_param(day_end)
    parts = []
    for status in ("planned", "in-progress"):
        parts.append(
            conn.execute(
                _QUEUE_SELECT + "AND a.planned_start < ?" + order + tail, (status, start_param)
            ).fetchall()
        )
        parts.append(
            conn.execute(
                _QUEUE_SELECT + "AND a.planned_start >= ? AND a.planned_start < ?" + order + tail,
                (status, start_param, end_param),
            ).fetchall()
        )
    items = []
    for activity_id, code, name, kind, status, start, customer_id, customer_code, customer_name in merge(
        *parts, key=lambda r: (r[5], r[0])
    ):
        at = as_utc(start)
        assert at is not None
        late = status == "planned" and at < now
        minutes = int((now - at).total_seconds() // 60) if late else 0
        why = (
            _("planned {kind} not started").format(kind=kind)
            if late
            else (_("in progress") if status == "in-progress" else _("{kind} today").format(kind=kind))
        )
        items.append(
            {
                "kind": "activity",
                "at": at,
                "on": local_day(at),
                "customer": {"id": customer_id, "code": customer_code, "name": customer_name},
                "title": name,
                "overdue_by": minutes,
                "why": why,
                "id": activity_id,
                "code": code,
                "hard_deadline": False,
            }
        )
    return items


def week_statuses(conn: sqlite3.Connection, start_at: datetime, end_at: datetime) -> list[str]:
    """The statuses of the live activities planned in [start_at, end_at) (aware or naive UTC)."""
    rows = conn.execute(
        "SELECT a.status FROM activity a JOIN customer c ON c.id = a.customer_id "
        "WHERE a.archived_at IS NULL AND c.archived_at IS NULL AND a.planned_start >= ? AND a.planned_start < ?",
        (timestamp_param(start_at), timestamp_param(end_at)),
    )
    return [str(r[0]) for r in rows]


def calendar_rows(conn: sqlite3.Connection) -> list[ActivityRow]:
    """Every live (planned or in-progress) activity of a live customer, for ``export agenda.ics``."""
    return list(iter_calendar_rows(conn))


def iter_calendar_rows(conn: sqlite3.Connection) -> Iterator[ActivityRow]:
    """``calendar_rows`` one at a time from the cursor (the .ics export streams, issue #20)."""
    for row, _phone in iter_calendar_rows_with_phones(conn):
        yield row


def iter_calendar_rows_with_phones(conn: sqlite3.Connection) -> Iterator[tuple[ActivityRow, str | None]]:
    """``calendar_rows`` one at a time, each with the phone to call: its contact's mobile or
    phone, else (none, or empty) the customer's. Streams from one cursor: no list of rows."""
    sql = (
        f"SELECT {_COLUMNS}, coalesce(ct.mobile, ct.phone), c.phone {_FROM} "
        "WHERE a.archived_at IS NULL AND c.archived_at IS NULL "
        "AND a.status IN ('planned', 'in-progress') ORDER BY a.planned_start, a.id"
    )
    for r in conn.execute(sql):
        yield _row(r), (r[-2] or r[-1])


__all__ = [
    "OVERDUE_SHOWN",
    "ActivityRow",
    "activity",
    "activity_id",
    "activity_list",
    "agenda",
    "calendar_rows",
    "iter_calendar_rows_with_phones",
    "local",
    "local_to_param",
    "overdue_before_today",
    "queue_counts",
    "queue_items",
    "week_statuses",
]
