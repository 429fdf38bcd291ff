"""indexes for the morning queue at scale: live activities by start, leads awaiting a response
or a re-score, and won deals by the month-day of their close

Revision ID: 0009
Revises: 0008

At 50 000 activities, 20 000 leads, 70 000 receivables and 10 000 complaints (the benchmark of
issues #17 and #18) ``tuicrm due`` and the overdue panel counted the queue's activities through
the (status, start) index and a lookup of each row (40 ms), read the leads' deadlines the same
way, read every open receivable to count them (0.9 s) and grouped every won deal to find the
signing anniversaries (15 ms). Partial indexes holding just the rows the queue reads, with the
columns it needs, make those index-only reads.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# (name, table, columns, partial WHERE): the same in ``tuicrm.models`` for a new database.
INDEXES = (
    (
        "ix_activity_queue",
        "activity",
        ["planned_start", "customer_id"],
        "archived_at IS NULL AND status IN ('planned', 'in-progress')",
    ),
    (
        "ix_lead_response",
        "lead",
        ["respond_by"],
        "status = 'new' AND respond_by IS NOT NULL AND contacted_at IS NULL AND archived_at IS NULL",
    ),
    (
        "ix_lead_rescore",
        "lead",
        ["rescore_on"],
        "status = 'nurturing' AND rescore_on IS NOT NULL AND archived_at IS NULL",
    ),
    (
        "ix_receivable_queue",
        "receivable",
        ["due_on", "customer_id"],
        "archived_at IS NULL AND received < amount AND due_on IS NOT NULL",
    ),
    (
        "ix_complaint_queue",
        "complaint",
        ["deadline_at", "customer_id"],
        "status IN ('open', 'in-progress') AND archived_at IS NULL AND deadline_at IS NOT NULL",
    ),
)


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, sqlite_where=sa.text(where))
    op.execute(
        "CREATE INDEX ix_opportunity_won_md ON opportunity (strftime('%m-%d', closed_on)) "
        "WHERE stage = 'won' AND closed_on IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_opportunity_won_md")
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table)
