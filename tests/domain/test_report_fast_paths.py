"""The reports' fast paths (issue #20) against the plain rules they replace: local dates by UTC
day (``LocalDays``), shares in floats (``share4``), ``value --json`` from stored values, a local
day's start and the local zone without pendulum (``local_midnight``, ``plain_local_zone``)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pendulum
import pytest

from tuicrm.domain import reports as rep
from tuicrm.domain.reports.shared import with_json_texts
from tuicrm.domain.reports.value import value_json
from tuicrm.domain.reports.value_text import ShareTexts, share4, value_json_rows

ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns"]


@pytest.mark.parametrize("zone", ZONES)
def test_local_days_is_local_date(zone):
    """Random instants and the minutes around every offset change of 2025-2026, plus odd forms."""
    tz = pendulum.timezone(zone)
    days = rep.LocalDays(tz)
    rnd = random.Random(zone)
    instants = [datetime(2025, 1, 1) + timedelta(seconds=rnd.randrange(2 * 365 * 86400)) for _ in range(400)]
    start = datetime(2025, 1, 1, tzinfo=pendulum.UTC)
    for hour in range(2 * 365 * 24):  # an offset change: the instants around it
        at, after = start + timedelta(hours=hour), start + timedelta(hours=hour + 1)
        if at.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
            for minute in range(-30, 91, 7):
                instants.append((at + timedelta(minutes=minute)).replace(tzinfo=None))
    stored = [t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in instants]
    stored += ["2026-03-08 07:00:00", "2026-11-01T05:59:59.999999+00:00", "2026-06-30 23:59:59.999999"]
    for text in stored:
        assert days(text) == rep.local_date(datetime.fromisoformat(text), tz), text


# Zones whose clocks change at midnight (the day starts at 01:00, or midnight comes twice).
MIDNIGHT_ZONES = ["America/Santiago", "America/Havana", "Asia/Beirut", "America/Asuncion", "Africa/Cairo"]


@pytest.mark.parametrize("zone", ZONES + MIDNIGHT_ZONES)
def test_local_midnight_is_pendulums(zone):
    """Every day of 2025-2027 starts at pendulum's instant (skipped and repeated midnights too)."""
    tz = pendulum.timezone(zone)
    day = date(2025, 1, 1)
    while day.year < 2028:
        start = pendulum.datetime(day.year, day.month, day.day, tz=tz).in_timezone("UTC")
        assert rep.local_midnight(day, tz) == start, day
        day += timedelta(days=1)


@pytest.mark.parametrize("tz_env", ["Asia/Shanghai", ":Europe/Berlin", "UTC", "Nowhere/City", ""])
def test_plain_local_zone_is_pendulums(monkeypatch, tz_env):
    """The zone the reports read without pendulum is the one pendulum finds (or none: its way)."""
    from pendulum.tz.local_timezone import _get_unix_timezone

    from tuicrm.query.reports_sql import plain_local_zone

    monkeypatch.setenv("TZ", tz_env)
    zone = plain_local_zone()
    if zone is not None:
        assert zone.key == _get_unix_timezone().key


@pytest.mark.parametrize(
    "part, total",
    [(1, 3), (2, 3), (1, 8), (1, 20_000), (3, 20_000), (5, 100_000), (7, 140_000), (1, 1), (999_999, 10**6)]
    + [(k, 10**8 + 7) for k in (1, 4_999, 5_000_000, 99_995_000)]
    + [(123_456_789_012, 987_654_321_098_765)],
)
def test_share4_is_the_decimal_quotient(part, total):
    assert share4(part, total) == round(float(Decimal(part) / Decimal(total)), 4)
    assert repr(share4(part, total)) == repr(round(float(Decimal(part) / Decimal(total)), 4))


