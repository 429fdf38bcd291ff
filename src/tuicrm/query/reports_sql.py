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
    """pendulum's local timezone. Before anything has imported pendulum (~30 ms: a report's
    command line), a zone named plainly (``$TZ``, ``/etc/timezone``) is read from zoneinfo, as
    pendulum reads it (its ``Timezone`` is a ``ZoneInfo``); anything else is pendulum's to find."""
    import sys

    if "pendulum" not in sys.modules:
        zone = plain_local_zone()
        if zone is not None:
            return zone
    from pendulum.tz import local_timezone

    return local_timezone()


def plain_local_zone() -> Any:
    """The zone pendulum's ``local_timezone()`` finds on Linux when ``$TZ`` names one, or else
    ``/etc/timezone`` does (its ``_get_unix_timezone``'s first two ways), as a ``ZoneInfo``; None
    for the rest (a zone file, ``/etc/localtime``, another system, a name zoneinfo refuses)."""
    import os
    import sys

    if sys.platform == "win32" or "darwin" in sys.platform:
        return None
    from zoneinfo import ZoneInfo

    try:
        env = os.environ.get("TZ")
        if env:
            name = env[1:] if env[0] == ":" else env
            return None if os.path.isfile(name) else ZoneInfo(name)
        if not os.path.isfile("/etc/timezone"):
            return None
        with open("/etc/timezone", "rb") as f:
            data = f.read()
        if data.startswith(b"TZif2"):
            return None
        name = data.strip().decode().partition(" ")[0].partition("#")[0]
        return ZoneInfo(name.replace(" ", "_"))
    except (OSError, ValueError, KeyError):  # pendulum says what is wrong (or looks further)
        return None


def one(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The single value a query returns."""
    return conn.execute(sql, params).fetchone()[0]


def parsed(value: object) -> datetime:
    return datetime.fromisoformat(str(value))
