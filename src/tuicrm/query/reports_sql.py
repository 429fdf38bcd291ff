"""SQL fragments and small helpers the report queries share (``query.reports``, ``query.reports_weekly``)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from tuicrm.config import OPEN_STAGES
from tuicrm.query.dialect import quoted

ARCHIVED_CUSTOMERS = "SELECT id FROM customer WHERE archived_at IS NOT NULL"
DEAD_OPPORTUNITIES = (
    f"SELECT id FROM opportunity WHERE archived_at IS NOT NULL OR customer_id IN ({ARCHIVED_CUSTOMERS})"
)
LIVE_OPPORTUNITY = f"o.archived_at IS NULL AND o.customer_id NOT IN ({ARCHIVED_CUSTOMERS})"
# A deal's currency (none: the configured one, bound as :currency); amounts are never converted.
CURRENCY = "coalesce(nullif(upper(trim(currency)), ''), :currency)"
TIER_ORDER = "CASE c.tier WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 WHEN 'D' THEN 3 ELSE 4 END"
OPEN = quoted(OPEN_STAGES)


def local_tz() -> Any:
    from pendulum.tz import local_timezone

    return local_timezone()


def one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The single value a query returns."""
    return conn.execute(sql, params).fetchone()[0]


def parsed(value: object) -> datetime:
    return datetime.fromisoformat(str(value))
