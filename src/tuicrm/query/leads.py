"""Leads: the list by class (deadline first), and the lead responses in the morning queue."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from tuicrm.query.dialect import timestamp_param
from tuicrm.query.values import Frozen, as_bool, as_date, as_money, as_utc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal

    from tuicrm.domain.queue import QueueItem

CLASS_ORDER = ("high", "medium", "low")
OPEN = ("new", "contacted", "nurturing", "qualified")

_COLUMNS = (
    "id, code, company, source, source_detail, industry, contact_name, contact_title, phone, email, "
    "budget_text, budget_min, needs, purchase_by, is_decision_maker, need_clear, purchase_soon, score, "
    "score_class, respond_by, contacted_at, rescore_on, status, drop_reason, owner, notes, customer_id, "
    "contact_id, opportunity_id, converted_at, created_at, version"
)


class LeadRow(Frozen):
    __slots__ = (
        "id",
        "code",
        "company",
        "source",
        "source_detail",
        "industry",
        "contact_name",
        "contact_title",
        "phone",
        "email",
        "budget_text",
        "budget_min",
        "needs",
        "purchase_by",
        "is_decision_maker",
        "need_clear",
        "purchase_soon",
        "score",
        "score_class",
        "respond_by",
        "contacted_at",
        "rescore_on",
        "status",
        "drop_reason",
        "owner",
        "notes",
        "customer_id",
        "contact_id",
        "opportunity_id",
        "converted_at",
        "created_at",
        "version",
    )

    id: int
    code: str
    company: str
    source: str | None
    source_detail: str | None
    industry: str | None
    contact_name: str | None
    contact_title: str | None
    phone: str | None
    email: str | None
    budget_text: str | None
    budget_min: Decimal | None
    needs: str | None
    purchase_by: date | None
    is_decision_maker: bool | None
    need_clear: bool | None
    purchase_soon: bool | None
    score: int
    score_class: str
    respond_by: datetime | None
    contacted_at: datetime | None
    rescore_on: date | None
    status: str
    drop_reason: str | None
    owner: str | None
    notes: str | None
    customer_id: int | None
    contact_id: int | None
    opportunity_id: int | None
    converted_at: datetime | None
    created_at: datetime | None
    version: int

    @property
    def waiting(self) -> bool:
        """Its response deadline is still to be answered."""
        return self.status == "new" and self.contacted_at is None and self.respond_by is not None


def _row(r: tuple[object, ...]) -> LeadRow:
    values = list(r)
    values[11] = as_money(values[11])
    values[13] = as_date(values[13])
    for i in (14, 15, 16):
        values[i] = as_bool(values[i])
    for i in (19, 20, 29, 30):
        values[i] = as_utc(values[i])
    values[21] = as_date(values[21])
    return LeadRow(*values)


def lead_list(
    conn: sqlite3.Connection, *, score_class: str | None = None, status: str | None = None
) -> list[LeadRow]:
    """Leads by class (high, medium, low), the nearest deadline first; only the open ones unless
    ``status`` names one (``"all"``: every lead). ``lead_page``: a window of them, and the counts."""
    where, params = _lead_filter(score_class, status)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM lead WHERE {where} {_LIST_ORDER}", params).fetchall()  # noqa: S608
    return [_row(r) for r in rows]


_LIST_ORDER = (
    "ORDER BY CASE score_class WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, "
    "(contacted_at IS NOT NULL OR respond_by IS NULL), respond_by, rescore_on IS NULL, rescore_on, code"
)


def _lead_filter(score_class: str | None, status: str | None) -> tuple[str, list[object]]:
    where = ["archived_at IS NULL"]
    params: list[object] = []
    if status is None:
        where.append("status IN ('new', 'contacted', 'nurturing', 'qualified')")
    elif status != "all":
        where.append("status = ?")
        params.append(status)
    if score_class is not None:
        where.append("score_class = ?")
        params.append(score_class)
    return " AND ".join(where), params


class LeadPage(Frozen):
    """A window of ``lead_list``'s rows and what the leads screen's title counts, over them all."""

    __slots__ = ("rows", "total", "by_class", "overdue")

    rows: list[LeadRow]  # ``lead_list``'s order, from ``offset``, at most ``limit``
    total: int  # every lead ``lead_list`` would return
    by_class: dict[str, int]  # high / medium / low → count (every key present)
    overdue: int  # waiting for their first response past ``now`` (``LeadRow.waiting``)


def lead_page(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    limit: int = 200,
    offset: int = 0,
    score_class: str | None = None,
    status: str | None = None,
) -> LeadPage:
    """``lead_list(conn, score_class=, status=)[offset:offset + limit]`` with the counts of all of
    them, counted in SQL: the leads screen shows the first rows at once with 20 000 leads."""
    where, params = _lead_filter(score_class, status)
    row = conn.execute(
        f"SELECT count(*), coalesce(sum(score_class = 'high'), 0), coalesce(sum(score_class = 'medium'), 0), "
        "coalesce(sum(score_class = 'low'), 0), coalesce(sum(status = 'new' AND "
        "contacted_at IS NULL AND respond_by IS NOT NULL AND respond_by <= ?), 0) "
        f"FROM lead WHERE {where}",  # noqa: S608 - fixed fragments
        [timestamp_param(now), *params],
    ).fetchone()
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM lead WHERE {where} {_LIST_ORDER} LIMIT ? OFFSET ?",  # noqa: S608
        [*params, max(0, int(limit)), max(0, int(offset))],
    ).fetchall()
    return LeadPage(
        rows=[_row(r) for r in rows],
        total=int(row[0]),
        by_class={"high": int(row[1]), "medium": int(row[2]), "low": int(row[3])},
        overdue=int(row[4]),
    )


def lead_by_code(conn: sqlite3.Connection, code: str) -> LeadRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM lead WHERE upper(code) = upper(?)", (code,)).fetchone()
    return None if row is None else _row(row)


def overdue_responses(conn: sqlite3.Connection, now: datetime) -> list[LeadRow]:
    """Leads past their response deadline and not contacted, most overdue first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM lead WHERE status = 'new' AND respond_by IS NOT NULL "
        "AND respond_by <= ? AND contacted_at IS NULL AND archived_at IS NULL ORDER BY respond_by, code",
        (timestamp_param(now),),
    ).fetchall()
    return [_row(r) for r in rows]


