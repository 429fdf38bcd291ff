"""The bench database's receivables, payments and complaints (issue #18: 100 000 payments and
10 000 complaints at 100 000 customers): rows from a seeded generator written with sqlite3 in
one transaction, the same rows on every run, like ``plans``. Receivables are settled over the
last year, due 30 days later, and settled by one to three payments (most paid off, some partly,
some not at all: every ageing bucket has rows); a receivable's ``received`` and ``paid_off_on``
agree with its payments, as the store keeps them. Complaints are spread over the last six months:
older ones mostly resolved or closed, recent ones open or in progress, deadlines by severity."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

METHODS = ("cash", "transfer", "cheque", "bill", "monthly", "other")
SEVERITIES = ("high", "medium", "low")
DEADLINE_HOURS = {"high": 24, "medium": 72, "low": 168}  # near the config's working days
CHANNELS = ("phone", "email", "visit", "wechat", None)
CAUSES = ("交货延迟", "产品质量", "服务态度", "价格争议", "安装调试", None)


def per_customers(customers: int) -> tuple[int, int]:
    """(payments, complaints) for a database of ``customers``: one each, and 1 in 10."""
    return customers, customers // 10


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cents in ``parts`` positive whole-yuan amounts (the last takes the rest)."""
    out = []
    left = total
    for k in range(parts - 1):
        share = max(100, (left // (parts - k)) // 100 * 100)
        out.append(share)
        left -= share
    out.append(left)
    return out


def _last_code(conn: sqlite3.Connection, table: str) -> int:
    (code,) = conn.execute(f"SELECT max(code) FROM {table}").fetchone()
    return int(code[1:]) if code and code[1:].isdigit() else 0


def populate(db: Path, now: datetime, payments: int, complaints: int, seed: int = 18) -> dict[str, int]:
    """Add receivables with their payments until the database holds ``payments`` payments, and
    complaints until it holds ``complaints``; returns the counts added. Idempotent."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        have_p = conn.execute("SELECT count(*) FROM payment").fetchone()[0]
        have_k = conn.execute("SELECT count(*) FROM complaint").fetchone()[0]
        customers = [r[0] for r in conn.execute("SELECT id FROM customer WHERE archived_at IS NULL")]
        # Codes go on from the highest one there (the demo's own rows come first).
        last_r, last_p, last_k = (_last_code(conn, t) for t in ("receivable", "payment", "complaint"))
        stamp = _stamp(now)
        today = now.date()
        conn.execute("BEGIN")
        receivables = pays = 0
        next_id = (conn.execute("SELECT max(id) FROM receivable").fetchone()[0] or 0) + 1
        while customers and have_p + pays < payments:
            cid = rng.choice(customers)
            amount = rng.randint(10, 2000) * 10_000  # 1 000 – 200 000 yuan, in cents
            settled = today - timedelta(days=rng.randint(0, 365))
            due = settled + timedelta(days=30)
            count = min(rng.choice((0, 1, 1, 2, 3)), payments - have_p - pays)
            full = rng.random() < 0.7
            total = amount if full else amount * rng.randint(1, 9) // 10 // 100 * 100
            parts = _split(rng, total, count) if count and total >= 100 * count else []
            dates = sorted(min(today, settled + timedelta(days=rng.randint(0, 90))) for _ in parts)
            received = sum(parts)
            paid_off: date | None = dates[-1] if parts and received >= amount else None
            receivables += 1
            rid = next_id
            next_id += 1
            conn.execute(
                "INSERT INTO receivable (id, code, customer_id, amount, received, settled_on, due_on, "
                "paid_off_on, settled_by, created_at, updated_at, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'benchmark', ?, ?, 1)",
                (
                    rid,
                    f"R{last_r + receivables:06d}",
                    cid,
                    amount,
                    received,
                    settled.isoformat(),
                    due.isoformat(),
                    paid_off.isoformat() if paid_off else None,
                    stamp,
                    stamp,
                ),
            )
            for cents, paid_on in zip(parts, dates, strict=True):
                pays += 1
                conn.execute(
                    "INSERT INTO payment (code, customer_id, receivable_id, amount, paid_on, method, "
                    "settled_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 'benchmark', ?, ?, 1)",
                    (
                        f"P{last_p + pays:06d}",
                        cid,
                        rid,
                        cents,
                        paid_on.isoformat(),
                        rng.choice(METHODS),
                        stamp,
                        stamp,
                    ),
                )
        rows = []
        for n in range(have_k + 1, complaints + 1):
            if not customers:
                break
            opened = now - timedelta(days=rng.randint(0, 180), hours=rng.randint(0, 23))
            severity = rng.choices(SEVERITIES, (1, 3, 2))[0]
            recent = (now - opened).days < 14
            status = rng.choices(
                ("open", "in-progress", "resolved", "closed"), (3, 3, 1, 1) if recent else (1, 1, 5, 3)
            )[0]
            done = status in ("resolved", "closed")
            resolved = opened + timedelta(hours=rng.randint(2, 24 * 10)) if done else None
            rows.append(
                (
                    f"K{last_k + n - have_k:06d}",
                    rng.choice(customers),
                    _stamp(opened),
                    rng.choice(CHANNELS),
                    f"投诉 {n}",
                    rng.choice(CAUSES),
                    severity,
                    _stamp(opened + timedelta(hours=DEADLINE_HOURS[severity])),
                    status,
                    "已处理" if done else None,
                    _stamp(resolved) if resolved else None,
                    rng.randint(1, 5) if done else None,
                    stamp,
                    stamp,
                )
            )
        conn.executemany(
            "INSERT INTO complaint (code, customer_id, opened_at, channel, content, cause, severity, "
            "deadline_at, status, result, resolved_at, satisfaction, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            rows,
        )
        conn.execute("COMMIT")
        return {"receivables": receivables, "payments": pays, "complaints": len(rows)}
    finally:
        conn.close()
