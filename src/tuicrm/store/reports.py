"""Queries that feed the reports (``tuicrm.domain.reports`` does the arithmetic).

Aggregates run in SQL on the raw columns: Money columns hold integer cents, so
sums are typed ``BigInteger`` and turned into Decimal once, here. Stored
timestamps are UTC; a report's local days become UTC bounds through the local
timezone. Archived customers and opportunities (and the opportunities of archived
customers) are left out of every report.

Written for 100 000 customers / 500 000 follow-ups: ranges on ``followup.at``
use its index, archived rows are excluded with ``NOT IN (small set)`` rather
than a join, and per-customer lookups are index seeks on
``(customer_id, at)``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import pendulum
import sqlalchemy as sa
from sqlmodel import Session

from tuicrm.clock import now as clock_now
from tuicrm.config import OPEN_STAGES, Config
from tuicrm.domain import reports as rep
from tuicrm.domain.pipeline import is_stale
from tuicrm.models import Customer, FollowUp, Opportunity, Snooze, StageChange

C = Customer.__table__.c
F = FollowUp.__table__.c
O = Opportunity.__table__.c  # noqa: E741
S = StageChange.__table__.c
Z = Snooze.__table__.c
F_T = FollowUp.__table__
O_T = Opportunity.__table__
S_T = StageChange.__table__

TIER_ORDER = sa.case({"A": 0, "B": 1, "C": 2, "D": 3}, value=C.tier, else_=4)


def _cents(col):
    """A Money column read raw (integer cents), so SUM and friends stay exact integers."""
    return sa.type_coerce(col, sa.BigInteger)


def _sum_cents(col):
    return sa.func.coalesce(sa.func.sum(_cents(col)), 0)


def _raw(col):
    """A DATETIME column as its stored text (parsed with ``datetime.fromisoformat``: much faster)."""
    return sa.type_coerce(col, sa.String)


def _archived_customers():
    return sa.select(C.id).where(C.archived_at.is_not(None))


def _live_customer(col):
    return col.not_in(_archived_customers())


def _dead_opportunities():
    """Archived opportunities and those of archived customers."""
    return sa.select(O.id).where(sa.or_(O.archived_at.is_not(None), O.customer_id.in_(_archived_customers())))


def _live_opportunity():
    return sa.and_(O.archived_at.is_(None), _live_customer(O.customer_id))


def _tz():
    return pendulum.local_timezone()


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------------------------------------
# Weekly


def weekly(
    session: Session,
    config: Config,
    week: rep.IsoWeek,
    *,
    now: datetime | None = None,
    rc: rep.ReportConfig | None = None,
) -> rep.WeeklyReport:
    """The weekly report (template 3) for an ISO week, Monday to Sunday in local time."""
    rc = rc or config.reports
    conn = session.connection()
    tz = _tz()
    now = now or clock_now()
    first, end_day = week.start, week.next_start
    start_at, end_at = rep.utc_range(first, end_day, tz)
    live_customer = C.archived_at.is_(None)

    new_filter = sa.and_(
        live_customer,
        sa.or_(
            sa.and_(C.first_contact_on >= first, C.first_contact_on < end_day),
            sa.and_(C.first_contact_on.is_(None), C.created_at >= start_at, C.created_at < end_at),
        ),
    )
    new_customers, high_value = conn.execute(
        sa.select(
            sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((C.tier == "A", 1), else_=0)), 0)
        ).where(new_filter)
    ).one()

    fu_in_week = sa.and_(F.at >= start_at, F.at < end_at, _live_customer(F.customer_id))
    by_channel = {
        ch: n
        for ch, n in conn.execute(
            sa.select(F.channel, sa.func.count())
            .where(fu_in_week)
            .group_by(F.channel)
            .order_by(sa.func.count().desc(), F.channel)
        )
    }
    followed_up = conn.execute(
        sa.select(sa.func.count(sa.distinct(F.customer_id))).where(fu_in_week)
    ).scalar_one()

    sc_in_week = sa.and_(S.at >= start_at, S.at < end_at, S.opportunity_id.not_in(_dead_opportunities()))
    moved = {
        stage: n
        for stage, n in conn.execute(
            sa.select(S.to_stage, sa.func.count(sa.distinct(S.opportunity_id)))
            .where(sc_in_week, S.to_stage.in_(rep.MOVED_INTO_STAGES))
            .group_by(S.to_stage)
        )
    }
    # New opportunities: created (the move with no "from") this week, or, without any recorded
    # move (imported), by their creation time.
    new_opps = (
        conn.execute(
            sa.select(sa.func.count(sa.distinct(S.opportunity_id))).where(sc_in_week, S.from_stage.is_(None))
        ).scalar_one()
        + conn.execute(
            sa.select(sa.func.count()).where(
                _live_opportunity(),
                O.created_at >= start_at,
                O.created_at < end_at,
                ~sa.exists().where(S.opportunity_id == O.id),
            )
        ).scalar_one()
    )

    in_week = sa.and_(_live_opportunity(), O.closed_on >= first, O.closed_on < end_day)
    won_count, won_customers, won_cents = conn.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(O.customer_id)), _sum_cents(O.amount)).where(
            in_week, O.stage == "won"
        )
    ).one()
    lost_rows = list(
        conn.execute(sa.select(O.lost_reason, _cents(O.amount)).where(in_week, O.stage == "lost"))
    )
    reasons = rep.group_reasons(((r, rep.cents_to_money(c)) for r, c in lost_rows), config.lost_reasons)

    projection = rep.local_date(now, tz) < end_day
    if projection:
        overdue = conn.execute(
            sa.select(sa.func.count()).where(
                live_customer, C.next_follow_up_on.is_not(None), C.next_follow_up_on < end_day
            )
        ).scalar_one()
    else:
        overdue = pending_due_count(session, end_at, end_day)

    nxt = week.shift(1)
    focus_where = sa.and_(
        live_customer, C.next_follow_up_on >= nxt.start, C.next_follow_up_on < nxt.next_start
    )
    focus_total = conn.execute(sa.select(sa.func.count()).where(focus_where)).scalar_one()
    focus = [
        rep.FocusItem(cid, code, name, tier, _as_date(d), action)
        for cid, code, name, tier, d, action in conn.execute(
            sa.select(C.id, C.code, C.name, C.tier, C.next_follow_up_on, C.next_action)
            .where(focus_where)
            .order_by(TIER_ORDER, C.next_follow_up_on, C.name, C.id)
            .limit(rc.focus_limit)
        )
    ]

    weeks = [week.shift(-k) for k in range(rc.trend_weeks - 1, -1, -1)] if rc.trend_weeks > 0 else []
    trend = won_trend(session, weeks)

    return rep.WeeklyReport(
        week=week,
        currency=config.currency,
        new_customers=new_customers,
        new_leads=None,
        high_value_new=int(high_value),
        new_opportunities=new_opps,
        customers_followed_up=followed_up,
        follow_ups_by_channel=by_channel,
        moved_into={s: moved.get(s, 0) for s in rep.MOVED_INTO_STAGES},
        won_count=won_count,
        won_customers=won_customers,
        won_amount=rep.cents_to_money(won_cents),
        lost_count=len(lost_rows),
        lost_amount=rep.cents_to_money(sum(int(c or 0) for _r, c in lost_rows)),
        lost_reasons=reasons,
        overdue_at_week_end=overdue,
        overdue_is_projection=projection,
        focus_total=focus_total,
        focus=focus,
        trend=trend,
    )


def pending_due_count(session: Session, at: datetime, due_before: date) -> int:
    """Customers whose pending follow-up, as it stood at instant ``at``, was dated before ``due_before``.

    Rebuilt from history: the pending date is the ``next_on`` of the latest follow-up logged before
    ``at``, or the ``to_on`` of a snooze made after it. A customer with no follow-up or snooze at all
    keeps the date it was created with. (Direct edits of the date are not recorded, so not seen.)
    Each customer costs two index seeks.
    """
    conn = session.connection()
    fu_at = (
        sa.select(F.at)
        .where(F.customer_id == C.id, F.at < at)
        .order_by(F.at.desc(), F.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    fu_due = (
        sa.select(F.next_on)
        .where(F.customer_id == C.id, F.at < at)
        .order_by(F.at.desc(), F.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    sn_at = (
        sa.select(Z.at)
        .where(Z.customer_id == C.id, Z.at < at)
        .order_by(Z.at.desc(), Z.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    sn_due = (
        sa.select(Z.to_on)
        .where(Z.customer_id == C.id, Z.at < at)
        .order_by(Z.at.desc(), Z.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    # Entered before ``at`` and never followed up or snoozed since: the date it was entered with.
    # (Imported customers are "created" today with older history, so creation time only matters here.)
    never = sa.and_(
        C.created_at < at,
        ~sa.exists().where(F.customer_id == C.id),
        ~sa.exists().where(Z.customer_id == C.id),
    )
    state = (
        sa.select(
            fu_at.label("fu_at"),
            fu_due.label("fu_due"),
            sn_at.label("sn_at"),
            sn_due.label("sn_due"),
            sa.case((never, C.next_follow_up_on), else_=None).label("created_due"),
        )
        .where(C.archived_at.is_(None))
        .subquery()
    )
    due = sa.case(
        (
            sa.and_(
                state.c.sn_at.is_not(None), sa.or_(state.c.fu_at.is_(None), state.c.sn_at >= state.c.fu_at)
            ),
            state.c.sn_due,
        ),
        (state.c.fu_at.is_not(None), state.c.fu_due),
        else_=state.c.created_due,
    )
    return conn.execute(
        sa.select(sa.func.count()).select_from(state).where(due.is_not(None), due < due_before)
    ).scalar_one()


def won_trend(session: Session, weeks: list[rep.IsoWeek]) -> list[rep.WeekTrend]:
    """Won deals per ISO week (by close date) for the given weeks, oldest first."""
    if not weeks:
        return []
    lo, hi = min(weeks).start, max(weeks).next_start
    rows = session.connection().execute(
        sa.select(O.closed_on, _cents(O.amount)).where(
            O.stage == "won", _live_opportunity(), O.closed_on >= lo, O.closed_on < hi
        )
    )
    return rep.weekly_trend(weeks, ((_as_date(d), rep.cents_to_money(c)) for d, c in rows))


# ---------------------------------------------------------------------------------------------
# Funnel


def stage_histories(session: Session) -> list[rep.StageHistory]:
    """Every live opportunity with its moves in order (one without any recorded move: its current stage)."""
    conn = session.connection()
    opps = {
        oid: (rep.cents_to_money(cents), stage, _as_datetime(created))
        for oid, cents, stage, created in conn.execute(
            sa.select(O.id, _cents(O.amount), O.stage, _raw(O.created_at)).where(_live_opportunity())
        )
    }
    moves: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    parse = datetime.fromisoformat
    for oid, to_stage, at in conn.execute(
        sa.select(S.opportunity_id, S.to_stage, _raw(S.at)).order_by(S.opportunity_id, S.at, S.id)
    ):
        if oid in opps:
            moves[oid].append((to_stage, parse(at)))
    out = []
    for oid, (amount, stage, created) in opps.items():
        m = moves.get(oid) or [(stage, created)]
        out.append(rep.StageHistory(oid, amount, tuple(m), stage))
    return out


def stale_opportunities(session: Session, config: Config, today: date) -> list[rep.StaleItem]:
    """Open opportunities idle longer than the stage allows (the pipeline board's rule).

    Last activity: the customer's latest follow-up, or the opportunity's last change.
    """
    conn = session.connection()
    tz = _tz()
    last_fu = (
        sa.select(_raw(F.at))
        .where(F.customer_id == O.customer_id)
        .order_by(F.at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(O.id, O.name, C.code, C.name, O.stage, _cents(O.amount), _raw(O.updated_at), last_fu)
        .select_from(O_T.join(Customer.__table__, C.id == O.customer_id))
        .where(O.archived_at.is_(None), C.archived_at.is_(None), O.stage.in_(OPEN_STAGES))
    )
    out = []
    for oid, name, code, cname, stage, cents, updated, last_at in rows:
        dates = [rep.local_date(datetime.fromisoformat(v), tz) for v in (updated, last_at) if v is not None]
        last = max(dates) if dates else None
        if is_stale(stage, last, today, config):
            out.append(
                rep.StaleItem(
                    oid,
                    name,
                    code,
                    cname,
                    stage,
                    rep.cents_to_money(cents),
                    last,
                    (today - last).days if last else None,
                )
            )
    out.sort(key=lambda s: (-(s.idle_days or 0), -s.amount, s.opportunity_id))
    return out


def funnel(
    session: Session, config: Config, *, start: date | None, end: date, today: date
) -> rep.FunnelReport:
    """The funnel for opportunities created from ``start`` (or ever) to ``end``, as it stood at ``end``."""
    tz = _tz()
    start_at = rep.local_midnight(start, tz) if start else None
    end_at = rep.local_midnight(end + timedelta(days=1), tz)
    histories = rep.in_period(stage_histories(session), start_at, end_at)
    return rep.funnel_report(
        histories,
        start=start,
        end=end,
        currency=config.currency,
        stale=stale_opportunities(session, config, today),
    )


# ---------------------------------------------------------------------------------------------
# Forecast


def forecast(session: Session, config: Config, *, by: str, today: date) -> rep.ForecastReport:
    conn = session.connection()
    open_rows = [
        (rep.cents_to_money(c), p, _as_date(d))
        for c, p, d in conn.execute(
            sa.select(_cents(O.amount), O.probability, O.expected_close_on).where(
                _live_opportunity(), O.stage.in_(OPEN_STAGES)
            )
        )
    ]
    won_rows = [
        (rep.cents_to_money(c), _as_date(closed) or _as_date(expected))
        for c, closed, expected in conn.execute(
            sa.select(_cents(O.amount), O.closed_on, O.expected_close_on).where(
                _live_opportunity(), O.stage == "won"
            )
        )
    ]
    return rep.forecast_report(open_rows, won_rows, by=by, today=today, currency=config.currency)


# ---------------------------------------------------------------------------------------------
# Value (ABC, RFM)


def value(
    session: Session, config: Config, *, today: date, rc: rep.ReportConfig | None = None
) -> rep.ValueReport:
    """Revenue is the customer's recorded revenue total, else the sum of its won deals.

    Recency counts from the latest of: last deal date, a won deal's close date, a follow-up.
    Frequency: follow-ups logged plus deals won in the last ``rfm_window_days``.
    """
    rc = rc or config.reports
    conn = session.connection()
    tz = _tz()
    window_day = today - timedelta(days=rc.rfm_window_days)
    window_at = rep.local_midnight(window_day, tz)
    won = (
        sa.select(
            O.customer_id.label("cid"),
            _sum_cents(O.amount).label("cents"),
            sa.func.max(O.closed_on).label("last_closed"),
            sa.func.sum(sa.case((O.closed_on >= window_day, 1), else_=0)).label("recent"),
        )
        .where(O.stage == "won", O.archived_at.is_(None))
        .group_by(O.customer_id)
        .subquery()
    )
    revenue = sa.func.coalesce(_cents(C.revenue_total), won.c.cents, 0)
    base = Customer.__table__.outerjoin(won, won.c.cid == C.id)
    last_fu = (
        sa.select(_raw(F.at)).where(F.customer_id == C.id).order_by(F.at.desc()).limit(1).scalar_subquery()
    )
    recent_fu = sa.select(sa.func.count()).where(F.customer_id == C.id, F.at >= window_at).scalar_subquery()
    rows = conn.execute(
        sa.select(
            C.id,
            C.code,
            C.name,
            C.tier,
            revenue,
            C.last_deal_on,
            won.c.last_closed,
            won.c.recent,
            last_fu,
            recent_fu,
        )
        .select_from(base)
        .where(C.archived_at.is_(None), revenue > 0)
    )
    items = []
    for cid, code, name, tier, cents, last_deal, last_closed, won_recent, last_at, fu_recent in rows:
        dates = [d for d in (_as_date(last_deal), _as_date(last_closed)) if d]
        if last_at is not None:
            dates.append(rep.local_date(datetime.fromisoformat(last_at), tz))
        items.append(
            rep.ValueInput(
                cid,
                code,
                name,
                tier,
                rep.cents_to_money(cents),
                max(dates) if dates else None,
                int(won_recent or 0) + int(fu_recent or 0),
            )
        )
    others = conn.execute(
        sa.select(sa.func.count()).select_from(base).where(C.archived_at.is_(None), sa.not_(revenue > 0))
    ).scalar_one()
    return rep.value_report(items, today=today, currency=config.currency, rc=rc, others=others)


# ---------------------------------------------------------------------------------------------
# Lost


def lost(
    session: Session, config: Config, *, start: date | None = None, end: date | None = None
) -> rep.LostReport:
    """Lost deals closed from ``start`` to ``end`` (inclusive, either open), by reason and by the stage lost from."""
    conn = session.connection()
    lost_from = (
        sa.select(S.from_stage)
        .where(S.opportunity_id == O.id, S.to_stage == "lost")
        .order_by(S.at.desc(), S.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    q = sa.select(O.lost_reason, _cents(O.amount), lost_from).where(O.stage == "lost", _live_opportunity())
    if start:
        q = q.where(O.closed_on >= start)
    if end:
        q = q.where(O.closed_on <= end)
    items = [(reason, rep.cents_to_money(cents), stage) for reason, cents, stage in conn.execute(q)]
    return rep.lost_report(items, start=start, end=end, currency=config.currency, known=config.lost_reasons)


__all__ = [
    "weekly",
    "funnel",
    "forecast",
    "value",
    "lost",
    "won_trend",
    "pending_due_count",
    "stage_histories",
    "stale_opportunities",
]
