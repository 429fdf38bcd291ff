"""a lost deal's details apart from its reason; saved filters

Revision ID: 0011
Revises: 0010

Issue #21: a lost reason typed with details ("price: chose Huawei cloud") became a category of
its own in the Lost report. ``opportunity.lost_detail`` holds the free text; existing reasons of
the form "category: details" (ASCII or full-width colon) are split here. Table ``savedfilter``:
a named list filter, recalled by name in the CLI and by key in the TUI; versioned like every
edited table.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString
TIME = sqlmodel.sql.sqltypes.UTCDateTime
# A category is a short word or two; a longer text before a colon is a sentence, left whole.
CATEGORY_MAX = 40


def split_reason(text: str) -> tuple[str, str | None]:
    """The reason "price: chose Huawei" -> ("price", "chose Huawei"); a reason without a colon stays whole."""
    for mark in (":", "："):
        head, found, tail = text.partition(mark)
        if found and head.strip() and len(head.strip()) <= CATEGORY_MAX:
            return head.strip(), (tail.strip() or None)
    return text, None


def upgrade() -> None:
    op.add_column("opportunity", sa.Column("lost_detail", TEXT(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, lost_reason FROM opportunity WHERE lost_reason LIKE '%:%' OR lost_reason LIKE '%：%'"
        )
    ).all()
    for row_id, reason in rows:
        category, detail = split_reason(reason)
        if detail is not None or category != reason:
            bind.execute(
                sa.text("UPDATE opportunity SET lost_reason = :c, lost_detail = :d WHERE id = :i"),
                {"c": category, "d": detail, "i": row_id},
            )
    op.create_table(
        "savedfilter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("name", TEXT(), nullable=False),
        sa.Column("scope", TEXT(), nullable=False),
        sa.Column("spec", TEXT(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("created_at", TIME(), nullable=False),
        sa.Column("updated_at", TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.execute(
        "CREATE TRIGGER savedfilter_version AFTER UPDATE ON savedfilter WHEN new.version <= old.version "
        "BEGIN UPDATE savedfilter SET version = old.version + 1 WHERE id = new.id; END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER savedfilter_version")
    op.drop_table("savedfilter")
    op.drop_column("opportunity", "lost_detail")
