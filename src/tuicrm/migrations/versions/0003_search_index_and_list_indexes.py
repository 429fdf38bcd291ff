"""search index (FTS5 trigram) and indexes for the customer list and the due list

Revision ID: 0003
Revises: 0002

Issue #5 (fast at 100 000 customers):

- ``customer_fts``: an FTS5 table with the trigram tokenizer over ``customer.search_text``
  of live (not archived) customers, kept in step by triggers, so every writer (the store,
  import, undo, a future tool writing SQL) keeps it right without knowing it exists.
  Substring search of 3+ characters becomes an index lookup instead of a scan of the wide
  customer table; 1-2 characters go through the index's vocabulary (``customer_fts_vocab``)
  plus two small expression indexes on the text's last characters. SQLite older than 3.34 has no trigram tokenizer: then the table is not
  created and search falls back to ``LIKE`` (correct, only slower).
- Partial indexes on the live customers' sortable columns: the customer list pages through
  them (``INDEXED BY``) without sorting 100 000 rows for each window.
- ``ix_customer_pending`` and ``ix_opportunity_open``: covering indexes for the "call next"
  ranking of the due list (next date + tier, and open pipeline per customer).
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LIVE_SORT_COLUMNS = ("name", "code", "tier", "status", "industry", "owner")
OPEN_STAGES_SQL = "('lead', 'need', 'proposal', 'negotiation')"

FTS_DDL = [
    "CREATE VIRTUAL TABLE customer_fts USING fts5(search_text, tokenize='trigram')",
    # Only live customers are indexed: archiving removes the row, restoring puts it back.
    """CREATE TRIGGER customer_fts_ai AFTER INSERT ON customer WHEN new.archived_at IS NULL BEGIN
         INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER customer_fts_ad AFTER DELETE ON customer BEGIN
         DELETE FROM customer_fts WHERE rowid = old.id;
       END""",
    """CREATE TRIGGER customer_fts_au AFTER UPDATE OF id, search_text, archived_at ON customer BEGIN
         DELETE FROM customer_fts WHERE rowid = old.id;
         INSERT INTO customer_fts(rowid, search_text) SELECT new.id, new.search_text WHERE new.archived_at IS NULL;
       END""",
    "INSERT INTO customer_fts(rowid, search_text) SELECT id, search_text FROM customer WHERE archived_at IS NULL",
    # 1-2 character searches: the trigrams that start with the text (the index's vocabulary), plus
    # the customers whose text ends with it (the only places no indexed trigram starts).
    "CREATE VIRTUAL TABLE customer_fts_vocab USING fts5vocab(customer_fts, 'row')",
    "CREATE INDEX ix_customer_live_tail2 ON customer (substr(search_text, -2)) WHERE archived_at IS NULL",
    "CREATE INDEX ix_customer_live_tail1 ON customer (substr(search_text, -1)) WHERE archived_at IS NULL",
]


def trigram_available() -> bool:
    """FTS5 with the trigram tokenizer (SQLite >= 3.34, FTS5 compiled in)."""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return False
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False
    finally:
        probe.close()


def upgrade() -> None:
    for column in LIVE_SORT_COLUMNS:
        op.execute(f"CREATE INDEX ix_customer_live_{column} ON customer ({column}) WHERE archived_at IS NULL")
    op.execute(
        "CREATE INDEX ix_customer_pending ON customer (next_follow_up_on, tier, archived_at) "
        "WHERE archived_at IS NULL AND next_follow_up_on IS NOT NULL"
    )
    op.execute(
        f"CREATE INDEX ix_opportunity_open ON opportunity (customer_id, amount, stage, archived_at) "
        f"WHERE archived_at IS NULL AND stage IN {OPEN_STAGES_SQL}"
    )
    if trigram_available():
        for statement in FTS_DDL:
            op.execute(statement)


def downgrade() -> None:
    for trigger in ("customer_fts_ai", "customer_fts_ad", "customer_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP INDEX IF EXISTS ix_customer_live_tail1")
    op.execute("DROP INDEX IF EXISTS ix_customer_live_tail2")
    op.execute("DROP TABLE IF EXISTS customer_fts_vocab")
    op.execute("DROP TABLE IF EXISTS customer_fts")
    op.execute("DROP INDEX IF EXISTS ix_opportunity_open")
    op.execute("DROP INDEX IF EXISTS ix_customer_pending")
    for column in LIVE_SORT_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_customer_live_{column}")
