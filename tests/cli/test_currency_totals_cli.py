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
