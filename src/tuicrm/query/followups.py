"""Follow-ups: the due list in call-next order, its counts, the overdue panel, the timeline."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from tuicrm.query.dialect import days_between, id_list, indexed_by, quoted, timestamp_param
from tuicrm.query.values import as_date, as_utc
from tuicrm.records import record

TYPE_CHECKING = False  # typing costs the CLI's start 3 ms (tuicrm.records)
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

    from tuicrm.config import Config
    from tuicrm.domain.scoring import Priority

_DUE_COLUMNS = "c.id, c.code, c.name, c.tier, c.status, c.next_follow_up_on, c.next_action"


@record(frozen=True)
class DueItem:
    customer_id: int
    code: str
    name: str
    tier: str
    status: str
    next_on: date
    next_action: str | None
    days_overdue: int
    open_pipeline: Decimal
    priority: Priority

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def _pipeline_sql() -> str:
    """Open pipeline cents of customer ``c``; literal stages so the partial index ix_opportunity_open
    applies (bound parameters would not)."""
    from tuicrm.config import OPEN_STAGES

    return (
        "(SELECT sum(o.amount) FROM opportunity o WHERE o.customer_id = c.id "
        f"AND o.stage IN ({quoted(OPEN_STAGES)}) AND o.archived_at IS NULL)"
    )


def _due_items(rows: list[tuple[Any, ...]], today: date, config: Config) -> list[DueItem]:
    """Rows of (_DUE_COLUMNS, open pipeline cents), scored for the call-next order."""
    from decimal import Decimal

    from tuicrm.domain.scoring import call_next_priority

    out = []
    for cid, code, name, tier, status, next_on, action, cents in rows:
        day = as_date(next_on)
        assert day is not None  # the queries keep only customers with a next follow-up
        value = Decimal(int(cents or 0)) / 100
        out.append(
            DueItem(
                cid,
                code,
                name,
                tier,
                status,
                day,
                action,
                max(0, (today - day).days),
                value,
                call_next_priority(day, tier, value, today, config),
            )
        )
    return out


def _now_sort(items: list[DueItem]) -> list[DueItem]:
    from tuicrm.domain.scoring import sort_key

    return sorted(items, key=lambda i: sort_key(i.priority, i.name))


def due(conn: sqlite3.Connection, config: Config, today: date, days: int = 0) -> list[DueItem]:
    """Overdue and due today in "call next" order, then the next ``days`` days by date."""
    horizon = today + timedelta(days=max(0, days))
    rows = conn.execute(
        f"SELECT {_DUE_COLUMNS}, {_pipeline_sql()} FROM customer c{indexed_by('ix_customer_due')} "
        "WHERE c.archived_at IS NULL AND c.next_follow_up_on IS NOT NULL AND c.next_follow_up_on <= ?",
        (horizon.isoformat(),),
    ).fetchall()
    items = _due_items(rows, today, config)
    now_items = _now_sort([i for i in items if i.next_on <= today])
    later = sorted((i for i in items if i.next_on > today), key=lambda i: (i.next_on, i.name))
    return now_items + later


def due_counts(conn: sqlite3.Connection, today: date, days: int = 0) -> tuple[int, int, int]:
    """(overdue, due today, ahead within ``days``) among live customers."""
    t = today.isoformat()
    row = conn.execute(
        "SELECT sum(next_follow_up_on < ?), sum(next_follow_up_on = ?), sum(next_follow_up_on > ?) "
        f"FROM customer{indexed_by('ix_customer_due')} "
        "WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL AND next_follow_up_on <= ?",
        (t, t, t, (today + timedelta(days=max(0, days))).isoformat()),
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


def due_top(conn: sqlite3.Connection, config: Config, today: date, days: int, limit: int) -> list[DueItem]:
    """The first ``limit`` items of ``due(...)`` without scoring every due customer in Python.

    The call-next score is ``(days overdue + 1) × tier weight + pipeline bonus`` with the bonus
    between 0 and ``pipeline_weight_cap`` (amounts are never negative). SQL ranks the due
    customers by the first term alone (a covering index, no pipeline sums); whoever's first
    term is more than the cap (+0.001 for the rounding to 4 places) below the ``limit``-th
    cannot reach the first ``limit``. Only the rest are scored exactly, as ``due`` scores them.
    """
    t = today.isoformat()
    weights = dict(config.tier_weights)
    case = "CASE c.tier " + " ".join("WHEN ? THEN ?" for _ in weights) + " ELSE ? END"
    case_params = [x for kv in weights.items() for x in kv] + [weights.get("D", 1.0)]
    base = (
        f"SELECT c.id AS id, (max(0, {days_between('?', 'c.next_follow_up_on')}) + 1) * ({case}) AS b "
        f"FROM customer c{indexed_by('ix_customer_pending')} "
        "WHERE c.archived_at IS NULL AND c.next_follow_up_on IS NOT NULL AND c.next_follow_up_on <= ?"
    )
    margin = max(0.0, float(config.pipeline_weight_cap)) + 0.001
    candidates = conn.execute(
        f"WITH base AS ({base}) SELECT id FROM base WHERE b >= "
        "coalesce((SELECT b FROM base ORDER BY b DESC LIMIT 1 OFFSET ?), -1e300) - ?",
        (t, *case_params, t, max(0, limit - 1), margin),
    ).fetchall()
    rows = (
        conn.execute(
            f"SELECT {_DUE_COLUMNS}, {_pipeline_sql()} FROM customer c "
            f"WHERE c.id IN ({id_list(r[0] for r in candidates)})"
        ).fetchall()
        if candidates
        else []
    )
    rows.sort(key=lambda r: (r[5], r[0]))  # due()'s scan order, so equal keys keep the same order
    items = _now_sort(_due_items(rows, today, config))[:limit]
    if len(items) < limit and days > 0:
        rows = conn.execute(
            f"SELECT {_DUE_COLUMNS}, {_pipeline_sql()} FROM customer c{indexed_by('ix_customer_due')} "
            "WHERE c.archived_at IS NULL AND c.next_follow_up_on > ? AND c.next_follow_up_on <= ? "
            "ORDER BY c.next_follow_up_on, c.name, c.id LIMIT ?",
            (t, (today + timedelta(days=days)).isoformat(), limit - len(items)),
        ).fetchall()
        items += _due_items(rows, today, config)
    return items


# -- the timeline -------------------------------------------------------------------------------


@record(frozen=True)
class TimelineEntry:
    customer_id: int
    code: str
    name: str
    tier: str
    day: date
    text: str  # next action (pending) or summary (past log)
    channel: str | None = None
    kind: str = "pending"  # pending | logged
    # a logged one: local time, with whom, which deal, where, by whom ("15:00 · Wang Li · …")
    about: str = ""


@record
class Timeline:
    overdue: list[TimelineEntry]
    today: list[TimelineEntry]
    next_7_days: list[TimelineEntry]
    later: list[TimelineEntry]
    past: list[tuple[date, list[TimelineEntry]]]  # newest day first

    def sections(self) -> list[tuple[str, list[TimelineEntry]]]:
        return [
            ("Overdue", self.overdue),
            ("Today", self.today),
            ("Next 7 days", self.next_7_days),
            ("Later", self.later),
        ]


def _local_date(value: object) -> date:
    from tuicrm.clock import local_date

    at = as_utc(value)
    assert at is not None
    return local_date(at)


def timeline(
    conn: sqlite3.Connection,
    today: date,
    past_days: int = 14,
    later_limit: int = 200,
    overdue_limit: int = 500,
) -> Timeline:
    """Pending follow-ups by section (each list capped) and the last ``past_days`` of logs by local day."""
    from tuicrm.clock import local_midnight_utc

    base = (
        "SELECT id, code, name, tier, next_follow_up_on, next_action FROM customer "
        "WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL AND "
    )
    order = " ORDER BY next_follow_up_on, name"

    def entries(where: str, params: tuple[Any, ...], tail: str = "") -> list[TimelineEntry]:
        return [
            TimelineEntry(cid, code, name, tier, as_date(d) or today, action or "")
            for cid, code, name, tier, d, action in conn.execute(base + where + tail, params)
        ]

    t, week = today.isoformat(), (today + timedelta(days=7)).isoformat()
    overdue = entries("next_follow_up_on < ?", (t, overdue_limit), order + " LIMIT ?")
    due_today = entries("next_follow_up_on = ?", (t,), " ORDER BY name")
    next_week = entries("next_follow_up_on > ? AND next_follow_up_on <= ?", (t, week), order)
    later = entries("next_follow_up_on > ?", (week, later_limit), order + " LIMIT ?")

    since = local_midnight_utc(today - timedelta(days=past_days))
    logs = conn.execute(
        "SELECT f.customer_id, c.code, c.name, c.tier, f.at, f.summary, f.channel, k.name, o.name, "
        "f.place, f.owner FROM followup f JOIN customer c ON c.id = f.customer_id "
        "LEFT JOIN contact k ON k.id = f.contact_id LEFT JOIN opportunity o ON o.id = f.opportunity_id "
        "WHERE f.at >= ? ORDER BY f.at DESC LIMIT 500",
        (timestamp_param(since),),
    )
    from tuicrm.clock import to_local

    by_day: dict[date, list[TimelineEntry]] = {}
    for cid, code, name, tier, at, summary, channel, contact, deal, place, owner in logs:
        local = to_local(as_utc(at))  # type: ignore[arg-type]
        day = local.date()
        about = " · ".join(str(v) for v in (f"{local:%H:%M}", contact, deal, place, owner) if v)
        by_day.setdefault(day, []).append(
            TimelineEntry(cid, code, name, tier, day, summary, channel, "logged", about)
        )
    past = sorted(by_day.items(), key=lambda kv: kv[0], reverse=True)
    return Timeline(overdue, due_today, next_week, later, past)


def timeline_counts(conn: sqlite3.Connection, today: date) -> dict[str, int]:
    """How many pending follow-ups fall in each timeline section (the lists themselves are capped)."""
    t, week = today.isoformat(), (today + timedelta(days=7)).isoformat()
    row = conn.execute(
        "SELECT coalesce(sum(CASE WHEN next_follow_up_on < ? THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN next_follow_up_on = ? THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN next_follow_up_on > ? AND next_follow_up_on <= ? THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN next_follow_up_on > ? THEN 1 ELSE 0 END), 0) "
        "FROM customer WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL",
        (t, t, t, week, week),
    ).fetchone()
    return {"Overdue": int(row[0]), "Today": int(row[1]), "Next 7 days": int(row[2]), "Later": int(row[3])}


def last_activity_by_customer(conn: sqlite3.Connection, customer_ids: list[int]) -> dict[int, date]:
    """Local date of the latest follow-up for each customer (for staleness)."""
    out: dict[int, date] = {}
    for chunk in range(0, len(customer_ids), 900):
        ids = customer_ids[chunk : chunk + 900]
        rows = conn.execute(
            f"SELECT customer_id, max(at) FROM followup WHERE customer_id IN ({id_list(ids)}) "
            "GROUP BY customer_id"
        )
        for cid, at in rows:
            if at is not None:
                out[int(cid)] = _local_date(at)
    return out


# -- one customer's follow-ups, for correcting them ------------------------------------------


@record(frozen=True)
class FollowUpEntry:
    """A logged follow-up with who was spoken to and which deal it was about."""

    id: int
    version: int
    customer_id: int
    at: datetime  # aware UTC, as stored
    channel: str
    summary: str
    feedback: str | None
    attitude: str | None
    outcome: str | None
    goal: str | None
    objection: str | None
    place: str | None
    attendees: str | None
    next_on: date | None
    next_action: str | None
    owner: str | None
    contact_id: int | None
    contact_name: str | None
    opportunity_id: int | None
    opportunity_name: str | None

    def editable(self) -> dict[str, Any]:
        """The fields an edit form shows, as ``save_changes`` compares them."""
        return {name: getattr(self, name) for name in EDITABLE}


EDITABLE = (
    "at",
    "channel",
    "summary",
    "feedback",
    "attitude",
    "outcome",
    "goal",
    "objection",
    "place",
    "attendees",
    "next_on",
    "next_action",
    "contact_id",
    "opportunity_id",
)

_ENTRY_SQL = (
    "SELECT f.id, f.version, f.customer_id, f.at, f.channel, f.summary, f.feedback, f.attitude, "
    "f.outcome, f.goal, f.objection, f.place, f.attendees, f.next_on, f.next_action, f.owner, "
    "f.contact_id, k.name, f.opportunity_id, o.name FROM followup f "
    "LEFT JOIN contact k ON k.id = f.contact_id LEFT JOIN opportunity o ON o.id = f.opportunity_id "
)


def _entry(row: tuple[Any, ...]) -> FollowUpEntry:
    values = list(row)
    at = as_utc(values[3])
    assert at is not None
    values[3] = at
    values[13] = as_date(values[13])
    return FollowUpEntry(*values)


def follow_ups_of(
    conn: sqlite3.Connection, customer_id: int, limit: int | None = None
) -> list[FollowUpEntry]:
    """A customer's follow-ups, newest first (the order that makes the newest one's next step
    the customer's pending follow-up)."""
    sql = _ENTRY_SQL + "WHERE f.customer_id = ? ORDER BY f.at DESC, f.id DESC"
    params: tuple[Any, ...] = (customer_id,)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    return [_entry(r) for r in conn.execute(sql, params)]


