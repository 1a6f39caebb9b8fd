"""Stale signal sources per published RW row (a JSON list; NULL on rows published before).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rw_scores") as batch:
        batch.add_column(sa.Column("stale_sources", sa.Text(), nullable=True))


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL drops the column in place.
    with op.batch_alter_table("rw_scores") as batch:
        batch.drop_column("stale_sources")
