"""receivables, payments, complaints; payment terms, anniversaries, renewal dates

Revision ID: 0006
Revises: 0005

Issue #18 (after the deal): ``receivable`` (template 001 客户结算收款表: 应收/实收/未收, several
payments settle one), ``payment`` (a payment with no receivable is a credit on the customer),
``complaint`` + ``complaintstep`` (客户投诉管理卡: deadline by severity, handling as a log of
steps). ``customer.payment_terms`` (月结30天: a won deal's receivable due date),
``contact.anniversary`` and ``opportunity.renewal_on`` (reminders in the morning queue). The
edited tables are versioned like every other (migration 0004's trigger).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tuicrm.models import Money

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString
TIME = sqlmodel.sql.sqltypes.UTCDateTime
VERSIONED = ("receivable", "payment", "complaint")


def _version_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_version AFTER UPDATE ON {table} WHEN new.version <= old.version BEGIN "
        f"UPDATE {table} SET version = old.version + 1 WHERE id = new.id; END"
    )


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("archived_at", TIME(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
        sa.Column("updated_at", TIME(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("customer", sa.Column("payment_terms", TEXT(), nullable=True))
    op.add_column("contact", sa.Column("anniversary", sa.Date(), nullable=True))
    op.add_column("opportunity", sa.Column("renewal_on", sa.Date(), nullable=True))
    op.create_table(
        "receivable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("code", TEXT(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("currency", TEXT(), nullable=True),
        sa.Column("received", Money(), server_default="0", nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("paid_off_on", sa.Date(), nullable=True),
        sa.Column("invoice_no", TEXT(), nullable=True),
        sa.Column("settled_by", TEXT(), nullable=True),
        sa.Column("notes", TEXT(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunity.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_receivable_customer", "receivable", ["customer_id", "due_on"])
    op.create_index("ix_receivable_open", "receivable", ["archived_at", "paid_off_on", "due_on"])
    op.create_index("ix_receivable_opportunity_id", "receivable", ["opportunity_id"])
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("code", TEXT(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("receivable_id", sa.Integer(), nullable=True),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("currency", TEXT(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", TEXT(), nullable=True),
        sa.Column("settled_by", TEXT(), nullable=True),
        sa.Column("reference", TEXT(), nullable=True),
        sa.Column("notes", TEXT(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["receivable_id"], ["receivable.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_payment_customer", "payment", ["customer_id", "paid_on"])
    op.create_index("ix_payment_receivable", "payment", ["receivable_id"])
    op.create_index("ix_payment_paid_on", "payment", ["paid_on"])
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("code", TEXT(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", TIME(), nullable=False),
        sa.Column("channel", TEXT(), nullable=True),
        sa.Column("content", TEXT(), nullable=False),
        sa.Column("cause", TEXT(), nullable=True),
        sa.Column("severity", TEXT(), nullable=False),
        sa.Column("deadline_at", TIME(), nullable=True),
        sa.Column("status", TEXT(), nullable=False),
        sa.Column("result", TEXT(), nullable=True),
        sa.Column("resolved_at", TIME(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("owner", TEXT(), nullable=True),
        sa.Column("notes", TEXT(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunity.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_complaint_status_deadline", "complaint", ["status", "deadline_at"])
    op.create_index("ix_complaint_customer", "complaint", ["customer_id", "opened_at"])
    op.create_table(
        "complaintstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", TIME(), nullable=False),
        sa.Column("text", TEXT(), nullable=False),
        sa.Column("by_user", TEXT(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
        sa.Column("updated_at", TIME(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_complaintstep_complaint_id", "complaintstep", ["complaint_id"])
    for table in VERSIONED:
        op.execute(_version_trigger(table))


def downgrade() -> None:
    for table in VERSIONED:
        op.execute(f"DROP TRIGGER {table}_version")
    op.drop_table("complaintstep")
    op.drop_table("complaint")
    op.drop_table("payment")
    op.drop_table("receivable")
    with op.batch_alter_table("opportunity") as batch:
        batch.drop_column("renewal_on")
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("anniversary")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("payment_terms")
