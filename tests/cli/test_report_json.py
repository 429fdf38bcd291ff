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
