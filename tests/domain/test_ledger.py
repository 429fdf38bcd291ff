"""Receivables' pure rules (issue #18): allocation, outstanding, ageing, collection rating, terms."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuicrm.config import CollectionConfig
from tuicrm.domain.ledger import (
    LedgerError,
    OpenItem,
    RatedItem,
    ageing,
    ageing_bucket,
    allocate,
    check_rating,
    collection_rating,
    due_from_terms,
    outstanding,
    received_and_paid_off,
    terms_days,
)

CFG = CollectionConfig()
TODAY = date(2026, 12, 7)
D = Decimal


@pytest.mark.parametrize(
    ("amount", "received", "left"),
    [("1000", "800", "200.00"), ("1500", "1500", "0.00"), ("100", "150", "0.00"), ("0.10", "0", "0.10")],
)
def test_outstanding_is_due_minus_received(amount: str, received: str, left: str) -> None:
    # the template's example: 客户A 应收 1000 实收 800 → 未收 200; 客户B 1500/1500 → 0
    assert outstanding(D(amount), D(received)) == D(left)


def test_allocate_oldest_open_first_then_credit() -> None:
    items = [
        OpenItem(2, D("500"), D("0"), date(2026, 11, 1)),
        OpenItem(1, D("300"), D("100"), date(2026, 10, 1)),
        OpenItem(3, D("50"), D("50"), date(2026, 9, 1)),  # paid off: skipped
    ]
    split = allocate(D("250"), items)
    assert split.parts == ((1, D("200.00")),) and split.credit == D("50.00")


def test_allocate_named_and_no_open_one() -> None:
    items = [
        OpenItem(1, D("300"), D("0"), date(2026, 10, 1)),
        OpenItem(2, D("500"), D("0"), date(2026, 11, 1)),
    ]
    assert allocate(D("100"), items, named=2).parts == ((2, D("100.00")),)
    all_credit = allocate(D("100"), [])
    assert all_credit.parts == () and all_credit.credit == D("100.00")
    with pytest.raises(LedgerError):
        allocate(D("0"), items)


def test_no_due_date_is_settled_last() -> None:
    items = [OpenItem(1, D("10"), D("0"), None), OpenItem(2, D("10"), D("0"), date(2027, 1, 1))]
    assert allocate(D("5"), items).parts[0][0] == 2


def test_received_and_paid_off_day() -> None:
    pays = [(date(2026, 3, 5), D("600")), (date(2026, 3, 1), D("300")), (date(2026, 3, 9), D("100"))]
    assert received_and_paid_off(D("1000"), pays) == (D("1000.00"), date(2026, 3, 9))
    assert received_and_paid_off(D("1000"), pays[:2]) == (D("900.00"), None)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "not-due"),
        (0, "not-due"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, ">90"),
    ],
)
def test_ageing_buckets(days: int, bucket: str) -> None:
    assert ageing_bucket(days, CFG) == bucket


def test_ageing_sums_every_bucket() -> None:
    totals = ageing([(D("10"), 0), (D("20"), 45), (D("5"), 45), (D("0"), 100)], CFG)
    assert list(totals) == ["not-due", "1-30", "31-60", "61-90", ">90"]
    assert totals["31-60"] == D("25.00") and totals[">90"] == D("0.00")


def _paid_late(days: int) -> RatedItem:
    due = TODAY - timedelta(days=100)
    return RatedItem(D("100"), D("100"), due, due + timedelta(days=days))


def _open_overdue(days: int) -> RatedItem:
    return RatedItem(D("100"), D("20"), TODAY - timedelta(days=days), None)


@pytest.mark.parametrize(
    ("days", "rating"),
    [
        (-3, "good"),
        (0, "good"),
        (7, "good"),
        (8, "fair"),
        (30, "fair"),
        (31, "poor"),
        (90, "poor"),
        (91, "very-poor"),
    ],
)
def test_rating_thresholds_paid_late(days: int, rating: str) -> None:
    assert collection_rating([_paid_late(days)], TODAY, CFG) == rating


@pytest.mark.parametrize(
    ("days", "rating"), [(7, "good"), (30, "fair"), (31, "poor"), (90, "poor"), (91, "very-poor")]
)
def test_rating_thresholds_open_overdue(days: int, rating: str) -> None:
    assert collection_rating([_open_overdue(days)], TODAY, CFG) == rating


def test_rating_is_the_worst_and_none_without_receivables() -> None:
    assert collection_rating([], TODAY, CFG) is None
    assert collection_rating([_paid_late(0), _paid_late(40), _open_overdue(3)], TODAY, CFG) == "poor"


def test_rating_window_forgets_old_lateness() -> None:
    old = RatedItem(D("100"), D("100"), date(2024, 1, 1), date(2024, 9, 1))  # paid 244 days late, long ago
    assert collection_rating([old], TODAY, CFG) is None
    assert collection_rating([old, _paid_late(2)], TODAY, CFG) == "good"


def test_rating_thresholds_come_from_config() -> None:
    strict = CollectionConfig(good_days=0, fair_days=5, poor_days=10)
    assert collection_rating([_paid_late(6)], TODAY, strict) == "poor"


@pytest.mark.parametrize(
    ("text", "key"), [("good", "good"), ("极坏", "very-poor"), ("Very Poor", "very-poor")]
)
def test_check_rating(text: str, key: str) -> None:
    assert check_rating(text) == key


def test_check_rating_refuses() -> None:
    with pytest.raises(LedgerError):
        check_rating("excellent")


@pytest.mark.parametrize(
    ("terms", "days"),
    [
        ("月结30天", 30),
        ("月结60天", 60),
        ("30天", 30),
        ("net 30", 30),
        ("Net 45 days", 45),
        ("货到付款", 0),
        ("月结", 30),
        ("", None),
        (None, None),
        ("see contract", None),
    ],
)
def test_terms_days(terms: str | None, days: int | None) -> None:
    assert terms_days(terms) == days


def test_due_from_terms_default() -> None:
    assert due_from_terms(TODAY, "月结45天", CFG) == TODAY + timedelta(days=45)
    assert due_from_terms(TODAY, None, CFG) == TODAY + timedelta(days=30)


@settings(max_examples=60, deadline=None)
@given(
    receivables=st.lists(st.integers(min_value=1, max_value=100_000), min_size=0, max_size=6),
    payments=st.lists(
        st.tuples(st.integers(min_value=1, max_value=120_000), st.one_of(st.none(), st.integers(0, 5))),
        max_size=10,
    ),
)
def test_ledger_property(receivables: list[int], payments: list[tuple[int, int | None]]) -> None:
    """Random receivables (cents) and payments (to a named one or the oldest): the books balance."""
    received = {i: Decimal(0) for i in range(len(receivables))}
    credit = Decimal(0)
    for cents, named in payments:
        items = [
            OpenItem(i, Decimal(a) / 100, received[i], date(2026, 1, 1) + timedelta(days=i))
            for i, a in enumerate(receivables)
        ]
        pay = Decimal(cents) / 100
        split = allocate(pay, items, named if named is not None and named < len(receivables) else None)
        assert sum((p for _i, p in split.parts), Decimal(0)) + split.credit == pay  # never lost
        for i, part in split.parts:
            received[i] += part
        credit += split.credit
    total_due = sum((Decimal(a) / 100 for a in receivables), Decimal(0))
    total_received = sum(received.values(), Decimal(0))
    total_left = Decimal(0)
    for i, a in enumerate(receivables):
        left = outstanding(Decimal(a) / 100, received[i])
        assert left >= 0 and left == Decimal(a) / 100 - received[i]  # no receivable over-paid
        total_left += left
    assert total_left == total_due - total_received
    assert total_received + credit == sum((Decimal(c) / 100 for c, _n in payments), Decimal(0))
