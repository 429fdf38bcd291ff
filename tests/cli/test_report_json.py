"""The reports' ``--json`` writer (``cli/commands/report_json.py``) writes what ``print_json``
wrote, byte for byte: ``json.dumps(data, ensure_ascii=False, indent=2, default=str)``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tuicrm.cli.commands.report_json import dumps

ROWS = [{"id": n, "name": f"客户 {n}", "share": n / 7, "on": None} for n in range(1, 4)]
NESTED = [
    {"customer": {"id": n, "name": "a}b"}, "amount": Decimal("1.50"), "ageing": {"1-30": "0.00"}}
    for n in range(3)
]


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        "text",
        1.5,
        {"a": {}, "b": [], "c": None},
        [{}],
        [{"a": 1}, {}],
        [[1, 2], [3], []],
        (1, 2),
        {1: 2, False: [1], None: {"x": Decimal("1.5")}, 2.5: "f"},
        [{"a": "}", "b": "},\n    {"}, {"c": []}],
        [{"a": "x},"}, {"b": date(2026, 1, 1)}],
        [float("nan"), float("inf"), -0.0, 1e100],
        {"k": [{"a": 1, "b": {"c": 2}}]},
        [[{"a": 1}], [{"b": 2}, {"c": 3}]],
        {"é\u2028": "\x01\x1b[31m"},
        ROWS,
        {"report": "x", "customers": ROWS, "review": ROWS[:1]},
        NESTED,
        {"customers": NESTED},
        [{"a": {"x": 1}}, {"a": {}}],
        [{"a": {"x": 1}}, {"a": {"y": {"z": 1}}}],
        [{"a": {"x": 1}}, {"b": {"y": 1}}],
        [{"a": {"x": 1}, "b": [1]}],
        [{"a": {"x": 1}}, {"a": {"x": 2}, "b": {"y": 3}}],
        [{"a": {"x": "\x00"}, "b": "\x00"}],
    ],
)
def test_dumps_is_json_dumps_indented(data):
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2, default=str)


def test_reports_written_from_templates_are_print_json(capsys):
    """``value --json`` and ``receivables --json`` are written from one template per row
    (``value_json``, ``report_json``): the text ``print_json`` writes for their dicts."""
    from tuicrm.cli.commands.report_json import print_json
    from tuicrm.domain import reports as rep
    from tuicrm.domain.reports.receivables import CustomerLine, ReceivablesReport, report_json, report_to_dict
    from tuicrm.domain.reports.value import value_json

    def printed(data):
        print_json(data)
        return capsys.readouterr().out

    odd = 'A "q" \\ \x01\x1b[31m \u202e\u2028 客户'
    items = [
        rep.ValueInput(1, "C000001", odd, "A", Decimal("300000"), date(2026, 11, 23), 2, "received"),
        rep.ValueInput(2, "C000002", "B Ltd", None, Decimal("0.07"), None, 0),
        rep.ValueInput(3, "C000003", "C Ltd", "D", Decimal("20000.5"), date(2025, 1, 1), 0),
    ]
    for r in (
        rep.value_report(items, today=date(2026, 11, 25), currency="CNY"),
        rep.value_report([], today=date(2026, 11, 25), currency="CNY"),
    ):
        assert "".join(value_json(r, rows_per_piece=2)) + "\n" == printed(rep.value_to_dict(r))
    stale = [
        rep.StaleItem(7, odd, "C000001", odd, "lead", Decimal("1234.5"), date(2026, 1, 2), 327),
        rep.StaleItem(8, "Deal", "C000002", "B Ltd", "need", Decimal("0"), None, None),
    ]
    for items in (stale, []):
        funnel = rep.funnel_report([], start=None, end=date(2026, 11, 25), currency="CNY", stale=items)
        assert "".join(rep.funnel_json(funnel)) + "\n" == printed(rep.funnel_to_dict(funnel))
    lines = [
        CustomerLine(
            n, f"C{n:06d}", odd if n == 1 else "x", 12345 * n, -5, 7 - n, 3, -250 * n, n, r, (n, 0, -1)
        )
        for n, r in ((1, "good"), (2, None), (3, "very-poor"))
    ]
    for customers in (lines, []):
        report = ReceivablesReport(
            date(2026, 11, 25), ("not-due", "1-30", ">30"), 5, 0, -7, 0, (1, 2, 3), customers
        )
        day = date(2026, 11, 25)
        assert "".join(report_json(report, day, rows_per_piece=2)) + "\n" == printed(
            report_to_dict(report, day)
        )
