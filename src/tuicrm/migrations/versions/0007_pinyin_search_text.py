"""pinyin spellings in customer.search_text

Revision ID: 0007
Revises: 0006

Issue #19: ``customer.search_text`` now also holds the pinyin spellings (full and initials) of
every Chinese customer name, alias and contact name, so ``hengtong`` / ``ht`` find 恒通. This
rebuilds the text of existing customers with ``search_text_of`` (the one builder every write
uses), in batches of ``BATCH`` customers, so 100 000 customers never sit in memory at once.

The search index (``customer_fts``) and the row-version trigger would run once per changed
row; both are set aside for the rebuild: the index is refilled once at the end, and a derived
column is no edit, so no row's version moves (an open edit form does not see a conflict).
"""

from __future__ import annotations

from typing import Any

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 5000
SET_ASIDE = ("customer_fts_au", "customer_version")


def upgrade() -> None:
    from tuicrm.store.lean.checks import search_text_of

    conn = op.get_bind()
    triggers = {
        name: sql
        for name, sql in conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN {SET_ASIDE}"
        )
    }
    has_index = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customer_fts'"
    ).first()
    for name in triggers:
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
    last_id = 0
    while True:
        customers = conn.exec_driver_sql(
            "SELECT id, name, alias, code, email, phone, search_text FROM customer WHERE id > ? "
            "ORDER BY id LIMIT ?",
            (last_id, BATCH),
        ).fetchall()
        if not customers:
            break
        first_id, last_id = customers[0][0], customers[-1][0]
        contacts: dict[int, list[tuple[Any, ...]]] = {}
        for customer_id, *fields in conn.exec_driver_sql(
            "SELECT customer_id, name, email, phone, mobile FROM contact "
            "WHERE customer_id BETWEEN ? AND ? AND archived_at IS NULL ORDER BY id",
            (first_id, last_id),
        ):
            contacts.setdefault(customer_id, []).append(tuple(fields))
        changed = []
        for cid, name, alias, code, email, phone, old in customers:
            text = search_text_of(name, alias, code, email, phone, contacts.get(cid, ()))
            if text != old:
                changed.append((text, cid))
        if changed:
            conn.exec_driver_sql("UPDATE customer SET search_text = ? WHERE id = ?", changed)
    if has_index and "customer_fts_au" in triggers:
        conn.exec_driver_sql("DELETE FROM customer_fts")
        conn.exec_driver_sql(
            "INSERT INTO customer_fts(rowid, search_text) SELECT id, search_text FROM customer "
            "WHERE archived_at IS NULL"
        )
    for sql in triggers.values():
        conn.exec_driver_sql(sql)


def downgrade() -> None:
    # The longer text is harmless to the code before it (it only finds more); nothing to undo.
    pass
