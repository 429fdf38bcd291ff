"""The whole database as plain data, for before/after comparisons (tests only)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

TIMES = {"created_at", "updated_at", "at", "undone_at"}


def dump(path: Path, *, times: bool = True, undo_log: bool = True, history: bool = True) -> dict[str, Any]:
    """Every table's rows (by id), the search index; ``operationrow`` as a sorted list without
    its ids, ``before`` parsed. ``times=False`` drops the timestamp columns. ``history=False``
    drops what an undo moves forward instead of back: row versions and the status history."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
                "AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'customer_fts%' ORDER BY name"
            )
        ]
        out: dict[str, Any] = {}
        for table in tables:
            if not undo_log and table in ("operation", "operationrow"):
                continue
            if not history and table == "statuschange":
                continue
            cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            names = [d[0] for d in cur.description]
            dropped = (set() if times else TIMES) | (set() if history else {"version"})
            rows = [{k: v for k, v in zip(names, row, strict=True) if k not in dropped} for row in cur]
            if table == "operationrow":
                for row in rows:
                    row.pop("id")
                    before = json.loads(row["before"]) if row["before"] else None
                    if before is not None:
                        before = {k: v for k, v in before.items() if k not in dropped}
                    row["before"] = before
                rows = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
            out[table] = rows
        out["customer_fts"] = conn.execute(
            "SELECT rowid, search_text FROM customer_fts ORDER BY rowid"
        ).fetchall()
        return out
    finally:
        conn.close()
