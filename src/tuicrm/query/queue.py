"""The morning queue (issue #17): follow-ups, lead responses and activities as one list, in the
order of ``tuicrm.domain.queue.order``, with true counts of every kind; the overdue panel's data."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from tuicrm.query.followups import DueItem, due, due_counts, due_top
from tuicrm.query.values import Frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.config import Config
    from tuicrm.domain.queue import QueueItem


def followup_queue_item(item: DueItem, today: date, complaint: str | None = None) -> QueueItem:
    """``complaint``: the line saying the customer has an open complaint, under the score's."""
    from tuicrm.domain.queue import QueueItem, days_past

    why = item.priority.explain()
    return QueueItem(
        kind="follow-up",
        customer=item.name,
        title=item.next_action or "",
        why=why if complaint is None else f"{why}\n{complaint}",
        id=item.customer_id,
        code=item.code,
        customer_id=item.customer_id,
        on=item.next_on,
        overdue=item.next_on < today,
        due_today=item.next_on == today,
        score=item.priority.score,
        overdue_by=days_past(item.next_on, today),
        source=item,
    )


def _complaint_lines(conn: sqlite3.Connection, customer_ids: set[int], now: datetime) -> dict[int, str]:
    """The customers (of ``customer_ids``) with an open complaint -> its line for the "why"."""
    if not customer_ids:
        return {}
    from tuicrm.domain.complaints import open_complaint_why
    from tuicrm.query.complaints import first_open_by_customer

    return {
        customer_id: open_complaint_why(code, severity, deadline_at, now)
        for customer_id, (code, severity, deadline_at) in first_open_by_customer(conn, customer_ids).items()
    }


def _activity_items(
    conn: sqlite3.Connection, now: datetime, today: date, day_end: datetime, limit: int | None
) -> list[QueueItem]:
    """Today's and overdue live activities (``tuicrm.query.activities.queue_items``, dicts in
    the queue's item shape) as queue items: at most ``limit`` started and ``limit`` ahead."""
    from tuicrm.domain.queue import from_mapping
    from tuicrm.query.activities import queue_items

    return [from_mapping(d, now, today, day_end) for d in queue_items(conn, now, day_end, limit)]


def _reminder_items(
    conn: sqlite3.Connection, config: Config, today: date, kind: str | None
) -> list[QueueItem]:
    """After the deal (issue #18): birthdays and anniversaries, renewals — each within its own
    window (``config.care``), whatever ``--days``; a few a day, read whole."""
    items: list[QueueItem] = []
    if kind in (None, "birthday"):
        from tuicrm.query.reminders import birthday_items

        items += birthday_items(conn, config, today)
    if kind in (None, "renewal"):
        from tuicrm.query.reminders import renewal_items

        items += renewal_items(conn, config, today)
    return items


def _receivable_items(
    conn: sqlite3.Connection, now: datetime, today: date, day_end: datetime, horizon: date, limit: int | None
) -> list[QueueItem]:
    """Open receivables due by ``horizon`` (overdue ones: a collection call), as queue items:
    the ``limit`` most days late."""
    from tuicrm.domain.queue import from_mapping
    from tuicrm.query.receivables import queue_items

    return [from_mapping(d, now, today, day_end) for d in queue_items(conn, today, horizon, limit)]


class Queue(Frozen):
    """The morning queue: the first items in order and the true counts, of every kind."""

    __slots__ = ("items", "overdue", "due_today", "ahead")

    items: list[QueueItem]
    overdue: int
    due_today: int
    ahead: int

    @property
    def count(self) -> int:
        """Overdue + due today: what ``due --count`` says and the panel's title counts."""
        return self.overdue + self.due_today

    @property
    def total(self) -> int:
        return self.overdue + self.due_today + self.ahead

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