@pytest.mark.parametrize("total", [1, 7, 20_000, 10**8 + 7, 31_345_921_640_00])
def test_share_texts_and_their_ranges(total):
    """Each share's text is ``repr(share4)``; every part whose ``v`` is in a text's range has it."""
    rnd = random.Random(total)
    shares = ShareTexts(total)
    ties = [((2 * j + 1) * total) // 20_000 + d for j in range(0, 10_000, 997) for d in (-1, 0, 1)]
    for part in [rnd.randrange(total + 1) for _ in range(300)] + [p for p in ties if 0 <= p <= total]:
        text, low, high = shares.text(part)
        assert text == repr(share4(part, total)), part
        if low <= high:
            assert low <= 20_000 * part + total <= high
            # the least and the greatest part inside the range (v = 2·10⁴·part + total)
            for inside in (max(0, -(-(low - total) // 20_000)), (high - total) // 20_000):
                assert low <= 20_000 * inside + total <= high
                assert shares.text(inside)[0] == repr(share4(inside, total)) == text


@pytest.mark.parametrize("gap", [1, 2])
def test_value_json_rows_is_value_json(gap):
    """The text from stored values (cents, dates as text, a stored UTC follow-up time) is the
    report's ``value_json``: names of every script, an unknown tier, no activity, both bases, a
    review, codes and names to escape (as ``value_json_source`` hands them over)."""
    from tuicrm.records import replace

    rc = replace(rep.DEFAULT_REPORT_CONFIG, review_tier_gap=gap)
    tz = pendulum.timezone("Asia/Shanghai")
    today = date(2026, 11, 25)
    odd = 'A "q" \\ \x01\x1b[31m \u202e\u2028 客户 100% %s Ärger 😀'
    # id, code, name, tier, cents, last deal, last won, won in window, last follow-up, follow-ups, basis
    stored = [
        (
            1,
            "C000001",
            odd,
            "A",
            30_000_000,
            "2026-06-01",
            "2026-11-20",
            1,
            "2026-11-22 16:30:00.000000",
            3,
            "received",
        ),
        (2, "C000002", "B Ltd", "Z", 7, None, None, 0, None, 0, "won"),
        (
            3,
            "C00\u00003",
            "C Ltd",
            "D",
            2_000_050,
            None,
            "2025-01-01",
            0,
            "2024-12-31 17:00:00.000000",
            12,
            "won",
        ),
        (4, "C000004", "D Ltd", "B", 2_000_050, "2026-11-25", None, 2, None, 40, "received"),
        (5, "C000005", "E Ltd", "C", 123_456_789, None, None, 0, "2026-11-24 15:59:59.999999", 1, "won"),
    ]
    items = []
    for cid, code, name, tier, cents, deal, closed, won_n, last_at, fu_n, basis in stored:
        days = [date.fromisoformat(d) for d in (deal, closed) if d]
        if last_at:
            days.append(rep.local_date(datetime.fromisoformat(last_at), tz))
        revenue = Decimal(cents) / 100
        items.append(
            rep.ValueInput(cid, code, name, tier, revenue, max(days, default=None), won_n + fu_n, basis)
        )
    report = rep.value_report(items, today=today, currency="CNY", rc=rc)
    assert report.review
    order = sorted(stored, key=lambda s: (-s[4], s[1]))
    classes = rep.abc_classes([Decimal(s[4]) for s in order], rc.abc_a_share, rc.abc_b_share)
    rows, running = [], 0
    for s, abc in zip(order, classes, strict=True):
        running += s[4]
        rows.append(((*s[:8], int(s[10] == "received"), s[8], s[9]), running, abc))  # the basis flag
    # codes and names as they go between the template's quotes
    escaped = with_json_texts([r[0] for r in rows], (1, 2))
    rows = [(e, *r[1:]) for e, r in zip(escaped, rows, strict=True)]
    head = rep.ValueSummary(
        today=today,
        currency="CNY",
        config=rc,
        revenue_total=report.revenue_total,
        rows=[],
        customers=len(rows),
        no_revenue=report.no_revenue,
        review=[],
        review_count=0,
        classes=report.summary(),
        basis_counts=report.bases(),
    )
    written = "".join(value_json_rows(head, rows, total_cents=running, local_day=rep.LocalDays(tz)))
    assert written == "".join(value_json(report))
