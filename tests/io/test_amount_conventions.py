"""Decimal marks decided per column, else per sheet, else from the header language; currency
signs and codes kept (issue #15)."""

from __future__ import annotations

import pytest

from tuicrm.io.values import (
    AmbiguousAmount,
    currency_of,
    decimal_from_headers,
    decimal_mark,
    parse_amount,
    parse_money,
)


@pytest.mark.parametrize(
    "cell, decimal, expected",
    [
        ("1.500", ",", ("1500.00", None)),
        ("1.500", ".", ("1.50", None)),
        ("12.500,00", ",", ("12500.00", None)),
        ("€ 8.900,50", ",", ("8900.50", "EUR")),
        ("$1,200", ".", ("1200.00", "USD")),
        ("US$ 3,000.50", "", ("3000.50", "USD")),
        ("USD 1.2m", "", ("1200000.00", "USD")),
        ("EUR 12", "", ("12.00", "EUR")),
        ("50万元", "", ("500000.00", "CNY")),
        ("RMB 3000元/年", "", ("3000.00", "CNY")),
        ("¥1,200.50", "", ("1200.50", "CNY")),
        ("£99", "", ("99.00", "GBP")),
        ("3000", None, ("3000.00", None)),
        (1500, None, ("1500.00", None)),
    ],
)
def test_amounts_with_their_currency(cell, decimal, expected):
    amount, currency = parse_money(cell, decimal)
    assert (str(amount), currency) == expected


@pytest.mark.parametrize("cell", ["1.500", "$2.000", "12.345"])
def test_an_ambiguous_cell_in_an_undecided_column_is_refused(cell):
    with pytest.raises(AmbiguousAmount, match="could be"):
        parse_amount(cell, None)


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["1.500", "12.500,00"], ","),
        (["1.500", "1,200.50"], "."),
        (["1.500", "1.200.000"], ","),
        (["1,500", "2,000"], "."),  # a lone comma before three digits groups thousands
        (["12,5"], ","),
        (["12.5"], "."),
        (["1.500", "2.000"], None),  # only values that read either way
        ([1500, "3000", None], ""),  # nothing needs a decimal mark
    ],
)
def test_a_columns_decimal_mark(cells, expected):
    assert decimal_mark(cells) == expected


@pytest.mark.parametrize(
    "headers, expected",
    [
        (["Name", "Betrag"], ","),
        (["Nom", "Montant"], ","),
        (["Name", "Kunde", "Amount"], ","),
        (["机会名称", "金额"], "."),
        (["Name", "Amount"], ""),
    ],
)
def test_the_header_language(headers, expected):
    assert decimal_from_headers(headers) == expected


@pytest.mark.parametrize(
    "text, code", [("$5", "USD"), ("US$5", "USD"), ("5 €", "EUR"), ("5元", "CNY"), ("5", None)]
)
def test_currency_of(text, code):
    assert currency_of(text) == code
