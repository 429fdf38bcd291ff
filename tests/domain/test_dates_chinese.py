"""Chinese date input (issue #19): 明天, 下周一, 周五, 3天后, 两周后, 12月1日 … against a pinned today,
and which of them are counted forward (moved to a working day) rather than named outright."""

from __future__ import annotations

from datetime import date

import pytest

from tuicrm import i18n
from tuicrm.domain.dates import AUTO, DateInputError, is_counted, parse_date_input, relative_label

SUNDAY = date(2026, 11, 22)
WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("今天", SUNDAY, date(2026, 11, 22)),
        ("明天", SUNDAY, date(2026, 11, 23)),
        ("后天", SUNDAY, date(2026, 11, 24)),
        ("昨天", SUNDAY, date(2026, 11, 21)),
        (" 明天 ", SUNDAY, date(2026, 11, 23)),
        # 下周X: that day of the next calendar week (weeks start on Monday)
        ("下周一", SUNDAY, date(2026, 11, 23)),
        ("下周日", SUNDAY, date(2026, 11, 29)),
        ("下周一", WEDNESDAY, date(2026, 11, 30)),
        ("下周三", WEDNESDAY, date(2026, 12, 2)),
        ("下周日", WEDNESDAY, date(2026, 12, 6)),
        ("下星期五", WEDNESDAY, date(2026, 12, 4)),
        ("下周", WEDNESDAY, date(2026, 11, 30)),
        # 周X / 星期X: the next such day, never today (as ``fri``)
        ("周五", SUNDAY, date(2026, 11, 27)),
        ("星期五", SUNDAY, date(2026, 11, 27)),
        ("周三", WEDNESDAY, date(2026, 12, 2)),
        ("星期日", SUNDAY, date(2026, 11, 29)),
        ("星期天", WEDNESDAY, date(2026, 11, 29)),
        ("3天后", SUNDAY, date(2026, 11, 25)),
        ("三天后", SUNDAY, date(2026, 11, 25)),
        ("３天后", SUNDAY, date(2026, 11, 25)),  # full-width digit from a Chinese input method
        ("十天以后", SUNDAY, date(2026, 12, 2)),
        ("2周后", SUNDAY, date(2026, 12, 6)),
        ("两周后", SUNDAY, date(2026, 12, 6)),
        ("2个星期后", SUNDAY, date(2026, 12, 6)),
        ("1个月后", SUNDAY, date(2026, 12, 22)),
        ("1个月后", date(2027, 1, 31), date(2027, 2, 28)),  # the day clamps, as +1m
        ("1年后", SUNDAY, date(2027, 11, 22)),
        ("1天前", SUNDAY, date(2026, 11, 21)),
        ("12月1日", SUNDAY, date(2026, 12, 1)),
        ("12月1号", SUNDAY, date(2026, 12, 1)),
        ("12 月 1 日", SUNDAY, date(2026, 12, 1)),
        ("11月22日", SUNDAY, date(2026, 11, 22)),  # today is not past
        ("1月15日", SUNDAY, date(2027, 1, 15)),  # already past this year: next year, as 01-15
        ("2026年12月1日", SUNDAY, date(2026, 12, 1)),
        ("2027年1月5号", SUNDAY, date(2027, 1, 5)),
        ("自动", SUNDAY, AUTO),
    ],
)
def test_chinese_forms(text, today, expected):
    assert parse_date_input(text, today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "下下周一",
        "周八",
        "3个天后",
        "十十天后",
        "天后",
        "13月1日",
        "2026年2月30日",
        "12月1",
        "明天下午",
        "1万天后",
    ],
)
def test_bad_chinese_input_is_a_clear_error(text):
    with pytest.raises(DateInputError) as err:
        parse_date_input(text, SUNDAY)
    assert text.strip() in str(err.value) or "outside the years" in str(err.value)


def test_a_count_past_the_accepted_years_is_refused():
    with pytest.raises(DateInputError, match="outside the years"):
        parse_date_input("1000年后", SUNDAY)


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("3天后", True),
        ("两周后", True),
        ("1个月后", True),
        ("下周", True),
        ("1天前", False),
        ("明天", False),
        ("下周一", False),
        ("周五", False),
        ("12月1日", False),
        ("2026年12月1日", False),
    ],
)
def test_counted_forward_or_named_outright(text, counted):
    """Counted dates become working days (domain/workdays.settle); named dates stay as typed."""
    assert is_counted(text) is counted


@pytest.fixture
def chinese():
    i18n.set_language("zh_CN")
    yield
    i18n.reset()


@pytest.mark.parametrize(
    ("target", "label"),
    [
        (date(2026, 11, 19), "逾期 3 天"),
        (date(2026, 11, 21), "逾期 1 天"),
        (SUNDAY, "今天到期"),
        (date(2026, 11, 23), "明天"),
        (date(2026, 12, 5), "13 天后"),
        (None, "未设下次跟进"),
    ],
)
def test_relative_labels_in_chinese(chinese, target, label):
    assert relative_label(target, SUNDAY) == label


def test_errors_in_chinese_name_the_chinese_forms(chinese):
    with pytest.raises(DateInputError) as err:
        parse_date_input("某天", SUNDAY)
    assert "不是日期" in str(err.value) and "3天后" in str(err.value)


@pytest.mark.parametrize(
    ("list_name", "key", "zh"),
    [
        ("lost_reason", "price", "价格"),
        ("lost_reason", "went silent", "失去联系"),
        ("lost_reason", "a reason the rep typed", "a reason the rep typed"),
        ("outcome", "partly", "部分完成"),
        ("outcome", "not-done", "未完成"),
    ],
)
def test_lost_reasons_and_outcomes_shown_in_chinese(chinese, list_name, key, zh):
    from tuicrm.i18n.names import display

    assert display(list_name, key) == zh