def follow_up_entry(conn: sqlite3.Connection, follow_up_id: int) -> FollowUpEntry | None:
    row = conn.execute(_ENTRY_SQL + "WHERE f.id = ?", (follow_up_id,)).fetchone()
    return None if row is None else _entry(row)


def entry_to_dict(entry: FollowUpEntry) -> dict[str, Any]:
    """``followup list --json``: one follow-up, its time local with its offset (ISO 8601)."""
    from tuicrm.clock import to_local

    return {
        "id": entry.id,
        "at": to_local(entry.at).isoformat(),
        "channel": entry.channel,
        "summary": entry.summary,
        "feedback": entry.feedback,
        "attitude": entry.attitude,
        "outcome": entry.outcome,
        "goal": entry.goal,
        "objection": entry.objection,
        "place": entry.place,
        "attendees": entry.attendees,
        "next_on": entry.next_on.isoformat() if entry.next_on else None,
        "next_action": entry.next_action,
        "owner": entry.owner,
        "contact": None if entry.contact_id is None else {"id": entry.contact_id, "name": entry.contact_name},
        "opportunity": None
        if entry.opportunity_id is None
        else {"id": entry.opportunity_id, "name": entry.opportunity_name},
        "version": entry.version,
    }


@record(frozen=True)
class StatusStep:
    at: datetime  # aware UTC
    from_status: str | None
    to_status: str
    by_user: str | None


