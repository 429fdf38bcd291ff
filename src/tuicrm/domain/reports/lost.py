"""Lost deals by reason (case- and space-insensitive) and by the stage they were lost from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tuicrm.domain.reports.shared import FUNNEL_STAGES, NO_REASON, money_str, rate


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    count: int
    amount: Decimal


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
