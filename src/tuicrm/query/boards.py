"""The tier board: live customers by tier, the soonest follow-ups first; a customer's latest assessment."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tuicrm.config import TIERS
from tuicrm.query.cards import Record, select_records
from tuicrm.query.values import as_date

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class TierCard:
    customer_id: int
    code: str
    name: str
    tier: str
    status: str
    next_on: date | None


@dataclass
class TierColumn:
    tier: str
    count: int  # all live customers in the tier, not only the loaded cards
    cards: list[TierCard] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))


def tier_board(
    conn: sqlite3.Connection, tiers: Sequence[str] = TIERS, limit_per_tier: int = DEFAULT_LIMIT
) -> list[TierColumn]:
    """Live customers by tier: the soonest follow-ups first (none last), then by name.

    Both reads name their index: without statistics SQLite counts through ``ix_customer_due``
    (archived_at = NULL looks selective: 200 ms at 100 000 customers, against 7 ms through the
    partial tier index) and sorts each column itself."""
    counts = {
        tier: int(n)
        for tier, n in conn.execute(
            "SELECT tier, count(*) FROM customer INDEXED BY ix_customer_live_tier "
            "WHERE archived_at IS NULL GROUP BY tier"
        ).fetchall()
    }
    columns = []
    for tier in tiers:
        rows = conn.execute(
            "SELECT id, code, name, tier, status, next_follow_up_on FROM customer "
            "INDEXED BY ix_customer_live_board WHERE archived_at IS NULL AND tier = ? "
            "ORDER BY next_follow_up_on IS NULL, next_follow_up_on, name, id LIMIT ?",
            (tier, limit_per_tier),
        ).fetchall()
        cards = [TierCard(cid, code, name, t, status, as_date(d)) for cid, code, name, t, status, d in rows]
        columns.append(TierColumn(tier, counts.get(tier, 0), cards))
    return columns


def latest_assessment(conn: sqlite3.Connection, customer_id: int) -> Record | None:
    """The customer's newest tier assessment (the fields of ``TierAssessment``), or None."""
    found = select_records(
        conn, "tierassessment", "customer_id = ?", "assessed_on DESC, id DESC", (customer_id,), limit=1
    )
    return found[0] if found else None