def status_history(conn: sqlite3.Connection, customer_id: int, limit: int = 50) -> list[StatusStep]:
    """The customer's status changes, newest first (table ``statuschange``, kept by a trigger)."""
    out = []
    for at, was, now, by in conn.execute(
        "SELECT at, from_status, to_status, by_user FROM statuschange WHERE customer_id = ? "
        "ORDER BY at DESC, id DESC LIMIT ?",
        (customer_id, limit),
    ):
        moment = as_utc(at)
        assert moment is not None
        out.append(StatusStep(moment, was, now, by))
    return out


def link_choices(
    conn: sqlite3.Connection,
    customer_id: int,
    contact_id: int | None = None,
    opportunity_id: int | None = None,
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """What a follow-up of this customer can name: its live contacts (primary first) and its open
    deals, as (id, name); the ones ``contact_id`` / ``opportunity_id`` already name stay listed."""
    from tuicrm.config import OPEN_STAGES

    contacts = conn.execute(
        "SELECT id, name FROM contact WHERE customer_id = ? AND (archived_at IS NULL OR id = ?) "
        "ORDER BY is_primary DESC, name, id",
        (customer_id, contact_id),
    ).fetchall()
    deals = conn.execute(
        "SELECT id, name, stage FROM opportunity WHERE customer_id = ? AND "
        f"((archived_at IS NULL AND stage IN ({quoted(OPEN_STAGES)})) OR id = ?) ORDER BY name, id",
        (customer_id, opportunity_id),
    ).fetchall()
    return (
        [(int(i), str(n)) for i, n in contacts],
        [(int(i), f"{n} ({stage})") for i, n, stage in deals],
    )
