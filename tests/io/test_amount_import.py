"""Importing amounts: a de-DE column, an ambiguous column reported, currencies kept (issue #15)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from tuicrm.io.importing import import_files


def _opps(db_path) -> dict[str, tuple[Decimal, str | None]]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT name, amount, currency FROM opportunity").fetchall()
    finally:
        conn.close()
    return {n: (Decimal(a) / 100, c) for n, a, c in rows}


def test_a_german_column_reads_1_500_as_fifteen_hundred(store, tmp_path, db_path):
    f = tmp_path / "deals.csv"
    f.write_text(
        "Opportunity Name;Account Name;Amount\nAlpha;Acme;12.500,00\nBeta;Acme;1.500\nGamma;Acme;€ 8.900,50\n",
        encoding="utf-8",
    )
    report = import_files(store, [f])
    assert not report.rejected and not report.warnings
    assert _opps(db_path) == {
        "Alpha": (Decimal("12500"), None),
        "Beta": (Decimal("1500"), None),
        "Gamma": (Decimal("8900.50"), "EUR"),
    }


def test_german_headers_decide_a_column_of_only_ambiguous_values(store, tmp_path, db_path):
    f = tmp_path / "deals.csv"
    f.write_text("Opportunity Name;Kunde;Amount\nAlpha;Acme;1.500\n", encoding="utf-8")
    import_files(store, [f], kind="opportunities")
    assert _opps(db_path)["Alpha"] == (Decimal("1500"), None)


def test_an_ambiguous_column_is_reported_not_guessed(store, tmp_path, db_path):
    f = tmp_path / "deals.csv"
    f.write_text("Opportunity Name,Account Name,Amount\nDelta,Bolt,1.500\n", encoding="utf-8")
    report = import_files(store, [f])
    [warning] = report.warnings
    assert "1.500 could be 1500 or 1.5" in warning.message
    assert _opps(db_path)["Delta"] == (Decimal("0"), None)
    conn = sqlite3.connect(db_path)
    assert "Amount: 1.500" in conn.execute("SELECT plan FROM opportunity").fetchone()[0]
    conn.close()


def test_dollar_amounts_keep_their_currency_and_yuan_is_the_default(store, tmp_path, db_path):
    f = tmp_path / "deals.csv"
    f.write_text(
        'Opportunity Name,Account Name,Amount\nA,Acme,"$1,200.00"\nB,Acme,"USD 300"\nC,Acme,50万元\n',
        encoding="utf-8",
    )
    import_files(store, [f])
    assert _opps(db_path) == {
        "A": (Decimal("1200"), "USD"),
        "B": (Decimal("300"), "USD"),
        "C": (Decimal("500000"), None),
    }
