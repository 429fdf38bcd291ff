"""Cell value parsers (SPEC §9)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tuicrm.io.values import (
    clean_text,
    decode_bytes,
    guess_day_first,
    map_attitude,
    map_channel,
    map_kind,
    map_prefers,
    map_relationship,
    map_role,
    map_stage,
    map_status,
    map_tier,
    parse_amount,
    parse_amount_range,
    parse_date,
    parse_datetime,
    parse_int,
    parse_percent,
    parse_phone_digits,
    parse_tier_scores,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
REAL = REPO_ROOT.parent / "shared" / "data" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"third-party sample data not present at {REAL}")


# ---------------------------------------------------------------------------
# clean_text


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("  Acme  ", "Acme"),
        ("\ufeffAcme", "Acme"),
        ("\u3000科技有限公司\u3000", "科技有限公司"),
        ("\u00a0x\u00a0", "x"),
        ("a  b", "a  b"),
        (13800138001.0, "13800138001"),
        (1.5, "1.5"),
        (42, "42"),
        ("", None),
        ("   ", None),
        ("\u3000", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_clean_text(cell, text):
    assert clean_text(cell) == text


# ---------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("2024/3/15", date(2024, 3, 15)),
        ("2024.3.15", date(2024, 3, 15)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2024年3月15日", date(2024, 3, 15)),
        ("2024年03月15号", date(2024, 3, 15)),
        ("２０２４年３月１５日", date(2024, 3, 15)),
        ("20240315", date(2024, 3, 15)),
        (20240315, date(2024, 3, 15)),
        ("3/15/2024", date(2024, 3, 15)),
        ("15/03/2024", date(2024, 3, 15)),
        ("15.03.2024", date(2024, 3, 15)),
        ("03.04.2024", date(2024, 4, 3)),  # dotted: always day first
        ("3/15/24", date(2024, 3, 15)),
        ("4/4/2024", date(2024, 4, 4)),  # same either way
        ("15 Mar 2024", date(2024, 3, 15)),
        ("March 15, 2024", date(2024, 3, 15)),
        ("2019-01-02T10:00:00.000Z", date(2019, 1, 2)),
        ("2024-01-22T16:14:25.000+0000", date(2024, 1, 22)),
        ("2024-03-15 10:30", date(2024, 3, 15)),
        ("2024-03-15 下午3:30", date(2024, 3, 15)),
        ("3/15/2024 10:30", date(2024, 3, 15)),
        (45366, date(2024, 3, 15)),
        (45366.75, date(2024, 3, 15)),
        ("45366", date(2024, 3, 15)),
        (date(2024, 3, 15), date(2024, 3, 15)),
        (datetime(2024, 3, 15, 23, 59), date(2024, 3, 15)),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_date(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2024-13-45", "is not a valid date"),
        ("2024-02-30", "is not a valid date"),
        ("2023年2月29日", "is not a valid date"),
        ("31/31/2024", "is not a valid date"),
        ("03/04/2024", "ambiguous"),
        ("abc", "is not a date"),
        ("2024", "is not a date"),
        ("3月15日", "is not a date"),
        ("2024-03-15 25:00", "is not a valid time"),
        ("2024-03-15 tomorrow", "is not a date"),
        (123, "not an Excel date serial"),
        (True, "is not a date"),
    ],
)
def test_parse_date_rejects(cell, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(cell)


def test_ambiguous_dates_follow_the_column():
    assert parse_date("03/04/2024", day_first=True) == date(2024, 4, 3)
    assert parse_date("03/04/2024", day_first=False) == date(2024, 3, 4)
    # An unambiguous value ignores the hint.
    assert parse_date("3/15/2024", day_first=True) == date(2024, 3, 15)
    assert guess_day_first(["03/04/2024", "25/04/2024", None, ""]) is True
    assert guess_day_first(["03/04/2024", "04/25/2024"]) is False
    assert guess_day_first(["03/04/2024", "2024-05-06"]) is None
    assert guess_day_first(["25/04/2024", "04/25/2024"]) is None  # contradictory: decide nothing


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-15", datetime(2024, 3, 15)),
        ("2024-03-15 10:30", datetime(2024, 3, 15, 10, 30)),
        ("2024-03-15T10:30:05", datetime(2024, 3, 15, 10, 30, 5)),
        ("2019-01-02T10:00:00.000Z", datetime(2019, 1, 2, 10, 0)),
        ("2024-03-15T10:30:00+08:00", datetime(2024, 3, 15, 2, 30)),
        ("2024-01-22T16:14:25.000+0000", datetime(2024, 1, 22, 16, 14, 25)),
        ("2024-03-15 下午3:30", datetime(2024, 3, 15, 15, 30)),
        ("2024-03-15 3:30 pm", datetime(2024, 3, 15, 15, 30)),
        ("2024-03-15 12:10 am", datetime(2024, 3, 15, 0, 10)),
        ("3/15/2024 10:30", datetime(2024, 3, 15, 10, 30)),
        (45366.75, datetime(2024, 3, 15, 18, 0)),
        (datetime(2024, 3, 15, 10, 30, tzinfo=timezone(timedelta(hours=8))), datetime(2024, 3, 15, 2, 30)),
        (date(2024, 3, 15), datetime(2024, 3, 15)),
        (None, None),
        ("", None),
    ],
)
def test_parse_datetime(cell, expected):
    assert parse_datetime(cell) == expected


# ---------------------------------------------------------------------------
# Amounts


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("50万元", "500000"),
        ("50万", "500000"),
        ("50萬元", "500000"),
        ("1.2亿", "120000000"),
        ("¥1,200.50", "1200.50"),
        ("￥3,000元", "3000"),
        ("$1,200", "1200"),
        ("RMB 3000", "3000"),
        ("CNY3000", "3000"),
        ("3000 USD", "3000"),
        ("1.5k", "1500"),
        ("2M", "2000000"),
        ("50w", "500000"),
        ("3 000", "3000"),
        ("1 234 567", "1234567"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("1.200,50", "1200.50"),
        ("12,5", "12.5"),
        ("１２００", "1200"),
        ("50万/年", "500000"),
        ("1e3", "1000"),
        ("0", "0"),
        ("1124741.15", "1124741.15"),
        (1000, "1000"),
        (1054, "1054"),
        (1000.5, "1000.5"),
        (Decimal("99.999"), "100.00"),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_amount(cell, expected):
    got = parse_amount(cell)
    if expected is None:
        assert got is None
    else:
        assert got == Decimal(expected)
        assert got.as_tuple().exponent == -2  # cents, like the Money column


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("-5", "negative"),
        ("-50万", "negative"),
        ("(100)", "negative"),
        (-3, "negative"),
        ("abc", "is not an amount"),
        ("预算50万", "is not an amount"),
        ("1,2,3", "is not an amount"),
        ("15-20万", "is a range"),
        ("1e999", "too large"),
        (True, "is not an amount"),
        (float("inf"), "is not an amount"),
    ],
)
def test_parse_amount_rejects(cell, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(cell)


@pytest.mark.parametrize(
    ("cell", "low", "high"),
    [
        ("15-20万", "150000", "200000"),
        ("15 - 20万元", "150000", "200000"),
        ("10万~20万", "100000", "200000"),
        ("5千-1万", "5000", "10000"),
        ("50万", "500000", "500000"),
        ("$1,000 to", None, None),
    ],
)
def test_parse_amount_range(cell, low, high):
    if low is None:
        with pytest.raises(ValueError):
            parse_amount_range(cell)
        return
    assert parse_amount_range(cell) == (Decimal(low), Decimal(high))


def test_parse_amount_range_empty_and_backwards():
    assert parse_amount_range("") == (None, None)
    with pytest.raises(ValueError, match="lower end"):
        parse_amount_range("100-50")


# ---------------------------------------------------------------------------
# Percent and scores


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("70%", 70),
        ("70 %", 70),
        ("７０％", 70),
        ("0.7", 70),
        (0.7, 70),
        ("70", 70),
        (70, 70),
        (70.4, 70),
        (1, 100),
        ("100%", 100),
        ("1%", 1),
        ("0", 0),
        ("0.5%", 1),
        ("12,5%", 13),
        ("", None),
        (None, None),
    ],
)
def test_parse_percent(cell, expected):
    assert parse_percent(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("150", "between 0 and 100"),
        ("101%", "between 0 and 100"),
        ("-5", "not a percentage"),
        (-0.5, "between 0"),
        ("abc", "not a percentage"),
        ("七成", "not a percentage"),
        (True, "not a percentage"),
    ],
)
def test_parse_percent_rejects(cell, reason):
    with pytest.raises(ValueError, match=reason):
        parse_percent(cell)


def test_parse_int_and_tier_scores():
    assert parse_int("8分", 1, 10, "score") == 8
    assert parse_int(9.0, 1, 10) == 9
    assert parse_int("", 1, 10) is None
    with pytest.raises(ValueError, match="from 1 to 10"):
        parse_int("11", 1, 10, "score")
    with pytest.raises(ValueError, match="whole"):
        parse_int("8.5", 1, 10, "score")
    assert parse_tier_scores("采购潜力8分/合作意愿9分") == (8, 9)
    assert parse_tier_scores("採購潛力5分/合作意願6分") == (5, 6)
    assert parse_tier_scores("8/9") == (8, 9)
    assert parse_tier_scores(None) == (None, None)
    with pytest.raises(ValueError, match="potential and willingness"):
        parse_tier_scores("年采购预估超100万")
    with pytest.raises(ValueError, match="from 1 to 10"):
        parse_tier_scores("潜力12/意愿3")


# ---------------------------------------------------------------------------
# Word lists


@pytest.mark.parametrize(
    ("mapper", "cell", "expected"),
    [
        (map_status, "潜在", "potential"),
        (map_status, "潛在", "potential"),
        (map_status, "意向", "intent"),
        (map_status, "意向客户", "intent"),
        (map_status, "成交", "won"),
        (map_status, "流失", "lost"),
        (map_status, "Potential", "potential"),
        (map_status, "prospect", "potential"),
        (map_status, "Lead", "potential"),
        (map_status, "interested", "intent"),
        (map_status, "Qualified", "intent"),
        (map_status, "won", "won"),
        (map_status, "Customer", "won"),
        (map_status, "Closed Won", "won"),
        (map_status, "active", "won"),
        (map_status, "lost", "lost"),
        (map_status, "churned", "lost"),
        (map_status, "Closed Lost", "lost"),
        (map_status, "New Lead", "potential"),
        (map_status, "Working", "potential"),
        (map_status, "活跃", "won"),
        (map_stage, "线索", "lead"),
        (map_stage, "線索", "lead"),
        (map_stage, "需求确认", "need"),
        (map_stage, "需求確認", "need"),
        (map_stage, "方案", "proposal"),
        (map_stage, "谈判", "negotiation"),
        (map_stage, "談判階段", "negotiation"),
        (map_stage, "成交", "won"),
        (map_stage, "流失", "lost"),
        (map_stage, "lead", "lead"),
        (map_stage, "Prospecting", "lead"),
        (map_stage, "Qualification", "need"),
        (map_stage, "Needs Analysis", "need"),
        (map_stage, "Discovery", "need"),
        (map_stage, "Engaging", "need"),
        (map_stage, "In_Progress", "need"),
        (map_stage, "Proposal", "proposal"),
        (map_stage, "Quote", "proposal"),
        (map_stage, "Proposal/Quote", "proposal"),
        (map_stage, "Proposal/Price Quote", "proposal"),
        (map_stage, "Negotiation", "negotiation"),
        (map_stage, "Negotiation/Review", "negotiation"),
        (map_stage, "Closed Won", "won"),
        (map_stage, "Won", "won"),
        (map_stage, "Closed Lost", "lost"),
        (map_stage, "Lost", "lost"),
        (map_stage, "5-赢单", "won"),
        (map_stage, "3-方案/报价", "proposal"),
        (map_channel, "电话", "phone"),
        (map_channel, "電話", "phone"),
        (map_channel, "线上会议", "video"),
        (map_channel, "線上會議", "video"),
        (map_channel, "视频", "video"),
        (map_channel, "邮件", "email"),
        (map_channel, "拜访", "visit"),
        (map_channel, "上门", "visit"),
        (map_channel, "会议", "meeting"),
        (map_channel, "面谈", "meeting"),
        (map_channel, "微信", "im"),
        (map_channel, "IM", "im"),
        (map_channel, "演示", "demo"),
        (map_channel, "线上演示", "demo"),
        (map_channel, "Call", "phone"),
        (map_channel, "Email", "email"),
        (map_channel, "Meeting", "meeting"),
        (map_channel, "周三电话回访", "phone"),
        (map_channel, "信鸽", "other"),
        (map_channel, "Prep", "other"),
        (map_channel, "", None),
        (map_attitude, "积极", "positive"),
        (map_attitude, "中性", "neutral"),
        (map_attitude, "消極", "negative"),
        (map_attitude, "Positive", "positive"),
        (map_attitude, "观望", "neutral"),
        (map_kind, "B2B", "B2B"),
        (map_kind, "b2c", "B2C"),
        (map_kind, "企业", "B2B"),
        (map_kind, "個人", "B2C"),
        (map_tier, "A", "A"),
        (map_tier, "b", "B"),
        (map_tier, "A类", "A"),
        (map_tier, "B级", "B"),
        (map_tier, "C級客戶", "C"),
        (map_tier, "A (战略客户)", "A"),
        (map_tier, "D", "D"),
        (map_tier, "Hot", "A"),
        (map_role, "决策者", "decision-maker"),
        (map_role, "Decision Maker", "decision-maker"),
        (map_role, "影响者", "influencer"),
        (map_role, "使用者", "user"),
        (map_role, "技術評估者", "technical-evaluator"),
        (map_role, "其他", "other"),
        (map_relationship, "熟悉", "familiar"),
        (map_relationship, "伙伴", "partner"),
        (map_prefers, "电话", "phone"),
        (map_prefers, "面谈", "meeting"),
        (map_prefers, "微信", "im"),
    ],
)
def test_mappers(mapper, cell, expected):
    assert mapper(cell) == expected


@pytest.mark.parametrize(
    ("mapper", "cell", "names"),
    [
        (map_status, "maybe", "potential, intent, won or lost"),
        (map_stage, "On Hold", "lead, need, proposal, negotiation, won or lost"),
        (map_tier, "E", "A, B, C or D"),
        (map_kind, "物业", "B2B or B2C"),
        (map_attitude, "meh", "positive, neutral or negative"),
        (map_role, "boss", "decision-maker, influencer"),
        (map_relationship, "enemy", "stranger, acquaintance"),
        (map_prefers, "fax", "phone, email, meeting or im"),
    ],
)
def test_mappers_name_the_accepted_values(mapper, cell, names):
    with pytest.raises(ValueError, match=names):
        mapper(cell)


@pytest.mark.parametrize(
    "mapper",
    [
        map_status,
        map_stage,
        map_channel,
        map_attitude,
        map_kind,
        map_tier,
        map_role,
        map_relationship,
        map_prefers,
    ],
)
def test_mappers_empty_is_none(mapper):
    assert mapper(None) is None
    assert mapper("  ") is None


# ---------------------------------------------------------------------------
# Phones


@pytest.mark.parametrize(
    ("cell", "digits"),
    [
        ("+86 138-0013-8001", "+8613800138001"),
        ("(020) 1234-5678", "02012345678"),
        ("917-584-0243x4606", "9175840243"),
        ("(209)172-7124x3651", "2091727124"),
        ("010-12345678转123", "01012345678"),
        (13800138001.0, "13800138001"),
        (" +12025550124", "+12025550124"),
        ("＋86 13800138001", "+8613800138001"),
        ("", ""),
        (None, ""),
    ],
)
def test_parse_phone_digits(cell, digits):
    assert parse_phone_digits(cell) == digits


@pytest.mark.parametrize(("cell", "reason"), [("139****5678", "masked"), ("保密", "not a phone number")])
def test_parse_phone_digits_rejects(cell, reason):
    with pytest.raises(ValueError, match=reason):
        parse_phone_digits(cell)


# ---------------------------------------------------------------------------
# Encodings


CHINESE_CSV = (
    "客户名称,所属行业,联系人,联系方式\n科技有限公司,互联网,王经理,13800138001\n贸易商行,零售,李女士,139\n"
)
TRADITIONAL_CSV = "客戶名稱,所屬行業,聯繫人\n科技有限公司,互聯網,王經理\n"
GERMAN_CSV = '"Vorname","Nachname","Straße geschäftlich","Größe"\n"Jürgen","Müller","Hauptstraße 1","groß"\n'


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (CHINESE_CSV.encode("utf-8"), CHINESE_CSV, "utf-8"),
        (b"\xef\xbb\xbf" + CHINESE_CSV.encode("utf-8"), CHINESE_CSV, "utf-8-sig"),
        (CHINESE_CSV.encode("utf-16"), CHINESE_CSV, "utf-16"),
        (CHINESE_CSV.encode("gbk"), CHINESE_CSV, "gb18030"),
        (CHINESE_CSV.encode("gb2312"), CHINESE_CSV, "gb18030"),
        (TRADITIONAL_CSV.encode("gbk"), TRADITIONAL_CSV, "gb18030"),
        (GERMAN_CSV.encode("cp1252"), GERMAN_CSV, "cp1252"),
        ("Café “quoted” – 5 €\n".encode("cp1252"), "Café “quoted” – 5 €\n", "cp1252"),
        (b"plain,ascii\n", "plain,ascii\n", "utf-8"),
        (b"", "", "utf-8"),
    ],
)
def test_decode_bytes(data, text, encoding):
    assert decode_bytes(data) == (text, encoding)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00",
        b"%PDF-1.7\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"name,phone\x00\x00\n",
        bytes(range(1, 32)) * 10,
        b"\xef\xbb\xbfok\xff\n",
    ],
)
def test_decode_bytes_refuses_binary(data):
    with pytest.raises(ValueError, match="does not look like a text file|is not UTF-8"):
        decode_bytes(data)


@needs_real
def test_outlook_export_is_cp1252_with_umlauts():
    text, encoding = decode_bytes((REAL / "contacts-csv" / "importtest_outlook2013.csv").read_bytes())
    assert encoding == "cp1252"
    assert '"Straße geschäftlich"' in text
    assert '"Telefon für Hörbehinderte"' in text


@needs_real
@pytest.mark.parametrize(
    ("relative", "encoding"),
    [
        ("salesforce-data-export-sfdc-assets/Account.csv", "utf-8-sig"),
        ("contacts-csv/google_contacts.csv", "utf-8"),
        ("maven-crm-sales-opportunities/sales_pipeline.csv", "utf-8"),
    ],
)
def test_real_file_encodings(relative, encoding):
    text, got = decode_bytes((REAL / relative).read_bytes())
    assert got == encoding
    assert not text.startswith("\ufeff")


@needs_real
def test_real_values_parse():
    import csv

    text, _ = decode_bytes((REAL / "salesforce-data-export-sfdc-assets" / "Opportunity.csv").read_bytes())
    rows = list(csv.DictReader(text.splitlines()))
    assert {map_stage(r["StageName"]) for r in rows} <= {
        "lead",
        "need",
        "proposal",
        "negotiation",
        "won",
        "lost",
    }
    assert all(parse_amount(r["Amount"]) is None or parse_amount(r["Amount"]) >= 0 for r in rows)
    assert all(
        parse_percent(r["Probability"]) is None or 0 <= parse_percent(r["Probability"]) <= 100 for r in rows
    )
    assert all(isinstance(parse_date(r["CloseDate"]), date) for r in rows if r["CloseDate"])
    assert all(isinstance(parse_datetime(r["CreatedDate"]), datetime) for r in rows)

    text, _ = decode_bytes((REAL / "maven-crm-sales-opportunities" / "sales_pipeline.csv").read_bytes())
    rows = list(csv.DictReader(text.splitlines()))
    assert {map_stage(r["deal_stage"]) for r in rows} == {"lead", "need", "won", "lost"}
    assert parse_amount(rows[0]["close_value"]) == Decimal("1054")

    text, _ = decode_bytes((REAL / "datablist-samples" / "leads-10000.csv").read_bytes())
    rows = list(csv.DictReader(text.splitlines()))[:300]
    assert {map_status(r["Deal Stage"]) for r in rows} == {"potential", "intent", "won", "lost"}
    assert all(parse_phone_digits(r["Phone 1"]) for r in rows)


# ---------------------------------------------------------------------------
# Properties: arbitrary text never breaks a parser with anything but ValueError


PARSERS = [
    parse_date,
    parse_datetime,
    parse_amount,
    parse_amount_range,
    parse_percent,
    parse_phone_digits,
    parse_tier_scores,
    map_status,
    map_stage,
    map_channel,
    map_attitude,
    map_kind,
    map_tier,
    map_role,
    clean_text,
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@given(text=st.text(max_size=40))
@settings(max_examples=150)
def test_parsers_only_raise_value_error_on_text(parser, text):
    try:
        parser(text)
    except ValueError:
        pass


# Text shaped like the inputs, so the generator reaches the interesting branches.
_numberish = st.text(alphabet="0123456789.,-/ 年月日万亿元kKmM%$¥+eE:T()", max_size=24)


@pytest.mark.parametrize(
    "parser",
    [parse_date, parse_datetime, parse_amount, parse_amount_range, parse_percent],
    ids=lambda p: p.__name__,
)
@given(text=_numberish)
@settings(max_examples=300)
def test_parsers_only_raise_value_error_on_numberish_text(parser, text):
    try:
        parser(text)
    except ValueError:
        pass


@pytest.mark.parametrize(
    "parser", [parse_date, parse_datetime, parse_amount, parse_percent], ids=lambda p: p.__name__
)
@given(
    number=st.one_of(
        st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=False)
    )
)
@settings(max_examples=150)
def test_parsers_only_raise_value_error_on_numbers(parser, number):
    try:
        parser(number)
    except ValueError:
        pass


@given(st.dates(min_value=date(1000, 1, 1)))
def test_iso_and_chinese_dates_round_trip(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.year}/{day.month}/{day.day}") == day


@given(st.dates(min_value=date(1927, 6, 1), max_value=date(2173, 1, 1)))
def test_excel_serials_round_trip(day):
    assert parse_date((day - date(1899, 12, 30)).days) == day


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_amounts_round_trip(amount):
    assert parse_amount(str(amount)) == amount
    assert parse_amount(f"{amount:,}") == amount
    assert parse_amount(f"¥{amount:,}") == amount


@given(st.integers(min_value=0, max_value=100))
def test_percents_round_trip(n):
    assert parse_percent(f"{n}%") == n
    assert parse_percent(str(n)) == (100 if n == 1 else n)


_HANZI = "客户名称所属行业联系人方式跟进日期沟通要点反馈下一步行动评分等级策略机会预计成交金额阶段决策竞争风险计划负责进度科技有限公司王经理"


@given(st.text(alphabet=_HANZI + "abc123,;: \n", min_size=1, max_size=60))
def test_gbk_text_is_read_back(text):
    data = text.encode("gbk")
    # UTF-8 is tried first: a few GBK byte pairs are also valid UTF-8 ("一" = D2 BB = "һ"), and a
    # text made only of those reads as UTF-8. Real Chinese text never is.
    try:
        data.decode("utf-8")
        assume(False)
    except UnicodeDecodeError:
        pass
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60))
def test_utf8_text_is_read_back(text):
    assume(not text.startswith("\ufeff"))
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
