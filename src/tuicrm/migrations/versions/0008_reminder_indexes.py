"""indexes for the morning queue's reminders: birthdays and anniversaries by month-day, renewals

Revision ID: 0008
Revises: 0007

Issue #18's reminders read every contact's birthday and anniversary by ``strftime('%m-%d', …)``
and every customer's and deal's renewal date: at 150 000 contacts that was a full scan (1.2 s)
on every ``tuicrm due`` and every panel paint. Expression indexes on the month-day (only the
rows that have the date) and partial indexes on the renewal dates make them index lookups.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("birthday", "anniversary"):
        op.execute(
            f"CREATE INDEX ix_contact_{column}_md ON contact (strftime('%m-%d', {column})) "
            f"WHERE {column} IS NOT NULL"
        )
    op.create_index(
        "ix_customer_renewal", "customer", ["renewal_on"], sqlite_where=sa.text("renewal_on IS NOT NULL")
    )
    op.create_index(
        "ix_opportunity_renewal",
        "opportunity",
        ["renewal_on"],
        sqlite_where=sa.text("renewal_on IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_opportunity_renewal", "opportunity")
    op.drop_index("ix_customer_renewal", "customer")
    for column in ("birthday", "anniversary"):
        op.execute(f"DROP INDEX ix_contact_{column}_md")
