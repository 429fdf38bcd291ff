"""Report arithmetic (SPEC §6, templates 003 §三 and 004 template 3). Pure: no I/O, no clock.

The store (``tuicrm.store.reports``) runs the queries and hands plain rows to the
functions here; the CLI and the Reports screen render the dataclasses they return.

- ISO weeks: Monday to Sunday in *local* time; ``utc_range`` turns local days into the
  UTC instants stored in the database.
- Funnel: an opportunity *reached* a stage when it got there or further along
  lead → need → proposal → negotiation → won, so conversions never exceed 100 %.
- ABC: customers by revenue, largest first; A is the smallest group of top customers
  that makes up 70 % of revenue, B the next 20 %, C the rest (thresholds in ``ReportConfig``).
- RFM: recency / frequency / monetary scored 1–5 against fixed thresholds.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tuicrm.config import DEFAULT, ReportConfig  # noqa: F401  (re-exported for callers)
from tuicrm.domain.pipeline import period_key, weighted_value

# Report settings live with every other number, in tuicrm.config.
DEFAULT_REPORT_CONFIG = DEFAULT.reports

FUNNEL_STAGES = ("lead", "need", "proposal", "negotiation", "won")
MOVED_INTO_STAGES = ("need", "proposal", "negotiation")
GRADES = ("A", "B", "C", "D")
NO_REASON = "(no reason)"
NO_DATE = "no date"

# ---------------------------------------------------------------------------------------------
# ISO weeks in local time


class WeekError(ValueError):
    """A week the rep typed that is not one."""


WEEK_FORMS = "2026-W47, W47, this, last, next, or a date in the week (2026-11-18, -1w)"
_WEEK = re.compile(r"^(?:(\d{4})-?)?w(\d{1,2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @property
    def start(self) -> date:
        """Monday."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        """Sunday (the last day, inclusive)."""
        return self.start + timedelta(days=6)

    @property
    def next_start(self) -> date:
        """The following Monday (exclusive bound)."""
        return self.start + timedelta(days=7)

    def shift(self, weeks: int) -> IsoWeek:
        return week_of(self.start + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def week_of(day: date) -> IsoWeek:
    y, w, _ = day.isocalendar()
    return IsoWeek(y, w)


def iso_week(year: int, week: int) -> IsoWeek:
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(f"{year} has no ISO week {week}.") from None
    return IsoWeek(year, week)


def parse_week(text: str | None, today: date) -> IsoWeek:
    """``2026-W47``/``2026W47``/``W47`` (this year)/``this``/``last``/``next``, or any date form in the week."""
    raw = re.sub(r"\s+", "", (text or "").strip().lower())
    if raw in ("", "this", "current"):
        return week_of(today)
    if raw in ("last", "previous", "prev"):
        return week_of(today - timedelta(days=7))
    if raw == "next":
        return week_of(today + timedelta(days=7))
    m = _WEEK.match(raw)
    if m:
        year = int(m.group(1)) if m.group(1) else today.isocalendar()[0]
        return iso_week(year, int(m.group(2)))
    from tuicrm.domain.dates import DateInputError, parse_date_input

    try:
        day = parse_date_input(text or "", today, allow_auto=False)
    except DateInputError:
        raise WeekError(f"'{(text or '').strip()}' is not a week. Use {WEEK_FORMS}.") from None
    return week_of(day)


def local_midnight(day: date, tz) -> datetime:
    """The start of a local calendar day in ``tz`` (a pendulum/zoneinfo timezone), as aware UTC."""
    import pendulum

    start = pendulum.datetime(day.year, day.month, day.day, tz=tz).in_timezone("UTC")
    return datetime(start.year, start.month, start.day, start.hour, start.minute, start.second, tzinfo=UTC)


def utc_range(first_day: date, end_day: date, tz) -> tuple[datetime, datetime]:
    """Local days ``first_day`` up to (excluding) ``end_day`` as a half-open UTC interval."""
    return local_midnight(first_day, tz), local_midnight(end_day, tz)


def local_date(value: datetime, tz) -> date:
    """A stored (UTC, naive or aware) timestamp as a local calendar date (``tz``: any tzinfo)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).date()


