"""A lost deal's reason split into its category and details (issue #21), and the quarter the
pipeline's won and lost columns count."""

from __future__ import annotations

from datetime import date

import pytest

from tuicrm.config import DEFAULT
from tuicrm.domain.lost import lost_reason_text, split_lost_reason
from tuicrm.domain.pipeline import quarter_name, quarter_start
from tuicrm.domain.reports import group_reasons

KNOWN = DEFAULT.lost_reasons


@pytest.mark.parametrize(
    ("reason", "detail", "expected"),
    [
        ("price", None, ("price", None)),
        ("price: chose Huawei", None, ("price", "chose Huawei")),
        ("Price：选了华为", None, ("price", "选了华为")),  # full-width colon, any case
        ("价格", "chose Huawei", ("price", "chose Huawei")),  # the Chinese word of a configured reason
        ("price: chose Huawei", "cheaper by 10%", ("price", "chose Huawei; cheaper by 10%")),
        ("  No   Budget ", "", ("no budget", None)),
        ("budget cut", None, ("budget cut", None)),  # a rep's own category stays as typed
        ("price:", None, ("price", None)),
        (": chose Huawei", None, (": chose Huawei", None)),  # nothing before the colon: left whole
        ("x" * 41 + ": tail", None, ("x" * 41 + ": tail", None)),  # a sentence, not a category
        ("time: 10:30 call missed", None, ("time", "10:30 call missed")),  # the first colon only
        (None, None, (None, None)),
        ("", "only details", (None, "only details")),
    ],
)
def test_split_lost_reason(reason, detail, expected):
    assert split_lost_reason(reason, detail, KNOWN) == expected


@pytest.mark.parametrize(
    ("reason", "detail", "shown"),
    [("price", "chose Huawei", "price — chose Huawei"), ("price", None, "price"), (None, None, "")],
)
def test_lost_reason_text(reason, detail, shown):
    assert lost_reason_text(reason, detail) == shown


def test_report_groups_by_category_with_details_under_it():
    rows = group_reasons(
        [("price", 10, "chose Huawei"), ("Price: too dear", 5), ("价格", 1, None), ("timing", 2)], KNOWN
    )
    assert [(r.reason, r.count, r.details) for r in rows] == [
        ("price", 3, ("chose Huawei", "too dear")),
        ("timing", 1, ()),
    ]


@pytest.mark.parametrize(
    ("day", "start", "name"),
    [
        (date(2026, 12, 7), date(2026, 10, 1), "Q4"),
        (date(2026, 1, 1), date(2026, 1, 1), "Q1"),
        (date(2026, 6, 30), date(2026, 4, 1), "Q2"),
        (date(2026, 7, 1), date(2026, 7, 1), "Q3"),
    ],
)
def test_quarter(day, start, name):
    assert (quarter_start(day), quarter_name(day)) == (start, name)
