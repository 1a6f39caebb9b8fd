"""A per-account session generation: bumped on sign-out and revoke, it ends every dashboard session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing accounts start at 0; cookies issued before carry no generation and are refused anyway.
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL drops the column in place.
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("session_generation")
