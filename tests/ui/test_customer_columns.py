"""The customer list's columns (``ui/widgets/customer_table/columns.py``): layout and segments."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from rich.style import Style

from tuicrm.ui.widgets.customer_table.columns import (
    MARK_OVERDUE,
    header_segments,
    layout,
    next_cell,
    row_segments,
)

TODAY = date(2026, 11, 22)
PLAIN, NAME, LATE, SOON = Style(), Style(bold=True), Style(color="red"), Style(color="yellow")
STYLES = {"": PLAIN, "name": NAME, "overdue": LATE, "today": SOON}


def row(**kw):
    values = dict(
        code="C000001",
        name="Acme",
        tier="A",
        status="intent",
        next_follow_up_on=date(2026, 11, 19),
        industry="Tools",
        phone="13812345678",
        owner="rep",
    )
    values.update(kw)
    return SimpleNamespace(**values)


def test_layout_fills_the_width_and_drops_columns_when_narrow():
    for width in (40, 80, 120, 200):
        columns = layout(width)
        assert sum(w for _c, w in columns) + len(columns) - 1 == width
        assert "name" in [c.key for c, _w in columns]
    assert len(layout(40)) < len(layout(120))


def test_next_cell_marks():
    assert next_cell(None, TODAY) == ("—", "")
    assert next_cell(date(2026, 11, 19), TODAY) == (f"2026-11-19 {MARK_OVERDUE}", "overdue")
    assert next_cell(TODAY, TODAY)[1] == "today"
    assert next_cell(date(2026, 11, 25), TODAY) == ("2026-11-25", "")


def test_a_row_is_one_segment_per_run_of_style():
    columns = layout(120)
    segments = row_segments(row(), columns, TODAY, STYLES)
    text = "".join(s.text for s in segments)
    assert len(text) == 120 and "Acme" in text and "2026-11-19 !" in text
    assert "138****5678" in text and "12345678" not in text  # the phone is masked
    assert [s.style for s in segments] == [PLAIN, NAME, PLAIN, LATE, PLAIN]


def test_the_header_marks_the_sort_column():
    columns = layout(80)
    text = "".join(s.text for s in header_segments(columns, "name", False, 80, PLAIN))
    assert "Name▲" in text and len(text) == 80
    text = "".join(s.text for s in header_segments(columns, "name", True, 80, PLAIN))
    assert "Name▼" in text
