"""Demo receivables and payments (issue #18): each won deal bills its amount, due by 30/45/60-day
terms from the day it was won; most are paid (some late, some in parts), some are still open and
overdue. Raw SQL in the demo's one transaction, deterministic for (seed, today)."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

from tuicrm.clock import utcnow
from tuicrm.domain.ledger import received_and_paid_off

METHODS = ("transfer", "transfer", "transfer", "cheque", "bill", "cash", "monthly")


def add_ledger(conn: sqlite3.Connection, seed: int, today: date, owner: str = "demo") -> tuple[int, int]:
    """Receivables for the won deals without one, and their payments; (receivables, payments) added."""
    from decimal import Decimal

    rng = random.Random(seed + 104_729)
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    deals = conn.execute(
        "SELECT o.id, o.customer_id, o.amount, o.closed_on, o.currency FROM opportunity o "
        "WHERE o.stage = 'won' AND o.archived_at IS NULL AND o.amount > 0 AND NOT EXISTS "
        "(SELECT 1 FROM receivable r WHERE r.opportunity_id = o.id) ORDER BY o.id"
    ).fetchall()
    r_id = (conn.execute("SELECT max(id) FROM receivable").fetchone()[0] or 0) + 1
    p_id = (conn.execute("SELECT max(id) FROM payment").fetchone()[0] or 0) + 1
    receivables, payments = [], []
    for opp_id, customer_id, cents, closed_on, currency in deals:
        won = (
            date.fromisoformat(str(closed_on)[:10])
            if closed_on
            else today - timedelta(days=rng.randint(5, 200))
        )
        due = won + timedelta(days=rng.choice((30, 30, 45, 60)))
        amount = Decimal(int(cents)) / 100
        fate = rng.random()
        paid: list[tuple[date, Decimal]] = []
        if fate < 0.55:  # paid in full: on time or a little late
            day = due + timedelta(days=rng.choice((-10, -3, 0, 2, 5, 12, 25, 40)))
            paid.append((day, amount))
        elif fate < 0.8:  # partial payments, the rest open
            first = (amount * Decimal(rng.choice(("0.3", "0.5", "0.7")))).quantize(Decimal("0.01"))
            paid.append((due - timedelta(days=rng.randint(0, 10)), first))
            if rng.random() < 0.4:
                paid.append((due + timedelta(days=rng.randint(5, 40)), (amount - first) / 2))
        paid = [(d, v) for d, v in paid if d <= today]
        received, paid_off = received_and_paid_off(amount, paid)
        receivables.append(
            (
                r_id,
                f"R{r_id:06d}",
                customer_id,
                opp_id,
                int(cents),
                currency,
                int(received * 100),
                won.isoformat(),
                due.isoformat(),
                paid_off.isoformat() if paid_off else None,
                owner,
                now,
                now,
            )
        )
        for d, v in paid:
            payments.append(
                (
                    p_id,
                    f"P{p_id:06d}",
                    customer_id,
                    r_id,
                    int(v * 100),
                    currency,
                    d.isoformat(),
                    rng.choice(METHODS),
                    owner,
                    now,
                    now,
                )
            )
            p_id += 1
        r_id += 1
    conn.executemany(
        "INSERT INTO receivable (id, code, customer_id, opportunity_id, amount, currency, received, "
        "settled_on, due_on, paid_off_on, settled_by, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        receivables,
    )
    conn.executemany(
        "INSERT INTO payment (id, code, customer_id, receivable_id, amount, currency, paid_on, method, "
        "settled_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        payments,
    )
    return len(receivables), len(payments)
