"""Opportunity stages (SPEC §6): probabilities, weighted value, forecast, staleness."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tuicrm.config import OPEN_STAGES, STAGES, Config
from tuicrm.domain.choices import canonical


class StageError(ValueError):
    pass


def check_stage(stage: str) -> str:
    value = canonical(stage or "", STAGES) or (stage or "").strip().lower()  # 谈判 → negotiation
    if value not in STAGES:
        raise StageError(f"'{stage}' is not a stage. Use one of: {', '.join(STAGES)}.")
    return value


def default_probability(stage: str, config: Config) -> int:
    return config.stage_probability[check_stage(stage)]


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES


def weighted_value(amount: Decimal, probability: int) -> Decimal:
    return (Decimal(amount) * Decimal(probability) / Decimal(100)).quantize(Decimal("0.01"))


def check_move(from_stage: str, to_stage: str, reason: str | None) -> None:
    """Moving to lost needs a reason; moving to the same stage is not a move."""
    to_stage = check_stage(to_stage)
    if from_stage == to_stage:
        raise StageError(f"The opportunity is already in {to_stage}.")
    if to_stage == "lost" and not (reason or "").strip():
        raise StageError("Moving to lost needs a reason.")


def is_stale(stage: str, last_activity: date | None, today: date, config: Config) -> bool:
    """Open and no follow-up for more than N days (per-stage N)."""
    if not is_open(stage) or last_activity is None:
        return False
    return (today - last_activity).days > config.stale_after(stage)


def period_key(day: date, by: str) -> str:
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    raise ValueError("Group the forecast by month or quarter.")


def quarter_start(day: date) -> date:
    """The first day of ``day``'s calendar quarter: the won and lost columns count from it."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_name(day: date) -> str:
    """``day``'s quarter as a column title says it: "Q4"."""
    return f"Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class ForecastRow:
    period: str
    count: int
    amount: Decimal
    weighted: Decimal


def forecast(opps: Iterable[tuple[str, Decimal, int, date | None]], by: str = "month") -> list[ForecastRow]:
    """Group open opportunities (stage, amount, probability, expected close) by period.

    Opportunities without an expected close date are grouped under "no date", last.
    """
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    weighted: dict[str, Decimal] = defaultdict(Decimal)
    for stage, amt, prob, close in opps:
        if not is_open(stage):
            continue
        key = period_key(close, by) if close else "no date"
        count[key] += 1
        amount[key] += Decimal(amt)
        weighted[key] += weighted_value(amt, prob)
    keys = sorted(k for k in count if k != "no date") + (["no date"] if "no date" in count else [])
    return [ForecastRow(k, count[k], amount[k], weighted[k]) for k in keys]


@dataclass(frozen=True)
class DealFigures:
    """What a customer's deals say about it: its status, revenue and last deal date."""

    status: str
    revenue_total: Decimal | None
    last_deal_on: date | None


# A customer whose won deals were all reopened, lost or archived is still a customer the rep
# works with: it goes back to intent, not to potential (nor to lost: losing one deal is not
# losing the customer).
STATUS_WITHOUT_WON_DEALS = "intent"

Won = tuple[Decimal, date | None]  # a live won deal: (amount, closed_on)


def deal_figures(
    status: str,
    revenue_total: Decimal | None,
    last_deal_on: date | None,
    won_before: Iterable[Won],
    won_after: Iterable[Won],
) -> DealFigures:
    """A customer's figures after a change to its deals, from its live won deals before and after.

    Revenue recorded outside the deals (imported, typed in: ``revenue_total`` less the won deals
    before) is kept; the won deals after are added to it, so a deal won twice counts once and a
    deal reopened, lost or archived takes its amount back out. The last deal date is the latest
    won close, or an outside date later than every won deal before. With a won deal the customer
    is won; a customer that was won only because of its deals goes back to
    ``STATUS_WITHOUT_WON_DEALS`` when they are gone. An unchanged set of won deals changes nothing.
    """
    before, after = sorted(won_before, key=repr), sorted(won_after, key=repr)
    if before == after:
        return DealFigures(status, revenue_total, last_deal_on)
    cent = Decimal("0.01")
    outside = max(
        Decimal(0), (revenue_total or Decimal(0)) - sum((Decimal(a) for a, _d in before), Decimal(0))
    )
    revenue: Decimal | None = (outside + sum((Decimal(a) for a, _d in after), Decimal(0))).quantize(cent)
    if not after and outside == 0:
        revenue = None
    closes_before = [d for _a, d in before if d is not None]
    outside_last = last_deal_on
    if outside_last is not None and closes_before and outside_last <= max(closes_before):
        outside_last = None  # it was a won deal's date
    last = max(
        [d for _a, d in after if d is not None] + ([outside_last] if outside_last else []), default=None
    )
    if after:
        status = status if status == "after_sales" else "won"  # 售后 is a won customer in care
    elif status in ("won", "after_sales") and before and outside == 0:
        status = STATUS_WITHOUT_WON_DEALS
    return DealFigures(status, revenue, last)


def probability_after_move(
    from_stage: str,
    to_stage: str,
    probability: int,
    probability_set: bool,
    config: Config,
    *,
    stage_default: bool = False,
) -> tuple[int, bool]:
    """(probability, probability_set) after a move: won and lost always 100 and 0; a probability
    the rep set survives a move between open stages unless they ask for the stage's default."""
    to_stage = check_stage(to_stage)
    if to_stage == "won":
        return 100, False
    if to_stage == "lost":
        return 0, False
    if probability_set and is_open(from_stage) and not stage_default:
        return probability, True
    return default_probability(to_stage, config), False


def is_overdue(stage: str, expected_close_on: date | None, today: date) -> bool:
    """An open deal whose expected close date has passed."""
    return is_open(stage) and expected_close_on is not None and expected_close_on < today
