"""The funnel: an opportunity *reached* a stage when it got there or further along
lead → need → proposal → negotiation → won, so conversions never exceed 100 %."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from tuicrm.domain.reports.shared import FUNNEL_STAGES, median, money_str, rate


class StageHistory(NamedTuple):  # a tuple: a funnel has one per opportunity
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


class StaleItem(NamedTuple):  # a tuple: thousands in a large pipeline
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


_STAGE_INDEX = {stage: i for i, stage in enumerate(FUNNEL_STAGES)}


def furthest_stage(moves: Sequence[tuple[str, datetime]], current: str | None = None) -> int:
    """Index into FUNNEL_STAGES of the furthest stage reached (-1: never in the funnel, e.g. created lost)."""
    index = _STAGE_INDEX.get
    return max(-1, index(current, -1) if current is not None else -1, *(index(m[0], -1) for m in moves))


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
        if h.moves[-1][1] < end:
            out.append(h)  # nothing cut off: its stage today still holds at the end of the period
            continue
        moves = tuple(m for m in h.moves if m[1] < end)
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
    current: dict[str, list[Any]] = {}
    count = 0
    total = Decimal(0)
    # Per furthest stage first, summed down to every stage before it at the end (the same exact
    # Decimal sums: one addition per opportunity instead of one per stage it reached).
    at_top = [0] * (n_stages + 1)  # index top + 1 (0: never in the funnel)
    amount_at_top = [Decimal(0)] * (n_stages + 1)
    index = _STAGE_INDEX.get
    for h in histories:
        moves = h.moves
        if not moves:
            continue
        count += 1
        given = h.amount
        amount = given if type(given) is Decimal and given else Decimal(given or 0)  # (a Decimal: itself)
        total += amount
        # The furthest stage (furthest_stage) and stage_stays' finished stays, in one pass.
        top = -1 if h.current is None else index(h.current, -1)
        stage, at = moves[0]
        top = max(top, index(stage, -1))
        for next_stage, next_at in moves[1:]:
            durations[stage].append((next_at - at).total_seconds() / 86400)
            reached_here = index(next_stage, -1)
            if reached_here > top:
                top = reached_here
            stage, at = next_stage, next_at
        at_top[top + 1] += 1
        amount_at_top[top + 1] += amount
        last = h.current or moves[-1][0]  # h.stage
        now[last] += 1
        cur = current.get(last)
        if cur is None:
            cur = current[last] = [0, Decimal(0)]
        cur[0] += 1
        cur[1] += amount
        if last == "lost":
            lost_here[_lost_from(h.moves)] += 1
    running, running_amount = 0, Decimal(0)
    for i in range(n_stages - 1, -1, -1):
        running += at_top[i + 1]
        running_amount += amount_at_top[i + 1]
        reached[i], reached_amount[i] = running, running_amount
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


def funnel_to_dict(r: FunnelReport) -> dict[str, Any]:
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
                    "id": s.opportunity_id,
                    "name": s.name,
                    "customer": {"code": s.customer_code, "name": s.customer_name},
                    # the old names, kept for one release (docs/cli.md)
                    "opportunity_id": s.opportunity_id,
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


_STALE_ITEM = (
    "      {\n"
    '        "id": %d,\n'
    '        "name": %s,\n'
    '        "customer": {\n'
    '          "code": %s,\n'
    '          "name": %s\n'
    "        },\n"
    '        "opportunity_id": %d,\n'
    '        "customer_code": %s,\n'
    '        "customer_name": %s,\n'
    '        "stage": %s,\n'
    '        "amount": "%s",\n'
    '        "last_activity": %s,\n'
    '        "idle_days": %s\n'
    "      }"
)


def funnel_json(r: FunnelReport) -> Iterator[str]:
    """``funnel_to_dict(r)`` as ``print_json`` writes it, controls escaped, in pieces: the stale
    opportunities (thousands) from one template each instead of a dict each."""
    import json
    from dataclasses import replace

    from tuicrm.domain.privacy import json_escape_controls
    from tuicrm.domain.reports.shared import json_text

    head = funnel_to_dict(replace(r, stale=[]))
    head["stale"]["count"] = len(r.stale)
    text = json_escape_controls(json.dumps(head, ensure_ascii=False, indent=2, default=str))
    if not r.stale:
        yield text
        return
    yield text[: -len("[]\n  }\n}")] + "[\n"  # the empty list stale ends with, then the items
    stages: dict[str, str] = {}
    rows = []
    for s in r.stale:
        stage = stages.get(s.stage)
        if stage is None:
            stage = stages[s.stage] = json_text(s.stage)
        code, customer = json_text(s.customer_code), json_text(s.customer_name)
        rows.append(
            _STALE_ITEM
            % (
                s.opportunity_id,
                json_text(s.name),
                code,
                customer,
                s.opportunity_id,
                code,
                customer,
                stage,
                money_str(s.amount),
                "null" if s.last_activity is None else f'"{s.last_activity.isoformat()}"',
                "null" if s.idle_days is None else s.idle_days,
            )
        )
    yield ",\n".join(rows)
    yield "\n    ]\n  }\n}"
