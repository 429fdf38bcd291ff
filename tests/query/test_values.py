"""The lean result types (``tuicrm.query.values.Frozen``) and stored-value conversions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tuicrm.query.filters import NO_FILTER, CustomerFilter
from tuicrm.query.search import CustomerRow
from tuicrm.query.values import as_date, as_money, as_utc, money_text


def test_filter_defaults_replace_equality_and_hash():
    f = CustomerFilter(text="acme", tier="A")
    assert (f.text, f.tier, f.status, f.include_archived) == ("acme", "A", None, False)
    assert f.replace(text="") == CustomerFilter(tier="A") != NO_FILTER
    assert f.replace(text="", tier=None) == NO_FILTER
    assert f.has_other_filters and not CustomerFilter(text="x").has_other_filters
    assert len({f, CustomerFilter(text="acme", tier="A"), NO_FILTER}) == 2
    assert f.asdict()["text"] == "acme"
    assert "text='acme'" in repr(f)


def test_frozen_is_read_only_and_checks_its_fields():
    f = CustomerFilter()
    with pytest.raises(AttributeError):
        f.text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        CustomerFilter(colour="red")
    with pytest.raises(TypeError):
        CustomerRow(1, "C000001")  # the other fields have no defaults
    row = CustomerRow(1, "C000001", "Acme", None, None, "potential", "D", None, None, None, None, "rep")
    assert tuple(row)[:3] == (1, "C000001", "Acme") and row.owner == "rep"
    assert row != tuple(row)  # a row equals rows, not tuples


def test_stored_values_convert_like_the_models():
    assert as_date("2026-11-22") == date(2026, 11, 22)
    assert as_utc("2026-11-22 09:00:00.000000") == datetime(2026, 11, 22, 9, tzinfo=UTC)
    assert as_money(123456) == Decimal("1234.56") and as_money(None) is None
    assert [money_text(c) for c in (0, 5, -5, 123456, None)] == ["0.00", "0.05", "-0.05", "1234.56", None]
