"""Demo data after the deal (issue #18): complaints (a few open, one past its deadline, some
resolved on time or late) and contacts' birthdays and anniversaries near the demo's today."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tuicrm import clock
from tuicrm.demo_words import Words
from tuicrm.domain.complaints import deadline

if TYPE_CHECKING:
    from tuicrm.store import Store

COMPLAINTS = (
    ("发货延迟，客户生产线停工", "high", "物流", "phone"),
    ("发票抬头错误", "low", "财务", "email"),
    ("设备安装后无法联网", "medium", "质量", "phone"),
    ("售后工程师未按约上门", "medium", "服务", "im"),
    ("Invoice sent twice", "low", "billing", "email"),
    ("Spare part broke within a week", "high", "quality", "visit"),
)
RESULTS = ("补发并赔付运费", "重开发票", "远程调试解决", "Refunded the duplicate")


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def generate_care(store: Store, seed: int = 1, locale: str = "mixed") -> dict[str, int]:
    """Add the complaints and reminder dates to a demo database (after ``demo.generate``)."""
    w = Words(locale, {"COMPLAINTS": COMPLAINTS, "COMPLAINT_RESULTS": RESULTS})
    rng = random.Random(seed + 18)
    now = clock.utcnow().replace(microsecond=0)
    today = clock.today()
    made = {"complaints": 0, "birthdays": 0}
    with store.write("demo care data", log=False) as session:
        conn = session.connection().connection.dbapi_connection
        assert conn is not None
        customers = [r[0] for r in conn.execute("SELECT id FROM customer ORDER BY id LIMIT 40")]
        if not customers:
            return made
        last = conn.execute("SELECT max(id) FROM complaint").fetchone()[0] or 0
        stamp = _stamp(now)
        for n, (content, severity, cause, channel) in enumerate((w.COMPLAINTS * 3)[: 2 * len(COMPLAINTS)]):
            # the first is past its deadline; the next three open; the rest resolved
            opened = now - timedelta(days=5 if n == 0 else rng.randint(0, 1) if n < 4 else rng.randint(5, 60))
            due = deadline(opened, severity, store.config.care)
            resolved = None if n < 4 else due + timedelta(hours=rng.choice((-30, -5, 8)))
            conn.execute(
                "INSERT INTO complaint (code, customer_id, opened_at, channel, content, cause, severity, "
                "deadline_at, status, result, resolved_at, satisfaction, owner, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f"K{last + n + 1:06d}",
                    customers[(n * 7) % len(customers)],
                    _stamp(opened),
                    channel,
                    content,
                    cause,
                    severity,
                    _stamp(due),
                    "open" if resolved is None else "resolved",
                    None if resolved is None else rng.choice(w.COMPLAINT_RESULTS),
                    None if resolved is None else _stamp(resolved),
                    None if resolved is None else rng.randint(2, 5),
                    w.owner,
                    stamp,
                    stamp,
                ),
            )
            made["complaints"] += 1
        contacts = [r[0] for r in conn.execute("SELECT id FROM contact ORDER BY id LIMIT 12")]
        for n, contact_id in enumerate(contacts):
            day = today + timedelta(days=n % 4)
            column = "birthday" if n % 3 else "anniversary"
            year = 2015 if column == "anniversary" else 1975 + n
            try:
                value = day.replace(year=year)
            except ValueError:  # 29 February
                value = day.replace(year=year, day=28)
            conn.execute(f"UPDATE contact SET {column} = ? WHERE id = ?", (value.isoformat(), contact_id))
            made["birthdays"] += 1
    return made
