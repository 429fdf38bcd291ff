"""A finished week's pending follow-ups come from each customer's last follow-up logged before the
week's end (``query.reports_weekly._pending_then``, in SQL for the customers unchanged since).

The follow-ups here are history brought in without the undo log (as an import or the demo
writes them: the customer rows are untouched), so every customer but the archived one takes the
SQL path; ``pending_due_count`` (rows as they stood, ``domain.reports.pending_at`` in Python)
must agree with it. Week 2026-W46: Monday 11-09 to Sunday 11-15, local time UTC (tests' TZ).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from tuicrm.domain.reports import IsoWeek
from tuicrm.query import reports as queries
from tuicrm.records import replace
from tuicrm.store import Store
from tuicrm.store.customers import archive_customer, create_customer, get_customer

END = datetime(2026, 11, 16, tzinfo=UTC)  # W46's end: Monday 00:00 local (UTC)

# (customer, at, next_on, next_action), inserted in this order (ids ascending)
HISTORY = [
    # Two at the same instant: the later one (higher id) is the last, and it was overdue.
    ("Tie", "2026-11-12 09:30:00.000000", "2026-11-17", "tie: first"),
    ("Tie", "2026-11-12 09:30:00.000000", "2026-11-10", "tie: second"),
    # Due next week; what was logged at the end's instant and after it does not count yet.
    ("After", "2026-11-11 10:00:00.000000", "2026-11-18", "call back"),
    ("After", "2026-11-16 00:00:00.000000", "2026-11-05", "at the end"),
    ("After", "2026-11-20 10:00:00.000000", "2026-11-03", "later"),
    # The last one set no date: nothing pending, whatever was entered.
    ("No date", "2026-11-03 10:00:00.000000", "2026-11-04", "old"),
    ("No date", "2026-11-12 10:00:00.000000", None, None),
    # Archived (today): never counted, then or now.
    ("Archived", "2026-11-10 10:00:00.000000", "2026-11-11", "gone"),
]


def test_the_last_follow_up_before_the_weeks_end_sets_what_was_pending(db_path, monkeypatch):
    store = Store.open(str(db_path))
    monkeypatch.setenv("TUICRM_NOW", "2026-11-01T09:00")
    with store.write("customers") as s:
        ids = {
            name: create_customer(s, name, tier="B", next_follow_up_on=date(2026, 11, 9)).id
            for name in dict.fromkeys(name for name, *_ in HISTORY)
        }
        ids["Never"] = create_customer(s, "Never", tier="B", next_follow_up_on=date(2026, 11, 19)).id
    monkeypatch.setenv("TUICRM_NOW", "2026-11-17T09:00")
    with store.write("customers") as s:
        create_customer(s, "Late", tier="A", next_follow_up_on=date(2026, 11, 12))  # not there yet at the end
        archive_customer(s, get_customer(s, ids["Archived"]))
    with sqlite3.connect(db_path) as raw:
        raw.executemany(
            "INSERT INTO followup (customer_id, at, channel, summary, next_on, next_action, created_at, updated_at) "
            "VALUES (?, ?, 'phone', 'imported', ?, ?, ?, ?)",
            [(ids[name], at, due, action, at, at) for name, at, due, action in HISTORY],
        )
    monkeypatch.setenv("TUICRM_NOW", "2026-11-22T09:00")
    with store.reading() as conn:
        report = queries.weekly(conn, store.config, IsoWeek(2026, 46))
        reference = queries.pending_due_count(conn, END, date(2026, 11, 16))
    store.dispose()

    assert report.overdue_is_projection is False
    assert report.overdue_at_week_end == reference == 1  # Tie
    assert report.focus_total == 2
    assert [(f.name, f.next_on, f.next_action) for f in report.focus] == [
        ("After", date(2026, 11, 18), "call back"),
        ("Never", date(2026, 11, 19), None),
    ]


def test_this_weeks_focus_goes_tier_by_tier_and_other_tiers_last(db_path, monkeypatch):
    """The current week: next week's focus in A, B, C, D order, then any other tier (as an import
    may leave one), each by date, name and id, cut at the limit."""
    store = Store.open(str(db_path))
    monkeypatch.setenv("TUICRM_NOW", "2026-11-18T09:00")  # W47; next week W48 is 11-23 to 11-29
    due = {"Xeno": 23, "Lower": 23, "Bee": 25, "Ace": 27, "Dee": 24, "Far": 40}
    with store.write("customers") as s:
        for name, day in due.items():
            tier = {"Bee": "B", "Dee": "D"}.get(name, "A")
            create_customer(s, name, tier=tier, next_follow_up_on=date(2026, 11, 1) + timedelta(days=day - 1))
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "UPDATE customer SET tier = CASE name WHEN 'Xeno' THEN 'X' ELSE 'a' END WHERE name IN ('Xeno', 'Lower')"
        )
    with store.reading() as conn:
        short = queries.weekly(
            conn, store.config, IsoWeek(2026, 47), rc=replace(store.config.reports, focus_limit=4)
        )
        full = queries.weekly(conn, store.config, IsoWeek(2026, 47))
    store.dispose()

    assert short.overdue_is_projection is True
    assert short.focus_total == full.focus_total == 5  # Far is due after next week
    assert [(f.name, f.tier) for f in short.focus] == [
        ("Ace", "A"),
        ("Bee", "B"),
        ("Dee", "D"),
        ("Lower", "a"),
    ]
    assert [f.name for f in full.focus] == ["Ace", "Bee", "Dee", "Lower", "Xeno"]
