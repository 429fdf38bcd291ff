"""The weekly report (template 003 §三): a week's numbers, next week's focus list, the won trend."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tuicrm.domain.agenda import WeekKpi
from tuicrm.domain.reports.lost import ReasonRow
from tuicrm.domain.reports.shared import money_str
from tuicrm.domain.reports.weeks import IsoWeek, week_of


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
class WeeklyReport:
    week: IsoWeek
    currency: str
    new_customers: int
    new_leads: int | None  # 线索新增量: leads created in the week (None: no lead table)
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
    # Template 003's activity KPI: activities planned in the week (not cancelled), and done.
    activities: WeekKpi = field(default_factory=lambda: WeekKpi(0, 0))
    # 高价值线索数 (template 004): of the week's new leads, those scored high (BANT ≥ 8).
    high_value_leads: int | None = None
    # After the deal (issue #18), in the configured currency: payments dated in the week, and
    # the receivables still open at its end (amount − what was paid by then).
    received_count: int = 0
    received_amount: Decimal = Decimal("0.00")
    outstanding_count: int = 0
    outstanding_amount: Decimal = Decimal("0.00")

    @property
    def follow_ups(self) -> int:
        return sum(self.follow_ups_by_channel.values())

    @property
    def focus_week(self) -> IsoWeek:
        return self.week.shift(1)


def weekly_to_dict(r: WeeklyReport) -> dict[str, Any]:
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
        "high_value_leads": r.high_value_leads,
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
        "received": {"count": r.received_count, "amount": money_str(r.received_amount)},
        "outstanding": {"count": r.outstanding_count, "amount": money_str(r.outstanding_amount)},
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
                    "next_follow_up_on": f.next_on.isoformat(),
                    "next_on": f.next_on.isoformat(),  # the old name, kept for one release (docs/cli.md)
                    "next_action": f.next_action,
                }
                for f in r.focus
            ],
        },
        "trend": [
            {"week": str(t.week), "won_count": t.won_count, "won_amount": money_str(t.won_amount)}
            for t in r.trend
        ],
        "activities": {
            "planned": r.activities.planned,
            "done": r.activities.done,
            "completion_rate": r.activities.completion_rate,
        },
    }


def weekly_trend(weeks: Sequence[IsoWeek], won: Iterable[tuple[date, Decimal]]) -> list[WeekTrend]:
    """Won deals (closed_on, amount) bucketed into the given weeks; weeks without any are zeros."""
    # Summed by day first: a deal costs a dict update, a day one ``week_of`` (thousands of deals
    # fall on a few dozen days). Decimal sums of money are exact, so the grouping changes nothing.
    day_count: dict[date, int] = defaultdict(int)
    day_amount: dict[date, Decimal] = defaultdict(Decimal)
    for closed_on, amt in won:
        day_count[closed_on] += 1
        day_amount[closed_on] += Decimal(amt)
    count: dict[IsoWeek, int] = defaultdict(int)
    amount: dict[IsoWeek, Decimal] = defaultdict(Decimal)
    wanted = set(weeks)
    for day, n in day_count.items():
        w = week_of(day)
        if w in wanted:
            count[w] += n
            amount[w] += day_amount[day]
    return [WeekTrend(w, count[w], amount[w].quantize(Decimal("0.01"))) for w in weeks]
