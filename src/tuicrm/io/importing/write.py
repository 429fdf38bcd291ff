"""Step 5: write the plan in the import's transaction — new rows through the store's bulk insert,
changed rows grouped by the columns they change, and the undo log of it all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from tuicrm.io.importing.cells import aware
from tuicrm.io.importing.fields import (
    CONTACT_VALUES,
    CUSTOMER_VALUES,
    FOLLOWUP_VALUES,
    OPP_DERIVED,
    OPP_VALUES,
    TIER_VALUES,
)

if TYPE_CHECKING:
    from tuicrm.io.importing.planner import Planner

LogEntry = tuple[str, int, str, "dict[str, Any] | None"]

STAGECHANGE_COLUMNS = ["id", "opportunity_id", "from_stage", "to_stage", "at", "note"]
FOLLOWUP_COLUMNS = ["id", "customer_id", *FOLLOWUP_VALUES]
TIER_COLUMNS = ["id", "customer_id", *TIER_VALUES]


class _Inserts:
    """New rows of one table at a time, stamped and logged for undo."""

    def __init__(self, planner: Planner, log: list[LogEntry]):
        self.planner = planner
        self.log = log

    def __call__(
        self,
        table: str,
        rows: list[dict[str, Any]],
        columns: list[str],
        computed: dict[str, Callable[[dict[str, Any]], Any]] | None = None,
    ) -> None:
        from tuicrm.store.bulk import bulk_insert, indexes_rebuilt

        if not rows:
            return
        p = self.planner
        now, conn, log = p.now, p.conn, self.log
        from tuicrm.store.oplog import insert_runs

        columns = list(columns) + ["created_at", "updated_at"]
        for r in rows:
            r["created_at"] = r["updated_at"] = now
        # The undo log as runs of ids (a handful of entries, not one per row of a large file).
        log.extend(insert_runs((table, r["id"], "insert", None) for r in rows))  # type: ignore[arg-type]
        with indexes_rebuilt(conn, table, len(rows)):
            bulk_insert(conn, getattr(p.T, table), columns, rows, computed)


def apply(planner: Planner) -> None:
    """Write everything: inserts with executemany, updates grouped by column set, the undo log."""
    from tuicrm.store.bulk import record_log, search_index_paused

    p = planner
    log: list[LogEntry] = []
    insert = _Inserts(p, log)
    new_customers = [p.customers[cid] for cid in p.new_customers]
    for c in new_customers:
        if c.get("archived_at") is not None:
            c["archived_at"] = aware(c["archived_at"])
    with search_index_paused(p.conn, len(new_customers)) as fill:
        # Each new customer's search text is made as its row goes in, never held for them all.
        text = {"search_text": lambda c: p.search_text(c["id"])}
        insert("customer", new_customers, ["id", "code"] + list(CUSTOMER_VALUES), text)
        if fill and new_customers:
            fill(new_customers[0]["id"], new_customers[-1]["id"])
    insert("contact", p.new_rows["contact"], ["id", "customer_id"] + list(CONTACT_VALUES))
    insert(
        "opportunity", p.new_rows["opportunity"], ["id", "customer_id", *OPP_VALUES, *OPP_DERIVED, "currency"]
    )
    sc = p.new_rows["stagechange"]
    for r in sc:
        r["id"] = p._alloc("stagechange")
    insert("stagechange", sc, STAGECHANGE_COLUMNS)
    insert("followup", p.new_rows["followup"], FOLLOWUP_COLUMNS)
    insert("tierassessment", p.new_rows["tierassessment"], TIER_COLUMNS)
    _update(p, log)
    record_log(p.session, log)


def _update(p: Planner, log: list[LogEntry]) -> None:
    """Updates to existing rows, grouped by the set of columns they change."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    from tuicrm.store.lean.checks import masked

    for (table, ident), values in p.changed.items():
        values = {k: masked(v) for k, v in values.items()}
        values["updated_at"] = p.now
        before = dict(p.before[(table, ident)])
        log.append((table, ident, "update", before))
        groups[(table, tuple(sorted(values)))].append({"_id": ident, **values})
    for (table, keys), items in groups.items():
        t = getattr(p.T, table)
        stmt = sa.update(t).where(t.c.id == sa.bindparam("_id")).values({k: sa.bindparam(k) for k in keys})
        for start in range(0, len(items), 5000):
            p.conn.execute(stmt, items[start : start + 5000])
