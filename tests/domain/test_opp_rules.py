"""The deal rules of #16: a customer's figures from its won deals, the probability after a move,
a close date that has passed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain.pipeline import DealFigures, deal_figures, is_overdue, probability_after_move

D = Decimal


@pytest.mark.parametrize(
    "status,won,expected",
    [
        ("potential", [], DealFigures("potential", None, None)),
        ("intent", [], DealFigures("intent", None, None)),
        ("lost", [], DealFigures("lost", None, None)),
        ("won", [], DealFigures("intent", None, None)),  # its won deal was reopened, lost or archived
        ("potential", [(D("500"), date(2026, 11, 1))], DealFigures("won", D("500.00"), date(2026, 11, 1))),
        (
            "lost",
            [(D("500"), date(2026, 11, 1)), (D("250.50"), date(2026, 10, 1))],
            DealFigures("won", D("750.50"), date(2026, 11, 1)),
        ),
        ("intent", [(D("0"), None)], DealFigures("won", D("0.00"), None)),
    ],
)
def test_deal_figures(status, won, expected):
    assert deal_figures(status, won) == expected


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
