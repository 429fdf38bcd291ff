"""BANT scoring of leads (issue #17, template 004's own examples) and the morning queue's order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain.leads import (
    BantAnswers,
    bant_score,
    budget_bounds,
    is_decision_maker_title,
    response_for,
)
from tuicrm.domain.queue import QueueItem, duration_past, order
from tuicrm.records import replace

TODAY = date(2026, 11, 26)
LEADS = DEFAULT.leads


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("15-20万", 150_000, 200_000),
        ("8-10万", 80_000, 100_000),
        ("15万", 150_000, 150_000),
        ("100k", 100_000, 100_000),
        ("8~10w", 80_000, 100_000),
        ("12万至15万", 120_000, 150_000),
        ("5万到8万", 50_000, 80_000),
        ("¥150,000", 150_000, 150_000),
        ("120000元", 120_000, 120_000),
        ("50万元", 500_000, 500_000),
    ],
)
def test_budget_counts_by_its_lower_bound(text, low, high):
    assert budget_bounds(text) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text", [None, "", "面议", "abc-def", "—"])
def test_a_budget_that_is_not_a_number_is_unknown(text):
    assert budget_bounds(text) == (None, None)


@pytest.mark.parametrize(
    "title, decides",
    [
        ("采购经理", True),
        ("部门经理", True),
        ("校长", True),
        ("总经理", True),
        ("IT Director", True),
        ("CEO", True),
        ("客户经理", False),
        ("销售经理", False),
        ("Account Manager", False),
        ("Sales Manager", False),
        ("工程师", False),
        ("Headquarters clerk", False),
        (None, False),
        ("", False),
    ],
)
def test_decision_maker_from_the_title(title, decides):
    assert is_decision_maker_title(title, LEADS) is decides


@pytest.mark.parametrize(
    "answers, score, klass",
    [
        # LX001: 15-20万 → +2, 采购经理 +3, need given +2, no purchase date 0
        (BantAnswers(budget_text="15-20万", title="采购经理", needs="智慧教室"), 7, "medium"),
        # LX002: 8-10万 → 0, 校长 +3, need given +2
        (BantAnswers(budget_text="8-10万", title="校长", needs="录播系统"), 5, "medium"),
        # 15万, 部门经理, a clear need, purchase in 20 days
        (
            BantAnswers(
                budget_text="15万", title="部门经理", needs="云", purchase_by=TODAY + timedelta(days=20)
            ),
            10,
            "high",
        ),
        (BantAnswers(budget_text="15万", title="客户经理", needs="云"), 4, "low"),
        # the rep's answers win over the defaults
        (BantAnswers(title="客户经理", is_decision_maker=True), 3, "low"),
        (BantAnswers(title="总经理", is_decision_maker=False, needs="x", need_clear=False), 0, "low"),
        (BantAnswers(purchase_soon=True, need_clear=True, is_decision_maker=True), 8, "high"),
        # a purchase date beyond the window, or already past, scores nothing
        (BantAnswers(purchase_by=TODAY + timedelta(days=31)), 0, "low"),
        (BantAnswers(purchase_by=TODAY - timedelta(days=1)), 0, "low"),
        (BantAnswers(purchase_by=TODAY + timedelta(days=30)), 3, "low"),
    ],
)
def test_bant_score_and_class(answers, score, klass):
    result = bant_score(answers, TODAY, LEADS)
    assert (result.score, result.score_class) == (score, klass)
    assert len(result.reasons) == 5 and result.reasons[-1].startswith(f"{score} → ")


def test_the_reasons_say_where_each_point_came_from():
    result = bant_score(BantAnswers(budget_text="15-20万", title="采购经理", needs="x"), TODAY, LEADS)
    assert result.reasons[0] == "budget 150 000 ≥ 100 000: +2"
    assert result.reasons[1] == "decision-maker (title 采购经理): +3"
    assert "need clear" in result.reasons[2] and "+2" in result.reasons[2]
    assert "no purchase date" in result.reasons[3]


def test_points_and_thresholds_come_from_config():
    config = replace(LEADS, decision_maker_points=5, high_min=7)
    result = bant_score(BantAnswers(title="校长", needs="x"), TODAY, config)
    assert (result.score, result.score_class) == (7, "high")


def test_the_config_file_sets_points_thresholds_deadlines_and_titles():
    from tuicrm.config import ConfigError, config_from_mapping

    config = config_from_mapping(
        {
            "leads": {
                "decision_maker_points": 5,
                "high_min": 7,
                "respond_hours": {"medium": 72},
                "decision_maker_titles": ["采购经理"],
            }
        }
    ).leads
    assert (config.high_min, config.respond_hours) == (7, {"high": 24, "medium": 72})
    result = bant_score(BantAnswers(title="采购经理", needs="x"), TODAY, config)
    assert (result.score, result.score_class) == (7, "high")
    # the titles list replaces the default one: 校长 no longer counts
    assert bant_score(BantAnswers(title="校长", needs="x"), TODAY, config).score == 2
    for bad in ({"leads": {"soon": 1}}, {"leads": {"high_min": -1}}, {"leads": {"medium_min": 9}}):
        with pytest.raises(ConfigError, match="leads"):
            config_from_mapping(bad)


@pytest.mark.parametrize(
    "klass, hours, rescore",
    [("high", 24, None), ("medium", 48, None), ("low", None, date(2027, 2, 26))],
)
def test_response_deadlines(klass, hours, rescore):
    at = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    response = response_for(klass, at, TODAY, LEADS)
    assert response.respond_by == (None if hours is None else at + timedelta(hours=hours))
    assert response.rescore_on == rescore


NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def _item(name, **kw):
    return QueueItem(kind=kw.pop("kind", "follow-up"), customer=name, title="", why="", **kw)


def test_queue_order_hard_deadlines_then_timed_today_then_score_then_ahead():
    items = [
        _item("ahead", on=date(2026, 11, 30)),
        _item("follow-up high", on=TODAY, overdue=True, score=20.0),
        _item("follow-up low", on=TODAY, due_today=True, score=2.0),
        _item("visit 15:00", kind="activity", at=NOW + timedelta(hours=6), due_today=True),
        _item("visit 10:00", kind="activity", at=NOW + timedelta(hours=1), due_today=True),
        _item("lead 2h late", kind="lead", at=NOW - timedelta(hours=2), overdue=True, hard_deadline=True),
        _item("lead 5h late", kind="lead", at=NOW - timedelta(hours=5), overdue=True, hard_deadline=True),
        _item("old visit", kind="activity", at=NOW - timedelta(days=1), overdue=True, score=1.0),
    ]
    assert [i.customer for i in order(items)] == [
        "lead 5h late",
        "lead 2h late",
        "visit 10:00",
        "visit 15:00",
        "follow-up high",
        "follow-up low",
        "old visit",
        "ahead",
    ]


@pytest.mark.parametrize("hours, expected", [(-1, None), (0, None), (0.5, "PT0H"), (26, "PT26H")])
def test_overdue_by_is_an_iso_duration(hours, expected):
    assert duration_past(NOW - timedelta(hours=hours), NOW) == expected
