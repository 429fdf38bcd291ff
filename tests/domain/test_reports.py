"""Report arithmetic (tuicrm.domain.reports): weeks, conversion, medians, ABC, RFM, forecast, reasons."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pendulum
import pytest

from tuicrm.domain import reports as rep
from tuicrm.domain.reports import IsoWeek, ReportConfig, StageHistory

D = Decimal


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- ISO weeks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "week", "monday", "sunday"),
    [
        (date(2026, 11, 22), IsoWeek(2026, 47), date(2026, 11, 16), date(2026, 11, 22)),  # a Sunday
        (date(2026, 11, 16), IsoWeek(2026, 47), date(2026, 11, 16), date(2026, 11, 22)),  # its Monday
        (date(2026, 11, 23), IsoWeek(2026, 48), date(2026, 11, 23), date(2026, 11, 29)),
        (date(2026, 1, 1), IsoWeek(2026, 1), date(2025, 12, 29), date(2026, 1, 4)),  # Thursday: week 1
        (date(2027, 1, 1), IsoWeek(2026, 53), date(2026, 12, 28), date(2027, 1, 3)),  # 2026 has 53 weeks
        (date(2021, 1, 3), IsoWeek(2020, 53), date(2020, 12, 28), date(2021, 1, 3)),
        (date(2024, 12, 30), IsoWeek(2025, 1), date(2024, 12, 30), date(2025, 1, 5)),
    ],
)
def test_week_of_and_bounds(day, week, monday, sunday):
    w = rep.week_of(day)
    assert w == week
    assert (w.start, w.end, w.next_start) == (monday, sunday, monday + timedelta(days=7))
    assert w.start.weekday() == 0 and w.end.weekday() == 6


def test_week_shift_and_text():
    w = IsoWeek(2026, 53)
    assert str(w) == "2026-W53"
    assert w.shift(1) == IsoWeek(2027, 1)
    assert w.shift(-52) == IsoWeek(2026, 1)
    assert str(IsoWeek(2026, 3)) == "2026-W03"


TODAY = date(2026, 11, 22)  # Sunday of 2026-W47


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-W47", IsoWeek(2026, 47)),
        ("2026w47", IsoWeek(2026, 47)),
        ("W5", IsoWeek(2026, 5)),
        (" w05 ", IsoWeek(2026, 5)),
        (None, IsoWeek(2026, 47)),
        ("this", IsoWeek(2026, 47)),
        ("last", IsoWeek(2026, 46)),
        ("next", IsoWeek(2026, 48)),
        ("2026-11-18", IsoWeek(2026, 47)),
        ("-1w", IsoWeek(2026, 46)),
        ("2020-W53", IsoWeek(2020, 53)),
        ("tomorrow", IsoWeek(2026, 48)),
    ],
)
def test_parse_week(text, expected):
    assert rep.parse_week(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2025-W53", "W0", "2026-W54", "banana", "2026-13-01"])
def test_parse_week_rejects(text):
    with pytest.raises(rep.WeekError) as err:
        rep.parse_week(text, TODAY)
    assert "week" in str(err.value).lower()


@pytest.mark.parametrize(
    ("tz", "first", "end", "start_utc", "end_utc"),
    [
        ("UTC", date(2026, 11, 16), date(2026, 11, 23), utc(2026, 11, 16), utc(2026, 11, 23)),
        # UTC+8: a local week starts on Sunday 16:00 UTC.
        (
            "Asia/Shanghai",
            date(2026, 11, 16),
            date(2026, 11, 23),
            utc(2026, 11, 15, 16),
            utc(2026, 11, 22, 16),
        ),
        # New York leaves DST on 2026-11-01: the week is 169 hours long.
        (
            "America/New_York",
            date(2026, 10, 26),
            date(2026, 11, 2),
            utc(2026, 10, 26, 4),
            utc(2026, 11, 2, 5),
        ),
        (
            "Asia/Kolkata",
            date(2026, 11, 16),
            date(2026, 11, 17),
            utc(2026, 11, 15, 18, 30),
            utc(2026, 11, 16, 18, 30),
        ),
    ],
)
def test_utc_range_is_local_midnight(tz, first, end, start_utc, end_utc):
    zone = pendulum.timezone(tz)
    assert rep.utc_range(first, end, zone) == (start_utc, end_utc)


@pytest.mark.parametrize(
    ("stored", "tz", "local"),
    [
        (datetime(2026, 11, 15, 16, 30), "Asia/Shanghai", date(2026, 11, 16)),  # naive = UTC
        (utc(2026, 11, 15, 15, 59), "Asia/Shanghai", date(2026, 11, 15)),
        (utc(2026, 11, 16, 3), "America/New_York", date(2026, 11, 15)),
    ],
)
def test_local_date(stored, tz, local):
    assert rep.local_date(stored, pendulum.timezone(tz)) == local


# --- small arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([5.0], 5.0), ([1.0, 3.0], 2.0), ([15.0, 49.0, 2.0], 15.0), ([4, 1, 3, 2], 2.5)],
)
def test_median(values, expected):
    assert rep.median(values) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(4, 5, 0.8), (2, 3, 0.6667), (0, 3, 0.0), (1, 0, None)]
)
def test_rate(part, whole, expected):
    assert rep.rate(part, whole) == expected


@pytest.mark.parametrize(
    ("value", "label", "plain"),
    [
        (D("50000"), "50,000", "50000.00"),
        (D("1234.5"), "1,234.50", "1234.50"),
        (None, "0", "0.00"),
        (D("0.01"), "0.01", "0.01"),
    ],
)
def test_money_formats(value, label, plain):
    assert rep.money_label(value) == label
    assert rep.money_str(value) == plain


def test_cents_to_money():
    assert rep.cents_to_money(123450) == D("1234.50")
    assert rep.cents_to_money(None) == D("0.00")


# --- ABC --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenues", "classes"),
    [
        ([50, 30, 10, 5, 5], ["A", "A", "B", "C", "C"]),
        ([70, 20, 10], ["A", "B", "C"]),  # exactly at the cuts: the next customer starts the next class
        ([80, 10, 10], ["A", "B", "C"]),  # one customer over 70 %: A alone
        ([95, 5], ["A", "C"]),  # nothing for B when A already holds 95 %
        ([40, 30, 30], ["A", "A", "B"]),
        ([100], ["A"]),
        ([], []),
        ([10] * 10, ["A"] * 7 + ["B"] * 2 + ["C"]),
    ],
)
def test_abc_classes(revenues, classes):
    assert rep.abc_classes([D(r) for r in revenues]) == classes


def test_abc_thresholds_are_configurable():
    revenues = [D(10)] * 10
    assert rep.abc_classes(revenues, D("0.5"), D("0.3")) == ["A"] * 5 + ["B"] * 3 + ["C"] * 2
    assert rep.abc_classes(revenues, 0.8, 0.1) == ["A"] * 8 + ["B"] + ["C"]


# --- RFM --------------------------------------------------------------------------------------

REC = (30, 90, 180, 365)
FREQ = (1, 3, 6, 12)
MON = (10_000, 50_000, 200_000, 1_000_000)


@pytest.mark.parametrize(
    ("days", "score"),
    [(0, 5), (30, 5), (31, 4), (90, 4), (91, 3), (180, 3), (365, 2), (366, 1), (5000, 1), (None, 1)],
)
def test_recency_score(days, score):
    assert rep.score_low_is_good(days, REC) == score


@pytest.mark.parametrize(
    ("count", "score"),
    [(0, 1), (1, 2), (2, 2), (3, 3), (5, 3), (6, 4), (11, 4), (12, 5), (100, 5), (None, 1)],
)
def test_frequency_score(count, score):
    assert rep.score_high_is_good(count, FREQ) == score


@pytest.mark.parametrize(
    ("amount", "score"),
    [(0, 1), (9_999.99, 1), (10_000, 2), (50_000, 3), (199_999, 3), (200_000, 4), (1_000_000, 5), (5e7, 5)],
)
def test_monetary_score(amount, score):
    assert rep.score_high_is_good(amount, MON) == score


def vin(cid, tier, revenue, last=None, freq=0):
    return rep.ValueInput(cid, f"C{cid:06d}", f"Customer {cid}", tier, D(revenue), last, freq)


def test_value_report_by_hand():
    today = date(2026, 11, 25)
    items = [
        vin(1, "A", 300_000, date(2026, 11, 23), 2),  # A; tier A: fine
        vin(2, "A", 100_000, date(2026, 11, 20), 3),  # A
        vin(3, "B", 50_000, date(2026, 8, 1), 1),  # B
        vin(4, "A", 30_000, None, 0),  # C but tier A: lower
        vin(5, "D", 20_000, date(2025, 1, 1), 0),  # C, not assessed: assess
        vin(6, "B", 0, date(2026, 11, 1), 9),  # no revenue: not classified
    ]
    r = rep.value_report(items, today=today, currency="CNY")
    assert [x.customer_id for x in r.rows] == [1, 2, 3, 4, 5]
    assert [x.abc for x in r.rows] == ["A", "A", "B", "C", "C"]
    assert r.revenue_total == D("500000.00") and r.no_revenue == 1
    assert r.summary() == {"A": (2, D("400000.00")), "B": (1, D("50000.00")), "C": (2, D("50000.00"))}
    assert [x.cumulative_share for x in r.rows] == [0.6, 0.8, 0.9, 0.96, 1.0]
    assert [x.rfm for x in r.rows] == ["524", "533", "323", "112", "112"]
    assert [x.recency_days for x in r.rows] == [2, 5, 116, None, 693]
    assert [(x.row.customer_id, x.suggestion) for x in r.review] == [(4, "lower"), (5, "assess")]


@pytest.mark.parametrize(
    ("tier", "abc", "gap", "suggestion"),
    [
        ("A", "A", 1, None),
        ("B", "A", 1, "raise"),
        ("B", "A", 2, None),
        ("C", "A", 2, "raise"),
        ("A", "C", 1, "lower"),
        ("A", "B", 1, "lower"),
        ("D", "C", 1, "assess"),
        ("D", "C", 2, None),
        ("D", "A", 2, "assess"),
    ],
)
def test_review_tier(tier, abc, gap, suggestion):
    row = rep.ValueRow(1, "C000001", "x", tier, D(1), 1.0, 1.0, abc, None, None, 0, 1, 1, 1)
    found = rep.review_tier(row, ReportConfig(review_tier_gap=gap))
    assert (found.suggestion if found else None) == suggestion


def test_value_report_with_no_revenue_at_all():
    r = rep.value_report([vin(1, "A", 0)], today=TODAY, currency="CNY")
    assert r.rows == [] and r.review == [] and r.no_revenue == 1
    d = rep.value_to_dict(r)
    assert d["classes"]["A"] == {"customers": 0, "revenue": "0.00", "share": None}


# --- funnel ------------------------------------------------------------------------------------


def hist(oid, amount, *moves, current=None):
    return StageHistory(oid, D(amount), tuple((s, utc(*t)) for s, t in moves), current)


def funnel_fixture():
    return [
        hist(
            1,
            100_000,
            ("lead", (2026, 11, 2, 2)),
            ("need", (2026, 11, 17, 2)),
            ("proposal", (2026, 11, 18, 2)),
            ("won", (2026, 11, 20, 2)),
        ),
        hist(2, 50_000, ("need", (2026, 11, 16, 1)), ("lost", (2026, 11, 21, 1))),
        hist(
            3,
            30_000,
            ("lead", (2026, 10, 1, 2)),
            ("negotiation", (2026, 11, 19, 2)),
            ("lost", (2026, 11, 24, 2)),
        ),
        hist(4, 20_000, ("proposal", (2026, 11, 23, 2))),
        hist(5, 10_000, ("lead", (2026, 11, 10, 2))),
    ]


def test_funnel_by_hand():
    r = rep.funnel_report(funnel_fixture(), start=None, end=date(2026, 11, 25), currency="CNY")
    assert r.opportunities == 5 and r.amount == D("210000.00")
    by = {s.stage: s for s in r.stages}
    assert [by[s].reached for s in rep.FUNNEL_STAGES] == [5, 4, 3, 2, 1]
    assert [by[s].conversion for s in rep.FUNNEL_STAGES] == [0.8, 0.75, 0.6667, 0.5, None]
    assert by["negotiation"].amount == D("130000.00")  # #1 skipped negotiation but got further
    assert [by[s].median_days for s in rep.FUNNEL_STAGES] == [32.0, 3.0, 2.0, 5.0, None]
    assert [by[s].stays for s in rep.FUNNEL_STAGES] == [2, 2, 1, 1, 0]
    assert [by[s].now for s in rep.FUNNEL_STAGES] == [1, 0, 1, 0, 1]
    assert by["need"].lost_here == 1 and by["negotiation"].lost_here == 1
    assert r.overall_conversion == 0.2
    assert r.by_current_stage == {
        "lead": (1, D("10000.00")),
        "proposal": (1, D("20000.00")),
        "won": (1, D("100000.00")),
        "lost": (2, D("80000.00")),
    }


def test_funnel_period_cuts_moves_at_the_end():
    end_at = utc(2026, 11, 23)
    cohort = rep.in_period(funnel_fixture(), None, end_at)
    assert [h.opportunity_id for h in cohort] == [1, 2, 3, 5]  # #4 was created after
    r = rep.funnel_report(cohort, start=None, end=date(2026, 11, 22), currency="CNY")
    assert r.current("negotiation") == (1, D("30000.00"))  # #3 was lost only on the 24th
    assert r.current("lost") == (1, D("50000.00"))
    cohort = rep.in_period(funnel_fixture(), utc(2026, 11, 10), utc(2026, 11, 26))
    assert [h.opportunity_id for h in cohort] == [2, 4, 5]


def test_funnel_keeps_current_stage_only_when_nothing_was_cut():
    h = hist(9, 1, ("lead", (2026, 11, 1)), ("won", (2026, 11, 3)), current="won")
    assert rep.in_period([h], None, utc(2026, 11, 5))[0].current == "won"
    assert rep.in_period([h], None, utc(2026, 11, 2))[0].current is None
    # An opportunity imported straight into "won" without history still counts as won.
    r = rep.funnel_report(
        [hist(1, 5, ("lead", (2026, 1, 1)), current="won")], start=None, end=TODAY, currency="CNY"
    )
    assert [s.reached for s in r.stages] == [1, 1, 1, 1, 1] and r.current("won") == (1, D("5.00"))


def test_funnel_empty():
    r = rep.funnel_report([], start=None, end=TODAY, currency="CNY")
    assert r.opportunities == 0 and r.overall_conversion is None
    assert all(s.reached == 0 and s.conversion is None and s.median_days is None for s in r.stages)
    json.dumps(rep.funnel_to_dict(r))


def test_created_lost_is_outside_the_funnel():
    r = rep.funnel_report([hist(1, 5, ("lost", (2026, 1, 1)))], start=None, end=TODAY, currency="CNY")
    assert r.stages[0].reached == 0 and r.current("lost") == (1, D("5.00"))


# --- forecast ----------------------------------------------------------------------------------


def test_forecast_by_month_and_quarter():
    today = date(2026, 11, 25)
    open_items = [
        (D(20_000), 50, date(2026, 12, 15)),
        (D(10_000), 10, date(2026, 11, 30)),
        (D(7_000), 25, None),
        (D(1_000), 75, date(2027, 1, 2)),
    ]
    won = [(D(100_000), date(2026, 11, 20)), (D(5_000), date(2025, 12, 31)), (D(3_000), None)]
    r = rep.forecast_report(open_items, won, by="month", today=today, currency="CNY")
    rows = {p.period: p for p in r.periods}
    assert list(rows) == ["2025-12", "2026-11", "2026-12", "2027-01", "no date"]
    assert (rows["2026-11"].open_count, rows["2026-11"].weighted, rows["2026-11"].won_amount) == (
        1,
        D("1000.00"),
        D("100000.00"),
    )
    assert rows["2026-12"].weighted == D("10000.00") and rows["2027-01"].weighted == D("750.00")
    assert rows["no date"].open_amount == D("7000.00") and rows["no date"].won_amount == D("3000.00")
    assert [p.when for p in r.periods] == ["past", "current", "future", "future", "none"]
    assert (r.total("open_count"), r.total("open_amount"), r.total("weighted")) == (
        4,
        D("38000.00"),
        D("13500.00"),
    )
    assert (r.total("won_count"), r.total("won_amount")) == (3, D("108000.00"))
    assert (r.won_ytd_count, r.won_ytd_amount) == (1, D("100000.00"))
    q = rep.forecast_report(open_items, won, by="quarter", today=today, currency="CNY")
    assert [p.period for p in q.periods] == ["2025-Q4", "2026-Q4", "2027-Q1", "no date"]
    assert q.periods[1].open_amount == D("30000.00") and q.periods[1].weighted == D("11000.00")
    d = rep.forecast_to_dict(q)
    assert d["totals"]["weighted"] == "13500.00" and d["won_to_date"] == {
        "since": "2026-01-01",
        "count": 1,
        "amount": "100000.00",
    }


def test_forecast_rejects_other_groupings():
    with pytest.raises(ValueError):
        rep.forecast_report([], [], by="week", today=TODAY, currency="CNY")


# --- lost reasons and trend -------------------------------------------------------------------


def test_group_reasons_case_insensitive_and_canonical():
    rows = rep.group_reasons(
        [
            ("Price", D(10)),
            ("price ", D(5)),
            ("  PRICE", D(1)),
            ("budget  cut", D(50)),
            ("Budget cut", D(1)),
            (None, D(2)),
            ("", D(3)),
            ("went silent", D(100)),
        ],
        known=("price", "went silent"),
    )
    assert [(r.reason, r.count, r.amount) for r in rows] == [
        ("price", 3, D("16.00")),
        ("budget cut", 2, D("51.00")),
        ("(no reason)", 2, D("5.00")),
        ("went silent", 1, D("100.00")),
    ]


def test_lost_report_by_stage():
    r = rep.lost_report(
        [("price", D(50_000), "need"), ("went silent", D(30_000), "negotiation"), ("price", D(1), None)],
        start=None,
        end=None,
        currency="CNY",
        known=("price",),
    )
    assert r.count == 3 and r.amount == D("80001.00")
    assert r.by_stage == {"need": 1, "negotiation": 1, "unknown": 1}
    d = rep.lost_to_dict(r)
    assert d["reasons"][0] == {
        "reason": "price",
        "count": 2,
        "amount": "50001.00",
        "share": 0.6667,
        "details": [],
    }


def test_weekly_trend_has_every_week_even_empty_ones():
    weeks = [IsoWeek(2026, 45), IsoWeek(2026, 46), IsoWeek(2026, 47)]
    trend = rep.weekly_trend(
        weeks,
        [
            (date(2026, 11, 16), D(10)),
            (date(2026, 11, 22), D(5)),
            (date(2026, 11, 23), D(99)),
            (date(2026, 11, 2), D(1)),
        ],
    )
    assert [(str(t.week), t.won_count, t.won_amount) for t in trend] == [
        ("2026-W45", 1, D("1.00")),
        ("2026-W46", 0, D("0.00")),
        ("2026-W47", 2, D("15.00")),
    ]


def test_report_config_defaults():
    rc = rep.DEFAULT_REPORT_CONFIG
    assert (rc.abc_a_share, rc.abc_b_share) == (D("0.70"), D("0.20"))
    assert rc.rfm_recency_days == REC and rc.rfm_frequency_counts == FREQ and rc.rfm_monetary_amounts == MON
