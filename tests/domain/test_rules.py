from datetime import date
from decimal import Decimal

import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain.cadence import cadence_interval, is_due_today, is_overdue, next_follow_up
from tuicrm.domain.pipeline import (
    StageError,
    check_move,
    default_probability,
    forecast,
    is_stale,
    weighted_value,
)
from tuicrm.domain.privacy import mask_phone, sanitize, sanitize_line
from tuicrm.domain.scoring import call_next_priority, sort_key
from tuicrm.domain.tiers import ScoreError, assess, tier_for_total
from tuicrm.records import replace

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "status, tier, days",
    [
        ("potential", "B", 7),
        ("intent", "B", 3),
        ("won", "B", 30),
        ("lost", "B", None),
        ("potential", "D", 7),
        ("won", "D", 30),
        ("won", "A", 7),  # A: at most 7 days between follow-ups
        ("potential", "A", 7),
        ("intent", "A", 3),
        ("potential", "C", 14),
        ("intent", "C", 14),  # C: at least 14 days
        ("won", "C", 30),
        ("lost", "A", None),
        ("lost", "C", None),
    ],
)
def test_cadence_table_and_tier_bounds(status, tier, days):
    assert cadence_interval(status, tier, DEFAULT) == days


def test_next_follow_up_dates():
    assert next_follow_up("intent", "A", TODAY, DEFAULT) == date(2026, 11, 25)
    assert next_follow_up("lost", "A", TODAY, DEFAULT) is None


def test_cadence_numbers_come_from_config():
    cfg = replace(DEFAULT, cadence_days={"potential": 10, "intent": 2, "won": 60, "lost": None})
    assert cadence_interval("potential", "B", cfg) == 10
    assert cadence_interval("won", "A", cfg) == 7


def test_overdue_and_due_today():
    assert is_overdue(date(2026, 11, 21), TODAY) and not is_overdue(TODAY, TODAY)
    assert is_due_today(TODAY, TODAY) and not is_due_today(None, TODAY)


@pytest.mark.parametrize(
    "potential, willingness, total, tier",
    [
        (8, 9, 17, "A"),
        (5, 6, 11, "B"),
        (10, 5, 15, "A"),
        (7, 7, 14, "B"),
        (5, 5, 10, "B"),
        (4, 5, 9, "C"),
        (1, 1, 2, "C"),
        (10, 10, 20, "A"),
    ],
)
def test_tier_from_scores(potential, willingness, total, tier):
    assert assess(potential, willingness, DEFAULT)[:2] == (total, tier)


@pytest.mark.parametrize("bad", [0, 11, -1, 3.5, True])
def test_scores_outside_1_to_10_are_refused(bad):
    with pytest.raises(ScoreError):
        assess(bad, 5, DEFAULT)


def test_tier_thresholds_from_config():
    assert tier_for_total(14, replace(DEFAULT, tier_a_min=14)) == "A"


@pytest.mark.parametrize(
    "stage, p", [("lead", 10), ("need", 25), ("proposal", 50), ("negotiation", 75), ("won", 100), ("lost", 0)]
)
def test_stage_probabilities(stage, p):
    assert default_probability(stage, DEFAULT) == p


def test_weighted_value():
    assert weighted_value(Decimal("200000"), 75) == Decimal("150000.00")
    assert weighted_value(Decimal("0"), 50) == Decimal("0.00")


def test_moving_to_lost_needs_a_reason():
    with pytest.raises(StageError):
        check_move("proposal", "lost", None)
    with pytest.raises(StageError):
        check_move("proposal", "lost", "  ")
    check_move("proposal", "lost", "price")
    with pytest.raises(StageError):
        check_move("proposal", "proposal", None)
    with pytest.raises(StageError):
        check_move("proposal", "signed", None)


@pytest.mark.parametrize(
    "stage, last, stale",
    [
        ("proposal", date(2026, 11, 8), False),
        ("proposal", date(2026, 11, 7), True),
        ("won", date(2026, 1, 1), False),
        ("lead", None, False),
    ],
)
def test_stale_after_14_days(stage, last, stale):
    assert is_stale(stage, last, TODAY, DEFAULT) is stale


def test_stale_days_per_stage():
    cfg = replace(DEFAULT, stale_days_by_stage={"negotiation": 5})
    assert is_stale("negotiation", date(2026, 11, 16), TODAY, cfg)
    assert not is_stale("proposal", date(2026, 11, 16), TODAY, cfg)


def test_forecast_groups_open_opportunities_by_month_and_quarter():
    opps = [
        ("proposal", Decimal("100000"), 50, date(2026, 12, 5)),
        ("lead", Decimal("20000"), 10, date(2026, 12, 20)),
        ("negotiation", Decimal("40000"), 75, date(2027, 1, 10)),
        ("won", Decimal("999999"), 100, date(2026, 12, 1)),  # closed: not forecast
        ("need", Decimal("8000"), 25, None),
    ]
    months = forecast(opps, "month")
    assert [(r.period, r.count, r.amount, r.weighted) for r in months] == [
        ("2026-12", 2, Decimal("120000"), Decimal("52000.00")),
        ("2027-01", 1, Decimal("40000"), Decimal("30000.00")),
        ("no date", 1, Decimal("8000"), Decimal("2000.00")),
    ]
    quarters = forecast(opps, "quarter")
    assert [r.period for r in quarters] == ["2026-Q4", "2027-Q1", "no date"]


def test_call_next_order_weights_overdue_tier_and_pipeline():
    a_week = call_next_priority(date(2026, 11, 15), "A", Decimal(0), TODAY, DEFAULT)
    d_week = call_next_priority(date(2026, 11, 15), "D", Decimal(0), TODAY, DEFAULT)
    a_today = call_next_priority(TODAY, "A", Decimal(0), TODAY, DEFAULT)
    c_big = call_next_priority(date(2026, 11, 15), "C", Decimal(100000), TODAY, DEFAULT)
    assert a_week.score > c_big.score > d_week.score
    assert a_week.score > a_today.score
    assert a_week.days_overdue == 7
    assert "7 day(s) overdue" in a_week.explain() and "tier weight 4" in a_week.explain()
    ranked = sorted(
        [("d", d_week), ("a", a_week), ("c", c_big), ("t", a_today)], key=lambda p: sort_key(p[1], p[0])
    )
    # A 7 days late: 8×4=32; C 7 days late with 100k open: 8×2+10=26; D 7 days late: 8; A due today: 4.
    assert [n for n, _ in ranked] == ["a", "c", "d", "t"]
    assert (a_week.score, c_big.score, d_week.score, a_today.score) == (32, 26, 8, 4)


def test_pipeline_bonus_is_capped():
    huge = call_next_priority(TODAY, "D", Decimal(10**9), TODAY, DEFAULT)
    assert huge.pipeline_bonus == DEFAULT.pipeline_weight_cap


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+1 555 123 4567", "155****4567"),
        ("555 1234", "***1234"),
        ("12345", "*2345"),
        ("123", "***"),
        (None, ""),
        ("", ""),
    ],
)
def test_phone_masking(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("ok\x1b]52;c;aGk=\x07done", "okdone"),
        ("\x1b[2Jx", "x"),
        ("\x9b2Jx", "2Jx"),
        ("a\u202eb", "ab"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
        ("line\nnext\ttab", "line\nnext\ttab"),
        ("a\x00b\x7f", "ab"),
    ],
)
def test_sanitize_strips_escapes_keeps_text(raw, clean):
    assert sanitize(raw) == clean


def test_sanitize_line_is_one_line():
    assert sanitize_line("a\nb\tc") == "a b c"
