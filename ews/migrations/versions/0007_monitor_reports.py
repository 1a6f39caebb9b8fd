"""The monitor's report per as-of month (JSON and HTML), stored by ``ews monitor --database-url``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table: nothing to carry over; a month's row is replaced when the monitor runs again.
    op.create_table(
        "monitor_reports",
        sa.Column("as_of", sa.String(length=7), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("report_html", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_monitor_reports")),
    )


def downgrade() -> None:
    op.drop_table("monitor_reports")