# ---------------------------------------------------------------------------------------------
# Small arithmetic


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def rate(part: int, whole: int) -> float | None:
    """part / whole as a ratio (0.6 = 60 %), or None when there is nothing to divide."""
    if not whole:
        return None
    return round(part / whole, 4)


def cents_to_money(cents: int | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def money_str(value: Decimal | None) -> str:
    """For JSON: a plain decimal string with two places ("50000.00")."""
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def money_label(value: Decimal | None) -> str:
    """For people: thousands separators, cents only when there are some ("50,000", "1,234.50")."""
    v = Decimal(value or 0).quantize(Decimal("0.01"))
    return f"{v:,.0f}" if v == v.to_integral_value() else f"{v:,.2f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 deal``, ``2 deals``; ``many`` for irregular plurals."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def percent_label(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f} %"


# ---------------------------------------------------------------------------------------------
# Weekly report


@dataclass(frozen=True)
class FocusItem:
    customer_id: int
    code: str
    name: str
    tier: str
    next_on: date
    next_action: str | None


@dataclass(frozen=True)
class WeekTrend:
    week: IsoWeek
    won_count: int
    won_amount: Decimal


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class WeeklyReport:
    week: IsoWeek
    currency: str
    new_customers: int
    new_leads: int | None  # None until leads exist (SPEC §2, later waves)
    high_value_new: int
    new_opportunities: int
    customers_followed_up: int
    follow_ups_by_channel: dict[str, int]
    moved_into: dict[str, int]
    won_count: int
    won_customers: int
    won_amount: Decimal
    lost_count: int
    lost_amount: Decimal
    lost_reasons: list[ReasonRow]
    overdue_at_week_end: int
    overdue_is_projection: bool  # the week has not ended: "due by its end and not done yet"
    focus_total: int
    focus: list[FocusItem]
    trend: list[WeekTrend] = field(default_factory=list)

    @property
    def follow_ups(self) -> int:
        return sum(self.follow_ups_by_channel.values())

    @property
    def focus_week(self) -> IsoWeek:
        return self.week.shift(1)


def weekly_to_dict(r: WeeklyReport) -> dict:
    nxt = r.focus_week
    return {
        "report": "weekly",
        "week": str(r.week),
        "from": r.week.start.isoformat(),
        "to": r.week.end.isoformat(),
        "currency": r.currency,
        "new_customers": r.new_customers,
        "new_leads": r.new_leads,
        "high_value_new": r.high_value_new,
        "new_opportunities": r.new_opportunities,
        "customers_followed_up": r.customers_followed_up,
        "follow_ups": {"total": r.follow_ups, "by_channel": dict(r.follow_ups_by_channel)},
        "moved_into": dict(r.moved_into),
        "won": {"count": r.won_count, "customers": r.won_customers, "amount": money_str(r.won_amount)},
        "lost": {
            "count": r.lost_count,
            "amount": money_str(r.lost_amount),
            "reasons": [
                {"reason": x.reason, "count": x.count, "amount": money_str(x.amount)} for x in r.lost_reasons
            ],
        },
        "overdue_at_week_end": r.overdue_at_week_end,
        "overdue_is_projection": r.overdue_is_projection,
        "focus": {
            "week": str(nxt),
            "from": nxt.start.isoformat(),
            "to": nxt.end.isoformat(),
            "total": r.focus_total,
            "items": [
                {
                    "customer_id": f.customer_id,
                    "code": f.code,
                    "name": f.name,
                    "tier": f.tier,
                    "next_on": f.next_on.isoformat(),
                    "next_action": f.next_action,
                }
                for f in r.focus
            ],
        },
        "trend": [
            {"week": str(t.week), "won_count": t.won_count, "won_amount": money_str(t.won_amount)}
            for t in r.trend
        ],
    }


def weekly_trend(weeks: Sequence[IsoWeek], won: Iterable[tuple[date, Decimal]]) -> list[WeekTrend]:
    """Won deals (closed_on, amount) bucketed into the given weeks; weeks without any are zeros."""
    count: dict[IsoWeek, int] = defaultdict(int)
    amount: dict[IsoWeek, Decimal] = defaultdict(Decimal)
    wanted = set(weeks)
    for closed_on, amt in won:
        w = week_of(closed_on)
        if w in wanted:
            count[w] += 1
            amount[w] += Decimal(amt)
    return [WeekTrend(w, count[w], amount[w].quantize(Decimal("0.01"))) for w in weeks]


# ---------------------------------------------------------------------------------------------
# Lost reasons


def group_reasons(items: Iterable[tuple[str | None, Decimal]], known: Sequence[str] = ()) -> list[ReasonRow]:
    """Count lost deals by reason, case- and space-insensitively.

    A reason matching a configured one takes its spelling; otherwise the first spelling seen wins.
    Most frequent first, then the larger amount, then alphabetical.
    """
    canon = {_reason_key(k): k for k in known}
    label: dict[str, str] = {}
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    for reason, amt in items:
        key = _reason_key(reason)
        if not key:
            key, shown = "", NO_REASON
        else:
            shown = canon.get(key) or " ".join((reason or "").split())
        label.setdefault(key, shown)
        count[key] += 1
        amount[key] += Decimal(amt or 0)
    rows = [ReasonRow(label[k], count[k], amount[k].quantize(Decimal("0.01"))) for k in count]
    return sorted(rows, key=lambda r: (-r.count, -r.amount, r.reason.lower()))


def _reason_key(reason: str | None) -> str:
    return " ".join((reason or "").lower().split())


@dataclass(frozen=True)
class LostReport:
    start: date | None
    end: date | None
    currency: str
    count: int
    amount: Decimal
    reasons: list[ReasonRow]
    by_stage: dict[str, int]  # the stage a deal was in when it was lost


def lost_to_dict(r: LostReport) -> dict:
    return {
        "report": "lost",
        "from": r.start.isoformat() if r.start else None,
        "to": r.end.isoformat() if r.end else None,
        "currency": r.currency,
        "count": r.count,
        "amount": money_str(r.amount),
        "reasons": [
            {
                "reason": x.reason,
                "count": x.count,
                "amount": money_str(x.amount),
                "share": rate(x.count, r.count),
            }
            for x in r.reasons
        ],
        "lost_at_stage": dict(r.by_stage),
    }


def lost_report(
    items: Iterable[tuple[str | None, Decimal, str | None]],
    *,
    start: date | None,
    end: date | None,
    currency: str,
    known: Sequence[str] = (),
) -> LostReport:
    """``items``: (reason, amount, stage it was lost from)."""
    items = list(items)
    by_stage: dict[str, int] = defaultdict(int)
    for _reason, _amt, stage in items:
        by_stage[stage or "unknown"] += 1
    order = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    by_stage_sorted = dict(sorted(by_stage.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
    total = sum((Decimal(a or 0) for _r, a, _s in items), Decimal(0)).quantize(Decimal("0.01"))
    return LostReport(
        start,
        end,
        currency,
        len(items),
        total,
        group_reasons(((r, a) for r, a, _s in items), known),
        by_stage_sorted,
    )


# ---------------------------------------------------------------------------------------------
# Funnel


@dataclass(frozen=True)
class StageHistory:
    """One opportunity's moves ``(to_stage, at)`` in order; the first is its creation."""

    opportunity_id: int
    amount: Decimal
    moves: tuple[tuple[str, datetime], ...]
    current: str | None = None  # the stage it is in now, when known (None: the last move's stage)

    @property
    def stage(self) -> str:
        return self.current or self.moves[-1][0]


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    reached: int  # got to this stage or further
    amount: Decimal  # their amounts
    next_stage: str | None
    conversion: float | None  # reached(next) / reached(this)
    median_days: float | None  # over finished stays in this stage
    stays: int  # finished stays the median is taken over
    now: int  # sitting in this stage at the end of the period
    lost_here: int  # lost while in this stage


@dataclass(frozen=True)
class StaleItem:
    opportunity_id: int
    name: str
    customer_code: str
    customer_name: str
    stage: str
    amount: Decimal
    last_activity: date | None
    idle_days: int | None


@dataclass(frozen=True)
class FunnelReport:
    start: date | None
    end: date
    currency: str
    opportunities: int
    amount: Decimal
    stages: list[FunnelStage]
    by_current_stage: dict[str, tuple[int, Decimal]]  # stage as of the end → (count, amount)
    overall_conversion: float | None  # lead → won
    stale: list[StaleItem]

    def current(self, stage: str) -> tuple[int, Decimal]:
        return self.by_current_stage.get(stage, (0, Decimal("0.00")))


def furthest_stage(moves: Sequence[tuple[str, datetime]], current: str | None = None) -> int:
    """Index into FUNNEL_STAGES of the furthest stage reached (-1: never in the funnel, e.g. created lost)."""
    best = -1
    for stage in [m[0] for m in moves] + [current]:
        if stage in FUNNEL_STAGES:
            best = max(best, FUNNEL_STAGES.index(stage))
    return best


def in_period(
    histories: Iterable[StageHistory], start_at: datetime | None, end_at: datetime
) -> list[StageHistory]:
    """The cohort for a funnel: opportunities created (first move) in ``[start_at, end_at)``,
    with their moves cut at ``end_at`` (the funnel as it stood at the end of the period).

    Naive timestamps are UTC; the bounds are matched to the moves' kind once, not per move.
    """
    ends = (_naive(end_at), _aware(end_at))
    starts = (_naive(start_at), _aware(start_at)) if start_at is not None else None
    out = []
    for h in histories:
        if not h.moves:
            continue
        created = h.moves[0][1]
        aware = created.tzinfo is not None
        end = ends[aware]
        if created >= end or (starts is not None and created < starts[aware]):
            continue
        moves = h.moves if h.moves[-1][1] < end else tuple(m for m in h.moves if m[1] < end)
        # Its stage today still holds at the end of the period if no later move was cut off.
        out.append(StageHistory(h.opportunity_id, h.amount, moves, h.current if moves == h.moves else None))
    return out


def _naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def stage_stays(moves: Sequence[tuple[str, datetime]]) -> list[tuple[str, float | None]]:
    """(stage, days spent) per stay; the last stay is unfinished (None)."""
    out: list[tuple[str, float | None]] = []
    for i, (stage, at) in enumerate(moves):
        if i + 1 < len(moves):
            nxt = moves[i + 1][1]
            out.append((stage, (nxt - at).total_seconds() / 86400))
        else:
            out.append((stage, None))
    return out


def funnel_report(
    histories: Iterable[StageHistory],
    *,
    start: date | None,
    end: date,
    currency: str,
    stale: list[StaleItem] | None = None,
) -> FunnelReport:
    """Conversions, amounts and median days per stage over opportunities whose moves are already cut at ``end``."""
    n_stages = len(FUNNEL_STAGES)
    reached = [0] * n_stages
    reached_amount = [Decimal(0)] * n_stages
    durations: dict[str, list[float]] = defaultdict(list)
    now: dict[str, int] = defaultdict(int)
    lost_here: dict[str, int] = defaultdict(int)
    current: dict[str, list] = {}
    count = 0
    total = Decimal(0)
    for h in histories:
        if not h.moves:
            continue
        count += 1
        amount = Decimal(h.amount or 0)
        total += amount
        top = furthest_stage(h.moves, h.current)
        for i in range(top + 1):
            reached[i] += 1
            reached_amount[i] += amount
        for stage, days in stage_stays(h.moves):
            if days is not None:
                durations[stage].append(days)
        last = h.stage
        now[last] += 1
        cur = current.setdefault(last, [0, Decimal(0)])
        cur[0] += 1
        cur[1] += amount
        if last == "lost":
            lost_here[_lost_from(h.moves)] += 1
    stages = []
    for i, stage in enumerate(FUNNEL_STAGES):
        nxt = FUNNEL_STAGES[i + 1] if i + 1 < n_stages else None
        terminal = stage == "won"
        stages.append(
            FunnelStage(
                stage=stage,
                reached=reached[i],
                amount=reached_amount[i].quantize(Decimal("0.01")),
                next_stage=nxt,
                conversion=rate(reached[i + 1], reached[i]) if nxt else None,
                median_days=None if terminal else _round1(median(durations.get(stage, []))),
                stays=0 if terminal else len(durations.get(stage, [])),
                now=now.get(stage, 0),
                lost_here=lost_here.get(stage, 0),
            )
        )
    order = {s: i for i, s in enumerate(FUNNEL_STAGES + ("lost",))}
    by_current = {
        s: (v[0], v[1].quantize(Decimal("0.01")))
        for s, v in sorted(current.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    }
    return FunnelReport(
        start,
        end,
        currency,
        count,
        total.quantize(Decimal("0.01")),
        stages,
        by_current,
        rate(reached[-1], reached[0]),
        list(stale or []),
    )


def _lost_from(moves: Sequence[tuple[str, datetime]]) -> str:
    """The stage before the last move into lost ("unknown" when it was created lost)."""
    for i in range(len(moves) - 1, 0, -1):
        if moves[i][0] == "lost":
            return moves[i - 1][0]
    return "unknown"


def _round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def funnel_to_dict(r: FunnelReport) -> dict:
    return {
        "report": "funnel",
        "from": r.start.isoformat() if r.start else None,
        "to": r.end.isoformat(),
        "currency": r.currency,
        "opportunities": r.opportunities,
        "amount": money_str(r.amount),
        "overall_conversion": r.overall_conversion,
        "stages": [
            {
                "stage": s.stage,
                "reached": s.reached,
                "amount": money_str(s.amount),
                "next": s.next_stage,
                "conversion_to_next": s.conversion,
                "median_days": s.median_days,
                "stays": s.stays,
                "now": s.now,
                "lost_here": s.lost_here,
            }
            for s in r.stages
        ],
        "by_current_stage": {
            k: {"count": c, "amount": money_str(a)} for k, (c, a) in r.by_current_stage.items()
        },
        "stale": {
            "count": len(r.stale),
            "items": [
                {
                    "opportunity_id": s.opportunity_id,
                    "name": s.name,
                    "customer_code": s.customer_code,
                    "customer_name": s.customer_name,
                    "stage": s.stage,
                    "amount": money_str(s.amount),
                    "last_activity": s.last_activity.isoformat() if s.last_activity else None,
                    "idle_days": s.idle_days,
                }
                for s in r.stale
            ],
        },
    }


# ---------------------------------------------------------------------------------------------
# Forecast


@dataclass(frozen=True)
class ForecastPeriod:
    period: str
    open_count: int
    open_amount: Decimal
    weighted: Decimal
    won_count: int
    won_amount: Decimal
    when: str  # past | current | future | none


@dataclass(frozen=True)
class ForecastReport:
    by: str
    today: date
    currency: str
    periods: list[ForecastPeriod]
    won_ytd_count: int
    won_ytd_amount: Decimal

    def total(self, attr: str):
        return sum((getattr(p, attr) for p in self.periods), Decimal(0) if "count" not in attr else 0)


def forecast_report(
    open_items: Iterable[tuple[Decimal, int, date | None]],
    won_items: Iterable[tuple[Decimal, date | None]],
    *,
    by: str,
    today: date,
    currency: str,
) -> ForecastReport:
    """Open (amount, probability, expected close) and won (amount, closed on) opportunities by period.

    Open deals without an expected close date, and won deals without a close date, go under "no date".
    """
    if by not in ("month", "quarter"):
        raise ValueError("Group the forecast by month or quarter.")
    rows: dict[str, list] = {}

    def row(key: str) -> list:
        return rows.setdefault(key, [0, Decimal(0), Decimal(0), 0, Decimal(0)])

    for amount, probability, close in open_items:
        r = row(period_key(close, by) if close else NO_DATE)
        r[0] += 1
        r[1] += Decimal(amount)
        r[2] += weighted_value(Decimal(amount), probability)
    ytd_count, ytd_amount = 0, Decimal(0)
    year_start = date(today.year, 1, 1)
    for amount, closed in won_items:
        r = row(period_key(closed, by) if closed else NO_DATE)
        r[3] += 1
        r[4] += Decimal(amount)
        if closed and year_start <= closed <= today:
            ytd_count += 1
            ytd_amount += Decimal(amount)
    now_key = period_key(today, by)
    keys = sorted(k for k in rows if k != NO_DATE) + ([NO_DATE] if NO_DATE in rows else [])
    q = Decimal("0.01")
    periods = [
        ForecastPeriod(
            k,
            rows[k][0],
            rows[k][1].quantize(q),
            rows[k][2].quantize(q),
            rows[k][3],
            rows[k][4].quantize(q),
            "none"
            if k == NO_DATE
            else ("current" if k == now_key else ("past" if k < now_key else "future")),
        )
        for k in keys
    ]
    return ForecastReport(by, today, currency, periods, ytd_count, ytd_amount.quantize(q))


def forecast_to_dict(r: ForecastReport) -> dict:
    return {
        "report": "forecast",
        "by": r.by,
        "today": r.today.isoformat(),
        "currency": r.currency,
        "periods": [
            {
                "period": p.period,
                "when": p.when,
                "open_count": p.open_count,
                "open_amount": money_str(p.open_amount),
                "weighted": money_str(p.weighted),
                "won_count": p.won_count,
                "won_amount": money_str(p.won_amount),
            }
            for p in r.periods
        ],
        "totals": {
            "open_count": r.total("open_count"),
            "open_amount": money_str(r.total("open_amount")),
            "weighted": money_str(r.total("weighted")),
            "won_count": r.total("won_count"),
            "won_amount": money_str(r.total("won_amount")),
        },
        "won_to_date": {
            "since": date(r.today.year, 1, 1).isoformat(),
            "count": r.won_ytd_count,
            "amount": money_str(r.won_ytd_amount),
        },
    }


# ---------------------------------------------------------------------------------------------
# Value: ABC and RFM


def abc_classes(
    revenues: Sequence[Decimal], a_share: Decimal = Decimal("0.70"), b_share: Decimal = Decimal("0.20")
) -> list[str]:
    """Classes for revenues already sorted largest first.

    A customer is A when the customers ranked above it make less than ``a_share`` of the total
    (so the top customer is always A), B when they make less than ``a_share + b_share``, else C.
    """
    total = sum((Decimal(r) for r in revenues), Decimal(0))
    if total <= 0:
        return ["C"] * len(revenues)
    a_cut = total * Decimal(str(a_share))
    b_cut = total * (Decimal(str(a_share)) + Decimal(str(b_share)))
    out, before = [], Decimal(0)
    for r in revenues:
        out.append("A" if before < a_cut else ("B" if before < b_cut else "C"))
        before += Decimal(r)
    return out


def score_low_is_good(value: float | None, thresholds: Sequence[float]) -> int:
    """Recency: 5 at or under the first threshold, one less per threshold passed; None (never) → 1."""
    if value is None:
        return 1
    return len(thresholds) + 1 - sum(1 for t in thresholds if value > t)


def score_high_is_good(value: float | None, thresholds: Sequence[float]) -> int:
    """Frequency and monetary: 1, plus one for each threshold reached."""
    if value is None:
        return 1
    return 1 + sum(1 for t in thresholds if value >= t)


@dataclass(frozen=True)
class ValueInput:
    customer_id: int
    code: str
    name: str
    tier: str
    revenue: Decimal
    last_activity: date | None  # last deal or follow-up
    frequency: int  # won deals + follow-ups in the RFM window


@dataclass(frozen=True)
class ValueRow:
    customer_id: int
    code: str
    name: str
    tier: str
    revenue: Decimal
    share: float
    cumulative_share: float
    abc: str
    last_activity: date | None
    recency_days: int | None
    frequency: int
    r: int
    f: int
    m: int

    @property
    def rfm(self) -> str:
        return f"{self.r}{self.f}{self.m}"


@dataclass(frozen=True)
class ReviewItem:
    row: ValueRow
    suggestion: str  # raise | lower | assess
    reason: str


@dataclass(frozen=True)
class ValueReport:
    today: date
    currency: str
    config: ReportConfig
    revenue_total: Decimal
    rows: list[ValueRow]  # customers with revenue, largest first
    no_revenue: int  # active customers without revenue (not classified)
    review: list[ReviewItem]

    def summary(self) -> dict[str, tuple[int, Decimal]]:
        out = {k: [0, Decimal(0)] for k in ("A", "B", "C")}
        for r in self.rows:
            out[r.abc][0] += 1
            out[r.abc][1] += r.revenue
        return {k: (v[0], v[1].quantize(Decimal("0.01"))) for k, v in out.items()}


def value_report(
    items: Iterable[ValueInput],
    *,
    today: date,
    currency: str,
    rc: ReportConfig = DEFAULT_REPORT_CONFIG,
    others: int = 0,
) -> ValueReport:
    """ABC and RFM over ``items``; ``others`` counts further customers already known to have no revenue."""
    items = list(items)
    paying = sorted((i for i in items if i.revenue and i.revenue > 0), key=lambda i: (-i.revenue, i.code))
    classes = abc_classes([i.revenue for i in paying], rc.abc_a_share, rc.abc_b_share)
    total = sum((i.revenue for i in paying), Decimal(0))
    rows, cumulative = [], Decimal(0)
    for item, abc in zip(paying, classes, strict=True):
        cumulative += item.revenue
        recency = (today - item.last_activity).days if item.last_activity else None
        rows.append(
            ValueRow(
                item.customer_id,
                item.code,
                item.name,
                item.tier,
                item.revenue.quantize(Decimal("0.01")),
                round(float(item.revenue / total), 4),
                round(float(cumulative / total), 4),
                abc,
                item.last_activity,
                recency,
                item.frequency,
                score_low_is_good(recency, rc.rfm_recency_days),
                score_high_is_good(item.frequency, rc.rfm_frequency_counts),
                score_high_is_good(float(item.revenue), rc.rfm_monetary_amounts),
            )
        )
    review = [x for x in (review_tier(r, rc) for r in rows) if x is not None]
    return ValueReport(
        today, currency, rc, total.quantize(Decimal("0.01")), rows, len(items) - len(paying) + others, review
    )


def review_tier(row: ValueRow, rc: ReportConfig = DEFAULT_REPORT_CONFIG) -> ReviewItem | None:
    """Flag a customer whose tier and value class are ``review_tier_gap`` or more grades apart."""
    tier = row.tier if row.tier in GRADES else "D"
    gap = GRADES.index(tier) - GRADES.index(row.abc)
    if abs(gap) < max(1, rc.review_tier_gap):
        return None
    if tier == "D":
        return ReviewItem(row, "assess", f"not assessed yet; revenue puts it in value class {row.abc}")
    if gap > 0:
        return ReviewItem(row, "raise", f"tier {tier} but value class {row.abc}: worth more than its tier")
    return ReviewItem(row, "lower", f"tier {tier} but value class {row.abc}: check its potential")


def value_to_dict(r: ValueReport) -> dict:
    rc = r.config
    return {
        "report": "value",
        "today": r.today.isoformat(),
        "currency": r.currency,
        "settings": {
            "abc_a_share": float(rc.abc_a_share),
            "abc_b_share": float(rc.abc_b_share),
            "rfm_recency_days": list(rc.rfm_recency_days),
            "rfm_frequency_counts": list(rc.rfm_frequency_counts),
            "rfm_monetary_amounts": list(rc.rfm_monetary_amounts),
            "rfm_window_days": rc.rfm_window_days,
        },
        "revenue_total": money_str(r.revenue_total),
        "classes": {
            k: {
                "customers": c,
                "revenue": money_str(a),
                "share": round(float(a / r.revenue_total), 4) if r.revenue_total else None,
            }
            for k, (c, a) in r.summary().items()
        },
        "no_revenue": r.no_revenue,
        "customers": [_value_row_dict(x) for x in r.rows],
        "review_tier": [
            {**_value_row_dict(x.row), "suggestion": x.suggestion, "reason": x.reason} for x in r.review
        ],
    }


def _value_row_dict(x: ValueRow) -> dict:
    return {
        "customer_id": x.customer_id,
        "code": x.code,
        "name": x.name,
        "tier": x.tier,
        "revenue": money_str(x.revenue),
        "share": x.share,
        "cumulative_share": x.cumulative_share,
        "abc": x.abc,
        "last_activity": x.last_activity.isoformat() if x.last_activity else None,
        "recency_days": x.recency_days,
        "frequency": x.frequency,
        "r": x.r,
        "f": x.f,
        "m": x.m,
        "rfm": x.rfm,
    }
