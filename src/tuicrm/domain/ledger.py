"""Receivables and payments (issue #18): pure rules, no database.

- ``allocate``: where a payment goes: the receivable named, else the customer's oldest open one;
  what is more than that receivable's outstanding amount becomes a credit on the customer.
- ``received_and_paid_off``: a receivable's received amount and the day its payments reached it.
- ``outstanding``, ``days_overdue``, ``ageing_bucket``, ``ageing``: what is still owed and how old.
- ``collection_rating``: 良好/一般/较差/极坏 from the worst lateness of the last 12 months.
- ``terms_days`` / ``due_from_terms``: payment terms as written (月结30天, net 30, 货到付款).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from tuicrm.config import COLLECTION_RATING_LABELS_ZH, COLLECTION_RATINGS, CollectionConfig
from tuicrm.i18n import _
from tuicrm.records import record

ZERO = Decimal("0.00")


class LedgerError(ValueError):
    """A payment or receivable the rules refuse (the message is for the rep)."""


@record(frozen=True)
class OpenItem:
    """An open receivable as the allocation sees it (oldest first: by due date, then id)."""

    id: int
    amount: Decimal
    received: Decimal
    due_on: date | None

    @property
    def outstanding(self) -> Decimal:
        return outstanding(self.amount, self.received)


@record(frozen=True)
class Allocation:
    """A payment split: (receivable id, amount) parts, and the credit left over (0 when none)."""

    parts: tuple[tuple[int, Decimal], ...]
    credit: Decimal


def outstanding(amount: Decimal, received: Decimal) -> Decimal:
    """未收金额 = 应收 − 实收, never below zero (an excess is a credit, not a negative debt)."""
    return max(ZERO, Decimal(amount) - Decimal(received)).quantize(ZERO)


def oldest_first(items: Iterable[OpenItem]) -> list[OpenItem]:
    """Open receivables in settlement order: the earliest due first (no due date last), then by id."""
    return sorted(items, key=lambda i: (i.due_on is None, i.due_on or date.max, i.id))


def allocate(amount: Decimal, open_items: Sequence[OpenItem], named: int | None = None) -> Allocation:
    """Where a payment of ``amount`` goes: to ``named`` (which must be among ``open_items`` or
    paid off: then it all becomes credit), else to the oldest open receivable; the rest is credit."""
    amount = Decimal(amount).quantize(ZERO)
    if amount <= 0:
        raise LedgerError(_("A payment is more than zero."))
    candidates = [i for i in open_items if i.outstanding > 0]
    if named is not None:
        target = next((i for i in candidates if i.id == named), None)
    else:
        ordered = oldest_first(candidates)
        target = ordered[0] if ordered else None
    if target is None:
        return Allocation((), amount)
    applied = min(amount, target.outstanding)
    return Allocation(((target.id, applied),), (amount - applied).quantize(ZERO))


def received_and_paid_off(
    amount: Decimal, payments: Iterable[tuple[date, Decimal]]
) -> tuple[Decimal, date | None]:
    """(实收 = the sum of the payments, the day the running sum first reached ``amount`` or None)."""
    total = ZERO
    paid_off: date | None = None
    for paid_on, value in sorted(payments, key=lambda p: p[0]):
        total += Decimal(value)
        if paid_off is None and total >= Decimal(amount):
            paid_off = paid_on
    return total.quantize(ZERO), paid_off


def days_overdue(due_on: date | None, today: date, paid_off_on: date | None = None) -> int:
    """Days past the due date: until paid off (then how late it was paid), 0 when not late."""
    if due_on is None:
        return 0
    end = paid_off_on if paid_off_on is not None else today
    return max(0, (end - due_on).days)


AGEING_NOT_DUE = "not-due"


def ageing_labels(config: CollectionConfig) -> tuple[str, ...]:
    """The buckets' keys: not-due, 1-30, 31-60, 61-90, >90 (with the default bounds)."""
    labels = [AGEING_NOT_DUE]
    low = 1
    for high in config.ageing_days:
        labels.append(f"{low}-{high}")
        low = high + 1
    labels.append(f">{config.ageing_days[-1]}")
    return tuple(labels)


