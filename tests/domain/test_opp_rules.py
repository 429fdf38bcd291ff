"""The deal rules of #16: a customer's figures from its won deals, the probability after a move,
a close date that has passed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain.pipeline import DealFigures, deal_figures, is_overdue, probability_after_move

D = Decimal


N1, O1 = date(2026, 11, 1), date(2026, 10, 1)
A = (D("500"), N1)
B = (D("250.50"), O1)


@pytest.mark.parametrize(
    "status,revenue,last,before,after,expected",
    [
        # nothing won before or after: the rep's figures stay
        ("potential", None, None, [], [], DealFigures("potential", None, None)),
        ("intent", D("300"), date(2026, 6, 1), [], [], DealFigures("intent", D("300"), date(2026, 6, 1))),
        # won: counts; won again after reopening: once
        ("intent", None, None, [], [A], DealFigures("won", D("500.00"), N1)),
        ("won", D("500"), N1, [A], [], DealFigures("intent", None, None)),
        ("won", D("500"), N1, [A], [A], DealFigures("won", D("500"), N1)),
        ("lost", None, None, [], [A, B], DealFigures("won", D("750.50"), N1)),
        # one of two won deals lost
        ("won", D("750.50"), N1, [A, B], [B], DealFigures("won", D("250.50"), O1)),
        # amount edited
        ("won", D("500"), N1, [A], [(D("900"), N1)], DealFigures("won", D("900.00"), N1)),
        # revenue recorded outside the deals is kept, and so is the won status it stands for
        ("won", D("1300"), date(2026, 6, 1), [], [A], DealFigures("won", D("1800.00"), N1)),
        ("won", D("1800"), N1, [A], [], DealFigures("won", D("1300.00"), None)),
        ("won", D("1300"), date(2026, 12, 1), [A], [], DealFigures("won", D("800.00"), date(2026, 12, 1))),
        # a status the rep chose is left alone when no won deal remains
        ("lost", D("500"), N1, [A], [], DealFigures("lost", None, None)),
    ],
)
def test_deal_figures(status, revenue, last, before, after, expected):
    assert deal_figures(status, revenue, last, before, after) == expected


@pytest.mark.parametrize(
    "from_stage,to_stage,probability,is_set,default,expected",
    [
        ("lead", "need", 10, False, False, (25, False)),  # the stage's default
        ("lead", "need", 35, True, False, (35, True)),  # the rep's survives an open move
        ("need", "proposal", 35, True, True, (50, False)),  # unless the rep asks for the default
        ("negotiation", "won", 35, True, False, (100, False)),
        ("negotiation", "lost", 90, True, False, (0, False)),
        ("won", "negotiation", 100, False, False, (75, False)),  # reopened: the stage's
        ("lost", "proposal", 0, True, False, (50, False)),
    ],
)
def test_probability_after_move(from_stage, to_stage, probability, is_set, default, expected):
    got = probability_after_move(from_stage, to_stage, probability, is_set, DEFAULT, stage_default=default)
    assert got == expected


@pytest.mark.parametrize(
    "stage,close,expected",
    [
        ("proposal", date(2026, 11, 21), True),
        ("proposal", date(2026, 11, 22), False),  # closes today: not passed yet
        ("proposal", None, False),
        ("won", date(2026, 1, 1), False),
        ("lost", date(2026, 1, 1), False),
    ],
)
def test_is_overdue(stage, close, expected):
    assert is_overdue(stage, close, date(2026, 11, 22)) is expected