def queue_counts(conn: sqlite3.Connection, now: datetime, day_end: datetime, today: date) -> tuple[int, int]:
    """(overdue, due today) among leads: responses past or reaching their deadline today, and low
    leads whose re-score day came."""
    row = conn.execute(
        "SELECT sum(respond_by <= ?), sum(respond_by > ?) FROM lead INDEXED BY ix_lead_response WHERE status = 'new' "
        "AND respond_by IS NOT NULL AND respond_by < ? AND contacted_at IS NULL AND archived_at IS NULL",
        (timestamp_param(now), timestamp_param(now), timestamp_param(day_end)),
    ).fetchone()
    rescore = conn.execute(
        "SELECT sum(rescore_on < ?), sum(rescore_on = ?) FROM lead INDEXED BY ix_lead_rescore WHERE status = 'nurturing' "
        "AND rescore_on IS NOT NULL AND rescore_on <= ? AND archived_at IS NULL",
        (today.isoformat(), today.isoformat(), today.isoformat()),
    ).fetchone()
    return int(row[0] or 0) + int(rescore[0] or 0), int(row[1] or 0) + int(rescore[1] or 0)


def queue_items(
    conn: sqlite3.Connection,
    now: datetime,
    day_end: datetime,
    today: date,
    horizon_end: datetime,
    horizon_day: date,
    limit: int | None = None,
) -> list[QueueItem]:
    """The leads in the morning queue: responses due before ``horizon_end`` (timed, a hard
    deadline) and low leads to re-score by ``horizon_day`` (dated). At most ``limit`` of each,
    the earliest first."""
    from tuicrm.domain.queue import QueueItem, days_past, duration_past
    from tuicrm.i18n import _

    tail = "" if limit is None else f" LIMIT {int(limit)}"
    rows = conn.execute(
        "SELECT id, code, company, score, score_class, respond_by, customer_id FROM lead INDEXED BY ix_lead_response "
        "WHERE status = 'new' AND respond_by IS NOT NULL AND respond_by < ? AND contacted_at IS NULL "
        f"AND archived_at IS NULL ORDER BY respond_by, code{tail}",
        (timestamp_param(horizon_end),),
    ).fetchall()
    items: list[QueueItem] = []
    if rows:
        from tuicrm.domain.leads import class_label, response_action, time_left_label
    for lead_id, code, company, score, klass, respond_by, customer_id in rows:
        at = as_utc(respond_by)
        assert at is not None
        overdue = at <= now
        items.append(
            QueueItem(
                kind="lead",
                customer=str(company),
                title=response_action(str(klass)),
                why=_("{klass} lead (BANT {score}): {action} — {left}").format(
                    klass=class_label(str(klass)),
                    score=score,
                    action=response_action(str(klass)),
                    left=time_left_label(at, now),
                ),
                id=int(lead_id),
                code=str(code),
                customer_id=customer_id,
                at=at,
                overdue=overdue,
                due_today=not overdue and at < day_end,
                hard_deadline=True,
                overdue_by=duration_past(at, now),
            )
        )
    rows = conn.execute(
        "SELECT id, code, company, score, rescore_on, customer_id FROM lead INDEXED BY ix_lead_rescore "
        "WHERE status = 'nurturing' "
        f"AND rescore_on IS NOT NULL AND rescore_on <= ? AND archived_at IS NULL ORDER BY rescore_on, code{tail}",
        (horizon_day.isoformat(),),
    ).fetchall()
    if rows:
        from tuicrm.domain.leads import response_action
    for lead_id, code, company, score, rescore_on, customer_id in rows:
        on = as_date(rescore_on)
        assert on is not None
        items.append(
            QueueItem(
                kind="lead",
                customer=str(company),
                title=response_action("low"),
                why=_("low lead (BANT {score}): nurture period over, re-score").format(score=score),
                id=int(lead_id),
                code=str(code),
                customer_id=customer_id,
                on=on,
                overdue=on < today,
                due_today=on == today,
                overdue_by=days_past(on, today),
            )
        )
    return items
