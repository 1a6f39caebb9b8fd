"""A client-made id on reviews, so a check retried over a flaky connection is stored once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for reviews stored before (and for API clients that send none); unique per author otherwise.
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("client_id", sa.String(64), nullable=True))
        batch.create_index("ux_reviews_author_client_id", ["author", "client_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_index("ux_reviews_author_client_id")
        batch.drop_column("client_id")
