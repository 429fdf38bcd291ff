"""The bench database's activities and leads (issue #17: 50 000 activities and 20 000 leads at
100 000 customers): rows from a seeded generator written with sqlite3 in one transaction, the
same rows on every run. Activities spread from four weeks back to eight weeks ahead (past ones
mostly done, some still planned: overdue), leads over the last six months in every status."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

KINDS = ("visit", "call", "email", "demo", "technical", "other")
PLACES = ("客户现场", "公司会议室", "线上会议", None)
SOURCES = ("展会-2024春季教育展", "线上广告-SEM", "转介绍", "官网咨询", "电话营销", None)
TITLES = ("总经理", "采购经理", "校长", "部门经理", "客户经理", "工程师", None)
BUDGETS = ("15-20万", "8-10万", "50万", "3万", None)


def per_customers(customers: int) -> tuple[int, int]:
    """(activities, leads) for a database of ``customers``: 1 in 2 and 1 in 5."""
    return customers // 2, customers // 5


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


def populate(db: Path, now: datetime, activities: int, leads: int, seed: int = 17) -> dict[str, int]:
    """Add activities and leads until the database holds ``activities`` and ``leads``; returns
    the counts added. Idempotent: a database that has them already gets nothing."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        have_a = conn.execute("SELECT count(*) FROM activity").fetchone()[0]
        have_l = conn.execute("SELECT count(*) FROM lead").fetchone()[0]
        customers = [r[0] for r in conn.execute("SELECT id FROM customer WHERE archived_at IS NULL")]
        contacts = dict(
            conn.execute("SELECT customer_id, min(id) FROM contact GROUP BY customer_id").fetchall()
        )
        stamp = _stamp(now)
        conn.execute("BEGIN")
        rows = []
        for n in range(have_a + 1, activities + 1):
            cid = rng.choice(customers)
            start = now + timedelta(days=rng.randint(-28, 56), hours=rng.randint(-8, 8))
            start = start.replace(minute=rng.choice((0, 30)), second=0)
            past = start < now
            status = rng.choices(("done", "planned", "cancelled"), (8, 1, 1))[0] if past else "planned"
            rows.append(
                (
                    f"A{n:06d}",
                    f"活动 {n}",
                    rng.choice(KINDS),
                    cid,
                    contacts.get(cid),
                    _stamp(start),
                    _stamp(start + timedelta(hours=1)),
                    rng.choice(PLACES),
                    status,
                    "benchmark",
                    "benchmark",
                    stamp,
                    stamp,
                )
            )
        conn.executemany(
            "INSERT INTO activity (code, name, kind, customer_id, contact_id, planned_start, planned_end, "
            "place, status, owner, creator, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            rows,
        )
        leads_rows = []
        for n in range(have_l + 1, leads + 1):
            created = now - timedelta(days=rng.randint(0, 180), hours=rng.randint(0, 23))
            score = rng.randint(0, 10)
            klass = "high" if score >= 8 else ("medium" if score >= 5 else "low")
            hours = {"high": 24, "medium": 48, "low": 24 * 90}[klass]
            status = rng.choices(
                ("new", "contacted", "nurturing", "qualified", "converted", "disqualified"),
                (3, 3, 2, 1, 1, 1),
            )[0]
            contacted = _stamp(created + timedelta(hours=rng.randint(1, 72))) if status != "new" else None
            leads_rows.append(
                (
                    f"L{n:06d}",
                    rng.choice(SOURCES),
                    f"线索公司 {n}",
                    f"联系人{n % 997}",
                    rng.choice(TITLES),
                    f"137{n:08d}",
                    rng.choice(BUDGETS),
                    score,
                    klass,
                    _stamp(created + timedelta(hours=hours)),
                    contacted,
                    status,
                    "benchmark",
                    _stamp(created),
                    _stamp(created),
                )
            )
        conn.executemany(
            "INSERT INTO lead (code, source, company, contact_name, contact_title, phone, budget_text, score, "
            "score_class, respond_by, contacted_at, status, owner, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            leads_rows,
        )
        conn.execute("COMMIT")
        return {"activities": len(rows), "leads": len(leads_rows)}
    finally:
        conn.close()