def ageing_bucket(days: int, config: CollectionConfig) -> str:
    """The bucket of an open receivable ``days`` overdue (0 or less: not due)."""
    labels = ageing_labels(config)
    if days <= 0:
        return labels[0]
    for index, high in enumerate(config.ageing_days):
        if days <= high:
            return labels[index + 1]
    return labels[-1]


def ageing(items: Iterable[tuple[Decimal, int]], config: CollectionConfig) -> dict[str, Decimal]:
    """Outstanding amounts summed by bucket from (outstanding, days overdue) pairs; every bucket listed."""
    totals = {label: ZERO for label in ageing_labels(config)}
    for amount, days in items:
        if amount > 0:
            key = ageing_bucket(days, config)
            totals[key] = (totals[key] + Decimal(amount)).quantize(ZERO)
    return totals


@record(frozen=True)
class RatedItem:
    """A receivable as the rating sees it."""

    amount: Decimal
    received: Decimal
    due_on: date | None
    paid_off_on: date | None


def rating_for_days(days: int, config: CollectionConfig) -> str:
    """The rating of a lateness in days (the thresholds of ``config``)."""
    if days <= config.good_days:
        return "good"
    if days <= config.fair_days:
        return "fair"
    if days <= config.poor_days:
        return "poor"
    return "very-poor"


def in_window(item: RatedItem, today: date, config: CollectionConfig) -> bool:
    """Open receivables always count; settled ones when paid off (or due) within the window."""
    if item.paid_off_on is None:
        return True
    return item.paid_off_on >= today - timedelta(days=config.window_days)


def collection_rating(items: Iterable[RatedItem], today: date, config: CollectionConfig) -> str | None:
    """良好 good / 一般 fair / 较差 poor / 极坏 very poor from the worst lateness in the window
    (paid late, or open and overdue); None when the customer has no receivable in it."""
    worst: int | None = None
    for item in items:
        if not in_window(item, today, config):
            continue
        late = days_overdue(item.due_on, today, item.paid_off_on)
        worst = late if worst is None else max(worst, late)
    return None if worst is None else rating_for_days(worst, config)


def rating_label(rating: str | None) -> str:
    """The rating in the templates' words (良好…), '' when there is none."""
    if rating is None:
        return ""
    return COLLECTION_RATING_LABELS_ZH.get(rating, rating)


def check_rating(value: str) -> str:
    """A rating the rep typed: good/fair/poor/very-poor or 良好/一般/较差/极坏."""
    text = (value or "").strip().lower().replace(" ", "-").replace("_", "-")
    if text in COLLECTION_RATINGS:
        return text
    for key, label in COLLECTION_RATING_LABELS_ZH.items():
        if value.strip() == label:
            return key
    raise LedgerError(
        _("A collection rating is one of {choices}.").format(choices=", ".join(COLLECTION_RATINGS))
    )


_CASH_ON_DELIVERY = (
    "货到付款",
    "款到发货",
    "现结",
    "预付",
    "cod",
    "cash on delivery",
    "prepaid",
    "immediate",
)
_DAYS_RE = re.compile(r"(\d{1,4})\s*(?:天|日|days?|d)?", re.IGNORECASE)


def terms_days(terms: str | None) -> int | None:
    """Payment terms as written → days until due: 月结30天 / 30天 / net 30 → 30, 货到付款 → 0,
    月结 alone → 30; None when nothing is recognised."""
    if not terms:
        return None
    text = terms.strip().lower()
    if not text:
        return None
    if any(word in text for word in _CASH_ON_DELIVERY):
        return 0
    match = _DAYS_RE.search(text)
    if match:
        return int(match.group(1))
    if "月结" in text or "monthly" in text:
        return 30
    return None


def due_from_terms(start: date, terms: str | None, config: CollectionConfig) -> date:
    """The due date of a receivable raised on ``start``: the customer's terms, else the default."""
    days = terms_days(terms)
    return start + timedelta(days=config.default_terms_days if days is None else days)


__all__ = [
    "AGEING_NOT_DUE",
    "Allocation",
    "LedgerError",
    "OpenItem",
    "RatedItem",
    "ageing",
    "ageing_bucket",
    "ageing_labels",
    "allocate",
    "check_rating",
    "collection_rating",
    "days_overdue",
    "due_from_terms",
    "in_window",
    "oldest_first",
    "outstanding",
    "rating_for_days",
    "rating_label",
    "received_and_paid_off",
    "terms_days",
]
