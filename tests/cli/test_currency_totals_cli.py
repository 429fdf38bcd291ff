"""Amounts in several currencies: shown with their code, summed per currency, never converted (#15)."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

from tuicrm.config import Config
from tuicrm.query.pipeline import stage_totals_by_currency


def _import(cli, db, tmp_path):
    f = tmp_path / "deals.csv"
    f.write_text(
        'Opportunity Name,Account Name,Amount\nA,Acme,"$1,200.00"\nB,Acme,50万元\nC,Acme,"€ 300"\nD,Acme,USD 800\n',
        encoding="utf-8",
    )
    r = cli(db, "import", str(f))
    assert r.returncode == 0, r.stderr


def test_opp_list_shows_codes_and_one_total_per_currency(cli, db_path, tmp_path):
    _import(cli, db_path, tmp_path)
    r = cli(db_path, "opp", "list")
    assert "1,200.00 USD" in r.stdout and "300.00 EUR" in r.stdout
    lines = r.stdout.splitlines()
    assert "total CNY: 500,000.00" in lines
    assert "total EUR: 300.00" in lines
    assert "total USD: 2,000.00" in lines
    rows = json.loads(cli(db_path, "opp", "list", "--json").stdout)
    assert {r["name"]: r["currency"] for r in rows} == {"A": "USD", "B": "CNY", "C": "EUR", "D": "USD"}


def test_one_currency_shows_no_total_lines(cli, db_path):
    assert cli(db_path, "add", "customer", "Acme").returncode == 0
    assert cli(db_path, "opp", "add", "Acme", "X", "--amount", "5").returncode == 0
    assert "total" not in cli(db_path, "opp", "list").stdout


def test_pipeline_sums_per_currency(cli, db_path, tmp_path):
    _import(cli, db_path, tmp_path)
    conn = sqlite3.connect(db_path)
    try:
        totals = stage_totals_by_currency(conn, Config().currency)
    finally:
        conn.close()
    assert totals["lead"] == {
        "CNY": (Decimal("500000.00"), Decimal("50000.00")),
        "EUR": (Decimal("300.00"), Decimal("30.00")),
        "USD": (Decimal("2000.00"), Decimal("200.00")),
    }
    assert totals["won"] == {}


def test_revenue_total_is_the_configured_currency_and_other_currencies_show_apart(cli, db_path, tmp_path):
    """A won deal in USD is not added into the CNY revenue total: the card shows it on a line of its own."""
    f = tmp_path / "won.csv"
    f.write_text(
        'Opportunity Name,Account Name,Amount,Stage\nA,Acme,"$1,200.00",won\nB,Acme,50万元,won\n'
        "C,Acme,USD 800,won\n",
        encoding="utf-8",
    )
    assert cli(db_path, "import", str(f)).returncode == 0
    card = json.loads(cli(db_path, "show", "Acme", "--json").stdout)
    assert card["customer"]["revenue_total"] == "500000.00"
    text = cli(db_path, "show", "Acme").stdout
    assert "500000.00" in text and "won in USD  2,000.00 USD" in text
    assert "1200.00 USD" in text  # the deal's own line names its currency
    # a move of the CNY deal recomputes the total from the CNY deals only
    assert cli(db_path, "opp", "move", "B", "negotiation").returncode == 0
    card = json.loads(cli(db_path, "show", "Acme", "--json").stdout)
    assert card["customer"]["revenue_total"] in (None, "0.00")
    assert "won in USD  2,000.00 USD" in cli(db_path, "show", "Acme").stdout


def test_the_tui_card_lists_won_revenue_per_other_currency():
    from types import SimpleNamespace

    from tuicrm.ui.screens.customer_detail_card import won_in_other_currencies

    def deal(stage, amount, currency):
        return SimpleNamespace(stage=stage, amount=Decimal(amount), currency=currency)

    card = SimpleNamespace(
        opportunities=[
            deal("won", "1200", "USD"),
            deal("won", "800", "USD"),
            deal("won", "500000", None),
            deal("won", "300", "EUR"),
            deal("lost", "99", "USD"),
        ]
    )
    assert won_in_other_currencies(card) == [("EUR", Decimal("300")), ("USD", Decimal("2000"))]  # type: ignore[arg-type]
