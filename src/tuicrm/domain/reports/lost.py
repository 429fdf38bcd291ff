"""Lost deals by reason (its category: case- and space-insensitive, details apart) and by the
stage they were lost from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tuicrm.domain.lost import split_lost_reason
from tuicrm.domain.reports.shared import FUNNEL_STAGES, NO_REASON, money_str, rate

# How many deals' details a reason row lists under it (the rest are counted, not listed).
DETAILS_SHOWN = 5


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    count: int
    amount: Decimal
    details: tuple[str, ...] = ()  # the deals' details under this category, first seen first


def group_reasons(
    items: Iterable[tuple[str | None, Decimal] | tuple[str | None, Decimal, str | None]],
    known: Sequence[str] = (),
) -> list[ReasonRow]:
    """Count lost deals by reason category, case- and space-insensitively: ``items`` are
    (reason, amount) or (reason, amount, details).

    A reason still holding its details ("price: chose Huawei", from before they were stored apart)
    counts under its category (``tuicrm.domain.lost.split_lost_reason``). A reason matching a
    configured one (or its Chinese word) takes its spelling; otherwise the first spelling seen wins.
    Most frequent first, then the larger amount, then alphabetical; up to ``DETAILS_SHOWN``
    different details listed under each.
    """
    label: dict[str, str] = {}
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    details: dict[str, list[str]] = defaultdict(list)
    for reason, amt, *more in items:
        category, detail = split_lost_reason(reason, more[0] if more else None, known)
        key = _reason_key(category)
        label.setdefault(key, category or NO_REASON)
        count[key] += 1
        amount[key] += Decimal(amt or 0)
        said = " ".join((detail or "").split())
        if said and said not in details[key] and len(details[key]) < DETAILS_SHOWN:
            details[key].append(said)
    rows = [
        ReasonRow(label[k], count[k], amount[k].quantize(Decimal("0.01")), tuple(details[k])) for k in count
    ]
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


def lost_to_dict(r: LostReport) -> dict[str, Any]:
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
                "details": list(x.details),
            }
            for x in r.reasons
        ],
        "lost_at_stage": dict(r.by_stage),
    }


def lost_report(
    items: Iterable[
        tuple[str | None, Decimal, str | None] | tuple[str | None, Decimal, str | None, str | None]
    ],
    *,
    start: date | None,
    end: date | None,
    currency: str,
    known: Sequence[str] = (),
) -> LostReport:
    """``items``: (reason, amount, stage it was lost from[, details])."""
    items = list(items)
    by_stage: dict[str, int] = defaultdict(int)
    reasons: list[tuple[str | None, Decimal, str | None]] = []
    for reason, amt, stage, *details in items:
        by_stage[stage or "unknown"] += 1
        reasons.append((reason, amt, details[0] if details else None))
    order = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    by_stage_sorted = dict(sorted(by_stage.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
    total = sum((Decimal(x[1] or 0) for x in items), Decimal(0)).quantize(Decimal("0.01"))
    return LostReport(
        start,
        end,
        currency,
        len(items),
        total,
        group_reasons(reasons, known),
        by_stage_sorted,
    )
