"""row versions, status history and the templates' remaining fields

Revision ID: 0004
Revises: 0003

Issue #14 (never lose an edit): every table a rep edits gets ``version`` (1 on insert). A trigger
per table raises it by one on every UPDATE, whoever writes (the store, the lean CLI writes, import,
undo, another program), so an edit form that read version 3 can tell that the row changed under
it and merge field by field instead of reverting someone else's change. ``WHEN NEW.version <=
OLD.version``: a write that restores an older row (undo) still moves the version forward.

Issue #16 (everything can be corrected): the template fields that had no column yet, and
``statuschange``, filled by a trigger whenever ``customer.status`` changes. tuicrm's own writes
fill in ``by_user`` and the pinned clock's time before they commit; another program's change keeps
the trigger's own UTC time and no user.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tuicrm.models import Money

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERSIONED = ("customer", "contact", "opportunity", "followup", "tierassessment", "stagechange", "snooze")

# The trigger's own timestamp, in the format SQLAlchemy stores datetimes in (6 fraction digits).
NOW_SQL = "strftime('%Y-%m-%d %H:%M:%S.', 'now') || substr(strftime('%f', 'now'), 4) || '000'"


def version_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_version AFTER UPDATE ON {table} WHEN new.version <= old.version BEGIN "
        f"UPDATE {table} SET version = old.version + 1 WHERE id = new.id; END"
    )


STATUS_TRIGGER = (
    "CREATE TRIGGER customer_status_history AFTER UPDATE OF status ON customer "
    "WHEN new.status IS NOT old.status BEGIN "
    "INSERT INTO statuschange (version, customer_id, from_status, to_status, at, created_at, updated_at) "
    f"VALUES (1, new.id, old.status, new.status, {NOW_SQL}, {NOW_SQL}, {NOW_SQL}); END"
)

NEW_COLUMNS: dict[str, list[sa.Column]] = {
    "customer": [
        sa.Column("registered_address", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("company_revenue", Money(), nullable=True),
        sa.Column("product_preference", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("payment_method", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("renewal_risk", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("renewal_on", sa.Date(), nullable=True),
    ],
    "contact": [
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("education", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("work_history", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    ],
    "opportunity": [
        sa.Column("probability_set", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("product", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("strengths", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("weaknesses", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("key_success_factors", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("next_step", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("next_step_owner", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("next_step_due_on", sa.Date(), nullable=True),
        sa.Column("next_step_done_on", sa.Date(), nullable=True),
    ],
    "followup": [
        sa.Column("objection", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("attendees", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    ],
}


def upgrade() -> None:
    # ADD COLUMN only (no table rebuild): every row stays, and the FTS triggers stay attached.
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    for table, columns in NEW_COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    op.create_table(
        "statuschange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("by_user", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_statuschange_customer_at", "statuschange", ["customer_id", "at"])
    # The rows tuicrm's own write has yet to sign (see tuicrm.store.lean.undolog.sign_history).
    op.execute("CREATE INDEX ix_statuschange_unsigned ON statuschange (id) WHERE by_user IS NULL")
    for table in (*VERSIONED, "statuschange"):
        op.execute(version_trigger(table))
    op.execute(STATUS_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER customer_status_history")
    for table in (*VERSIONED, "statuschange"):
        op.execute(f"DROP TRIGGER {table}_version")
    op.drop_table("statuschange")
    for table, columns in NEW_COLUMNS.items():
        for column in columns:
            op.drop_column(table, column.name)
    for table in VERSIONED:
        op.drop_column(table, "version")
