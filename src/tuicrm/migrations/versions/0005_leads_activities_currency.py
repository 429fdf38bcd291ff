"""leads, activities (agenda) and a currency per opportunity

Revision ID: 0005
Revises: 0004

Issue #17: ``lead`` (template 004's lead sheet, BANT-scored) and ``activity`` (template 003's
activity plan), both versioned like every edited table (migration 0004's trigger). Issue #15:
``opportunity.currency`` (ISO code; empty = the configured currency), so an imported ``$`` or
``€`` amount keeps its currency instead of being reported as CNY.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tuicrm.models import Money

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString
TIME = sqlmodel.sql.sqltypes.UTCDateTime


def _version_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_version AFTER UPDATE ON {table} WHEN new.version <= old.version BEGIN "
        f"UPDATE {table} SET version = old.version + 1 WHERE id = new.id; END"
    )


def upgrade() -> None:
    op.add_column("opportunity", sa.Column("currency", TEXT(), nullable=True))
    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("code", TEXT(length=16), nullable=False),
        sa.Column("source", TEXT(), nullable=True),
        sa.Column("source_detail", TEXT(), nullable=True),
        sa.Column("company", TEXT(), nullable=False),
        sa.Column("industry", TEXT(), nullable=True),
        sa.Column("contact_name", TEXT(), nullable=True),
        sa.Column("contact_title", TEXT(), nullable=True),
        sa.Column("phone", TEXT(), nullable=True),
        sa.Column("email", TEXT(), nullable=True),
        sa.Column("budget_text", TEXT(), nullable=True),
        sa.Column("budget_min", Money(), nullable=True),
        sa.Column("needs", TEXT(), nullable=True),
        sa.Column("purchase_by", sa.Date(), nullable=True),
        sa.Column("is_decision_maker", sa.Boolean(), nullable=True),
        sa.Column("need_clear", sa.Boolean(), nullable=True),
        sa.Column("purchase_soon", sa.Boolean(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("score_class", TEXT(), nullable=False),
        sa.Column("respond_by", TIME(), nullable=True),
        sa.Column("contacted_at", TIME(), nullable=True),
        sa.Column("rescore_on", sa.Date(), nullable=True),
        sa.Column("status", TEXT(), nullable=False),
        sa.Column("drop_reason", TEXT(), nullable=True),
        sa.Column("owner", TEXT(), nullable=True),
        sa.Column("notes", TEXT(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("converted_at", TIME(), nullable=True),
        sa.Column("archived_at", TIME(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
        sa.Column("updated_at", TIME(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunity.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_lead_status_respond", "lead", ["status", "respond_by"])
    op.create_index("ix_lead_customer", "lead", ["customer_id"])
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("code", TEXT(length=16), nullable=False),
        sa.Column("name", TEXT(), nullable=False),
        sa.Column("kind", TEXT(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("goal", TEXT(), nullable=True),
        sa.Column("content", TEXT(), nullable=True),
        sa.Column("planned_start", TIME(), nullable=False),
        sa.Column("planned_end", TIME(), nullable=True),
        sa.Column("actual_start", TIME(), nullable=True),
        sa.Column("actual_end", TIME(), nullable=True),
        sa.Column("place", TEXT(), nullable=True),
        sa.Column("attendees", TEXT(), nullable=True),
        sa.Column("resources", TEXT(), nullable=True),
        sa.Column("budget", Money(), nullable=True),
        sa.Column("status", TEXT(), nullable=False),
        sa.Column("result", TEXT(), nullable=True),
        sa.Column("next_action", TEXT(), nullable=True),
        sa.Column("owner", TEXT(), nullable=True),
        sa.Column("creator", TEXT(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", TIME(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
        sa.Column("updated_at", TIME(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["follow_up_id"], ["followup.id"]),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunity.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_activity_status_start", "activity", ["status", "planned_start"])
    op.create_index("ix_activity_customer", "activity", ["customer_id", "planned_start"])
    for table in ("lead", "activity"):
        op.execute(_version_trigger(table))


def downgrade() -> None:
    for table in ("lead", "activity"):
        op.execute(f"DROP TRIGGER {table}_version")
    op.drop_table("activity")
    op.drop_table("lead")
    op.drop_column("opportunity", "currency")
