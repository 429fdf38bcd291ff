"""The forecast: open (weighted) and won amounts by month or quarter, and won to date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from tuicrm.domain.pipeline import period_key, weighted_value
from tuicrm.domain.reports.shared import NO_DATE, money_str


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
    # The same report for each other currency the opportunities use (issue #15): one figure per
    # currency, never converted. Empty while every deal is in ``currency``.
    others: tuple[ForecastReport, ...] = ()

    def total(self, attr: str) -> Any:
        """The sum of one column over the periods (an int for counts, a Decimal for amounts)."""
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
    rows: dict[str, list[Any]] = {}

    def row(key: str) -> list[Any]:
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


def forecast_by_currency(
    open_items: Iterable[tuple[str, Decimal, int, date | None]],
    won_items: Iterable[tuple[str, Decimal, date | None]],
    *,
    by: str,
    today: date,
    currency: str,
) -> ForecastReport:
    """``forecast_report`` per currency: (currency, amount, probability, close) open and
    (currency, amount, closed on) won rows. The configured ``currency``'s report, with the
    others (alphabetical) in ``others``."""
    opens: dict[str, list[tuple[Decimal, int, date | None]]] = {}
    wons: dict[str, list[tuple[Decimal, date | None]]] = {}
    for cur, amount, probability, close in open_items:
        opens.setdefault(cur or currency, []).append((amount, probability, close))
    for cur, amount, closed in won_items:
        wons.setdefault(cur or currency, []).append((amount, closed))
    main = forecast_report(
        opens.get(currency, ()), wons.get(currency, ()), by=by, today=today, currency=currency
    )
    others = tuple(
        forecast_report(opens.get(c, ()), wons.get(c, ()), by=by, today=today, currency=c)
        for c in sorted((set(opens) | set(wons)) - {currency})
    )
    return replace(main, others=others)


def forecast_to_dict(r: ForecastReport) -> dict[str, Any]:
    out = _forecast_dict(r)
    out["other_currencies"] = [_forecast_dict(o) for o in r.others]
    return out


def _forecast_dict(r: ForecastReport) -> dict[str, Any]:
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