def queue(
    conn: sqlite3.Connection,
    config: Config,
    today: date,
    now: datetime,
    day_end: datetime,
    days: int = 0,
    limit: int | None = None,
    kind: str | None = None,
) -> Queue:
    """Follow-ups, lead responses and activities in the queue's order (``domain.queue.order``):
    at most ``limit`` items (all when None), only ``kind`` when given; the counts are true.
    ``now`` is aware UTC, ``day_end`` the end of the rep's today."""
    from tuicrm.domain.queue import order
    from tuicrm.query import leads

    items: list[QueueItem] = []
    overdue = due_today = ahead = 0
    if kind in (None, "follow-up"):
        f_overdue, f_today, f_ahead = due_counts(conn, today, days)
        overdue, due_today, ahead = f_overdue, f_today, f_ahead
        rows = due(conn, config, today, days) if limit is None else due_top(conn, config, today, days, limit)
        flagged = _complaint_lines(conn, {i.customer_id for i in rows}, now)
        items += [followup_queue_item(i, today, flagged.get(i.customer_id)) for i in rows]
    horizon_day = today + timedelta(days=max(0, days))
    horizon_end = day_end + timedelta(days=max(0, days))
    if kind in (None, "lead"):
        lead_items = leads.queue_items(conn, now, day_end, today, horizon_end, horizon_day, limit)
        l_overdue, l_today = leads.queue_counts(conn, now, day_end, today)
        overdue, due_today = overdue + l_overdue, due_today + l_today
        ahead += sum(1 for i in lead_items if not i.now)
        items += lead_items
    if kind in (None, "activity"):
        from tuicrm.query.activities import queue_counts as activity_counts

        a_overdue, a_today = activity_counts(conn, now, day_end)
        overdue, due_today = overdue + a_overdue, due_today + a_today
        items += _activity_items(conn, now, today, day_end, limit)
    if kind in (None, "complaint"):
        from tuicrm.query import complaints

        near = config.care.complaint_near_hours
        c_overdue, c_today = complaints.queue_counts(conn, now, day_end, near)
        overdue, due_today = overdue + c_overdue, due_today + c_today
        items += complaints.queue_items(conn, now, day_end, near, limit)
    reminders = _reminder_items(conn, config, today, kind)
    overdue += sum(1 for i in reminders if i.overdue)
    due_today += sum(1 for i in reminders if i.due_today)
    ahead += sum(1 for i in reminders if not i.now)
    items += reminders
    if kind in (None, "receivable"):
        from tuicrm.query.receivables import queue_counts as receivable_counts

        r_overdue, r_today, r_ahead = receivable_counts(conn, today, horizon_day)
        overdue, due_today, ahead = overdue + r_overdue, due_today + r_today, ahead + r_ahead
        items += _receivable_items(conn, now, today, day_end, horizon_day, limit)
    ordered = order(items)
    return Queue(ordered if limit is None else ordered[:limit], overdue, due_today, ahead)


def queue_counts(
    conn: sqlite3.Connection,
    config: Config,
    today: date,
    now: datetime,
    day_end: datetime,
    days: int = 0,
    kind: str | None = None,
) -> tuple[int, int]:
    """``(queue(...).overdue, queue(...).due_today)``: what ``due --count`` prints, from the count
    queries alone (each on its partial index) and the few reminders; no item of the other kinds
    is read or ranked (half of ``due --count``'s time was that)."""
    overdue = due_today = 0
    if kind in (None, "follow-up"):
        f_overdue, f_today, _ahead = due_counts(conn, today, days)
        overdue, due_today = f_overdue, f_today
    if kind in (None, "lead"):
        from tuicrm.query.leads import queue_counts as lead_counts

        l_overdue, l_today = lead_counts(conn, now, day_end, today)
        overdue, due_today = overdue + l_overdue, due_today + l_today
    if kind in (None, "activity"):
        from tuicrm.query.activities import queue_counts as activity_counts

        a_overdue, a_today = activity_counts(conn, now, day_end)
        overdue, due_today = overdue + a_overdue, due_today + a_today
    if kind in (None, "complaint"):
        from tuicrm.query.complaints import queue_counts as complaint_counts

        c_overdue, c_today = complaint_counts(conn, now, day_end, config.care.complaint_near_hours)
        overdue, due_today = overdue + c_overdue, due_today + c_today
    reminders = _reminder_items(conn, config, today, kind)
    overdue += sum(1 for i in reminders if i.overdue)
    due_today += sum(1 for i in reminders if i.due_today)
    if kind in (None, "receivable"):
        from tuicrm.query.receivables import queue_counts as receivable_counts

        r_overdue, r_today, _ahead = receivable_counts(conn, today, today + timedelta(days=max(0, days)))
        overdue, due_today = overdue + r_overdue, due_today + r_today
    return overdue, due_today


class PanelData(Frozen):
    """The overdue panel: the first ``len(items)`` of the queue and the true counts."""

    __slots__ = ("items", "count", "overdue", "today")

    items: list[QueueItem]
    count: int  # overdue + due today, every kind
    overdue: int
    today: int

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


def panel_data(
    conn: sqlite3.Connection,
    config: Config,
    today: date,
    limit: int = 100,
    *,
    now: datetime | None = None,
    day_end: datetime | None = None,
    kind: str | None = None,
) -> PanelData:
    """Counts plus the first ``limit`` queue items (the follow-ups exactly ``due(...)[:limit]``)."""
    if now is None or day_end is None:
        now, day_end = default_now(today)
    q = queue(conn, config, today, now, day_end, 0, limit, kind)
    return PanelData(items=q.items, count=q.count, overdue=q.overdue, today=q.due_today)


def default_now(today: date) -> tuple[datetime, datetime]:
    """(now, end of ``today``) as aware UTC for the queue, in the system's local zone, without
    pendulum on the plain path (``TUICRM_NOW`` pins now, as ``query.connect.today`` reads it)."""
    import os
    from datetime import UTC

    day_end = datetime.combine(today + timedelta(days=1), datetime.min.time()).astimezone(UTC)
    pinned = os.environ.get("TUICRM_NOW")
    if not pinned:
        return datetime.now(UTC), day_end
    try:
        parsed: datetime | None = datetime.fromisoformat(pinned.strip())
    except ValueError:
        parsed = None
    if parsed is not None and parsed.tzinfo is None:
        return parsed.astimezone(UTC), day_end  # a naive pin is local wall-clock time
    from tuicrm import clock  # an instant with an offset, or a form only pendulum reads

    return clock.utcnow(), clock.local_midnight_utc(today + timedelta(days=1))
