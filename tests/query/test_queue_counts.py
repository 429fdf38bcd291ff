"""``due --count``'s read (issue #20): ``queue_counts`` is the full queue's counts, kind by kind."""

from __future__ import annotations

import sqlite3
from datetime import date

from tuicrm.config import load_config
from tuicrm.query.queue import default_now, queue, queue_counts

KINDS = ("follow-up", "lead", "activity", "receivable", "complaint", "birthday", "renewal")


def test_queue_counts_are_the_queues_counts(demo_db, monkeypatch):
    monkeypatch.setenv("TUICRM_NOW", "2026-12-10T09:00")  # weeks after the demo: much is due
    config = load_config()
    conn = sqlite3.connect(demo_db(30, 1))  # the size tests/cli/test_hangup.py builds too
    seen = set()
    today = date(2026, 12, 10)
    now, day_end = default_now(today)
    for kind, days in [(None, 0), (None, 7), *((k, 0) for k in KINDS)]:
        full = queue(conn, config, today, now, day_end, days, None, kind)
        assert queue_counts(conn, config, today, now, day_end, days, kind) == (full.overdue, full.due_today)
        seen.update(i.kind for i in full.items if i.now)
    assert {"follow-up", "lead", "activity", "complaint"} <= seen, seen  # the demo has them due
