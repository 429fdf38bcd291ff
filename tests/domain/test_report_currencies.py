"""One figure per currency, never converted (issue #15): the forecast (report and --json) and the
pipeline board's header sums."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tuicrm.domain.reports import forecast_by_currency, forecast_to_dict

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    "opens, wons, main, others",
    [
        ([("CNY", Decimal("100"), 50, TODAY)], [], ("CNY", "100.00", "50.00"), []),
        (
            [
                ("CNY", Decimal("100"), 50, TODAY),
                ("USD", Decimal("10"), 10, TODAY),
                ("EUR", Decimal("8"), 100, None),
            ],
            [("USD", Decimal("5"), TODAY)],
            ("CNY", "100.00", "50.00"),
            [("EUR", "8.00", "8.00", "0.00"), ("USD", "10.00", "1.00", "5.00")],
        ),
        (
            [("USD", Decimal("10"), 50, TODAY)],
            [],
            ("CNY", "0.00", "0.00"),
            [("USD", "10.00", "5.00", "0.00")],
        ),
        (
            [("", Decimal("7"), 100, TODAY)],
            [],
            ("CNY", "7.00", "7.00"),
            [],
        ),  # no currency: the configured one
    ],
)
def test_forecast_keeps_each_currency_apart(opens, wons, main, others):
    r = forecast_by_currency(opens, wons, by="month", today=TODAY, currency="CNY")
    d = forecast_to_dict(r)
    assert (d["currency"], d["totals"]["open_amount"], d["totals"]["weighted"]) == main
    got = [
        (o["currency"], o["totals"]["open_amount"], o["totals"]["weighted"], o["totals"]["won_amount"])
        for o in d["other_currencies"]
    ]
    assert got == others


def test_the_forecast_query_groups_by_the_deals_currency(store, monkeypatch):
    from tuicrm.query.reports import forecast
    from tuicrm.store import dbapi
    from tuicrm.store.customers import create_customer
    from tuicrm.store.pipeline import add_opportunity

    monkeypatch.setenv("TUICRM_NOW", "2026-11-20T09:00")
    cfg = store.config
    with store.write("seed") as s:
        c = create_customer(s, "Acme")
        add_opportunity(s, cfg, c, "Local", Decimal("1000"), stage="proposal")
        usd = add_opportunity(s, cfg, c, "Export", Decimal("300"), stage="proposal")
        usd.currency = "usd"
        s.add(usd)
    with store.read() as s:
        r = forecast(dbapi(s), cfg, by="month", today=TODAY)
    assert r.currency == cfg.currency and r.total("open_amount") == Decimal("1000.00")
    (other,) = r.others
    assert other.currency == "USD" and other.total("open_amount") == Decimal("300.00")


def test_pipeline_header_shows_one_sum_per_currency():
    from tuicrm.config import DEFAULT
    from tuicrm.query.pipeline import PipelineColumn
    from tuicrm.ui.screens.pipeline import header_content, per_currency

    assert per_currency({}, "CNY") == "0 CNY"
    assert per_currency({"USD": Decimal("30000"), "CNY": Decimal("1200000")}, "CNY").startswith("1.2M CNY · ")
    one = PipelineColumn("proposal", 2, Decimal("500"), Decimal("250"))
    assert f"{DEFAULT.currency}" in header_content(one, DEFAULT).plain
    mixed = PipelineColumn(
        "proposal",
        2,
        Decimal("0"),
        Decimal("0"),
        by_currency={"CNY": (Decimal("1000"), Decimal("500")), "USD": (Decimal("300"), Decimal("150"))},
    )
    lines = header_content(mixed, DEFAULT).plain.splitlines()
    assert "CNY" in lines[1] and "USD" in lines[1] and "USD" in lines[2]


def test_the_value_report_lists_won_revenue_in_other_currencies(store, monkeypatch):
    from tuicrm.domain.reports import value_to_dict
    from tuicrm.query.reports import value
    from tuicrm.store import dbapi
    from tuicrm.store.customers import create_customer
    from tuicrm.store.pipeline import add_opportunity

    monkeypatch.setenv("TUICRM_NOW", "2026-11-20T09:00")
    cfg = store.config
    with store.write("seed") as s:
        c = create_customer(s, "Acme")
        add_opportunity(s, cfg, c, "Local", Decimal("1000"), stage="won")
        usd = add_opportunity(s, cfg, c, "Export", Decimal("300"), stage="won")
        usd.currency = "USD"
        s.add(usd)
    with store.read() as s:
        d = value_to_dict(value(dbapi(s), cfg, today=TODAY))
    assert d["other_currencies"] == [{"currency": "USD", "customers": 1, "revenue": "300.00"}]
