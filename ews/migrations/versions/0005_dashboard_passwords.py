"""Dashboard sign-in with a username and password: password and setup-code hashes, failure throttle.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("password_hash", "setup_code_hash", "setup_expires_at")


def upgrade() -> None:
    # Existing accounts have neither: they keep signing in with their key until `ews users reset-password`.
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("setup_code_hash", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("setup_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sign_in_throttle",
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_sign_in_throttle")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("accounts") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
