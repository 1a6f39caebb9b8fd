"""Initial schema: accounts, audit log, regions, published scores, reviews.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MONTH = sa.String(length=7)
CODE = sa.String(length=32)


def _as_of_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["as_of"], ["publications.as_of"], name=op.f(f"fk_{table}_as_of_publications"), ondelete="CASCADE"
    )


def _user_tables() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("area", CODE, nullable=True),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_accounts_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_accounts_name")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_actor"), "audit_log", ["actor"])
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rw_code", CODE, nullable=False),
        sa.Column("as_of", MONTH, nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("author_role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_rw_code"), "reviews", ["rw_code"])


def _region_tables() -> None:
    op.create_table(
        "regions",
        sa.Column("rw_code", CODE, nullable=False),
        sa.Column("kelurahan_code", CODE, nullable=False),
        sa.Column("kelurahan_name", sa.String(length=100), nullable=False),
        sa.Column("kecamatan_code", CODE, nullable=False),
        sa.Column("kecamatan_name", sa.String(length=100), nullable=False),
        sa.Column("kota_code", CODE, nullable=False),
        sa.Column("kota_name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("rw_code", name=op.f("pk_regions")),
    )
    op.create_index(op.f("ix_regions_kecamatan_code"), "regions", ["kecamatan_code"])
    op.create_index(op.f("ix_regions_kelurahan_code"), "regions", ["kelurahan_code"])
    op.create_table(
        "publications",
        sa.Column("as_of", MONTH, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rw_model", sa.String(length=200), nullable=False),
        sa.Column("reopen_model", sa.String(length=200), nullable=False),
        sa.Column("n_rws", sa.Integer(), nullable=False),
        sa.Column("n_flagged", sa.Integer(), nullable=False),
        sa.Column("n_cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_publications")),
    )


def _score_tables() -> None:
    op.create_table(
        "rw_scores",
        sa.Column("as_of", MONTH, nullable=False),
        sa.Column("rw_code", CODE, nullable=False),
        sa.Column("kelurahan_code", CODE, nullable=False),
        sa.Column("kecamatan_code", CODE, nullable=False),
        sa.Column("kota_code", CODE, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("top_factors", sa.Text(), nullable=False),
        sa.Column("last_signal_month", MONTH, nullable=True),
        sa.Column("cases_3m", sa.Integer(), nullable=False),
        sa.Column("cases_12m", sa.Integer(), nullable=False),
        sa.Column("open_cases", sa.Integer(), nullable=False),
        _as_of_fk("rw_scores"),
        sa.PrimaryKeyConstraint("as_of", "rw_code", name=op.f("pk_rw_scores")),
    )
    op.create_index("ix_rw_scores_flags", "rw_scores", ["as_of", "flagged", "rank"])
    op.create_index("ix_rw_scores_kecamatan", "rw_scores", ["as_of", "kecamatan_code"])
    op.create_index("ix_rw_scores_kelurahan", "rw_scores", ["as_of", "kelurahan_code"])
    op.create_table(
        "rw_trend",
        sa.Column("as_of", MONTH, nullable=False),
        sa.Column("rw_code", CODE, nullable=False),
        sa.Column("month", MONTH, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        _as_of_fk("rw_trend"),
        sa.PrimaryKeyConstraint("as_of", "rw_code", "month", name=op.f("pk_rw_trend")),
    )
    op.create_table(
        "case_scores",
        sa.Column("as_of", MONTH, nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("rw_code", CODE, nullable=False),
        sa.Column("kelurahan_code", CODE, nullable=False),
        sa.Column("kecamatan_code", CODE, nullable=False),
        sa.Column("closed_at", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("top_factors", sa.Text(), nullable=False),
        _as_of_fk("case_scores"),
        sa.PrimaryKeyConstraint("as_of", "case_id", name=op.f("pk_case_scores")),
    )
    op.create_index("ix_case_scores_rank", "case_scores", ["as_of", "rank"])


def upgrade() -> None:
    _user_tables()
    _region_tables()
    _score_tables()


def downgrade() -> None:
    for table in ("case_scores", "rw_trend", "rw_scores", "publications", "regions"):
        op.drop_table(table)
    for table in ("reviews", "audit_log", "accounts"):
        op.drop_table(table)
