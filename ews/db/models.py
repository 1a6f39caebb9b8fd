"""Tables of the service store (SQLAlchemy 2 declarative models).

Months are stored as ``YYYY-MM`` text: it sorts like the month and reads
plainly in SQL consoles. Published tables (``publications``, ``rw_scores``,
``rw_trend``, ``case_scores``) are replaced month by month by ``ews publish``;
``accounts``, ``reviews`` and ``audit_log`` are user data and are never
touched by a publish. The Alembic revisions in ``ews/migrations`` create these
tables; a test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Fixed constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONTH = String(7)
CODE = String(32)


class Base(DeclarativeBase):
    """Declarative base carrying the shared naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Account(Base):
    """A person or service: an API key (only its sha256 is kept) and, for officials, a password."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    area: Mapped[str | None] = mapped_column(CODE)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on dashboard sign-out and on revoke: cookies signed with an older value are refused.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Dashboard sign-in (migration 0005): the argon2 hash of the password the official chose, and of
    # the one-time setup code that lets them choose it (NULL once spent) with its expiry.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    setup_code_hash: Mapped[str | None] = mapped_column(String(255))
    setup_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SignInThrottle(Base):
    """Failed dashboard sign-ins of one subject (``user:<name>`` or ``addr:<client address>``).

    Subjects are counted whether or not the account exists, so a lock says nothing about which
    usernames are real. ``locked_until`` is set once ``failures`` reaches the subject's threshold.
    """

    __tablename__ = "sign_in_throttle"

    subject: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Generation(Base):
    """A counter bumped in the same transaction as every change of what it names.

    ``publications`` moves with each publish (scores, trend and region names), ``reviews``
    with each review. API processes cache serialised reads per generation and read the
    counters with the key lookup every request already makes, so a change written by any
    process (``ews publish``, another worker) is seen by the very next request.
    """

    __tablename__ = "generations"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """One read of RW or case data, or one write: who, in which role, did what, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(16))


class Region(Base):
    """One RW and the names of the areas that contain it (from the published data folder)."""

    __tablename__ = "regions"

    rw_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    kelurahan_code: Mapped[str] = mapped_column(CODE, index=True)
    kelurahan_name: Mapped[str] = mapped_column(String(100))
    kecamatan_code: Mapped[str] = mapped_column(CODE, index=True)
    kecamatan_name: Mapped[str] = mapped_column(String(100))
    kota_code: Mapped[str] = mapped_column(CODE)
    kota_name: Mapped[str] = mapped_column(String(100))


class Publication(Base):
    """One published month: which models produced it and when."""

    __tablename__ = "publications"

    as_of: Mapped[str] = mapped_column(MONTH, primary_key=True)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    rw_model: Mapped[str] = mapped_column(String(200))
    reopen_model: Mapped[str] = mapped_column(String(200))
    n_rws: Mapped[int] = mapped_column(Integer)
    n_flagged: Mapped[int] = mapped_column(Integer)
    n_cases: Mapped[int] = mapped_column(Integer)


class RwScore(Base):
    """An RW's published score for one month, with its freshness and case counts."""

    __tablename__ = "rw_scores"

    as_of: Mapped[str] = mapped_column(
        MONTH, ForeignKey("publications.as_of", ondelete="CASCADE"), primary_key=True
    )
    rw_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    kelurahan_code: Mapped[str] = mapped_column(CODE)
    kecamatan_code: Mapped[str] = mapped_column(CODE)
    kota_code: Mapped[str] = mapped_column(CODE)
    score: Mapped[float] = mapped_column(Float)
    tier: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[bool] = mapped_column(Boolean)
    top_factors: Mapped[str] = mapped_column(Text)
    last_signal_month: Mapped[str | None] = mapped_column(MONTH)
    # JSON list of {"signal", "last_month"}: sources the RW stopped sending (ews.db.bundle.stale_sources);
    # NULL on rows published before migration 0003.
    stale_sources: Mapped[str | None] = mapped_column(Text)
    cases_3m: Mapped[int] = mapped_column(Integer)
    cases_12m: Mapped[int] = mapped_column(Integer)
    open_cases: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_rw_scores_flags", "as_of", "flagged", "rank"),
        Index("ix_rw_scores_kelurahan", "as_of", "kelurahan_code"),
        Index("ix_rw_scores_kecamatan", "as_of", "kecamatan_code"),
    )


class RwTrend(Base):
    """The 12-month score history shown with an RW, snapshotted when ``as_of`` is published."""

    __tablename__ = "rw_trend"

    as_of: Mapped[str] = mapped_column(
        MONTH, ForeignKey("publications.as_of", ondelete="CASCADE"), primary_key=True
    )
    rw_code: Mapped[str] = mapped_column(CODE, primary_key=True)
    month: Mapped[str] = mapped_column(MONTH, primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))


class CaseScore(Base):
    """A recently closed case's published reopen score (case_system and analysts only)."""

    __tablename__ = "case_scores"

    as_of: Mapped[str] = mapped_column(
        MONTH, ForeignKey("publications.as_of", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rw_code: Mapped[str] = mapped_column(CODE)
    kelurahan_code: Mapped[str] = mapped_column(CODE)
    kecamatan_code: Mapped[str] = mapped_column(CODE)
    closed_at: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
    tier: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[bool] = mapped_column(Boolean)
    top_factors: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_case_scores_rank", "as_of", "rank"),)


class Review(Base):
    """A lurah's or camat's check of a flagged RW; never replaced by a publish."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rw_code: Mapped[str] = mapped_column(CODE, index=True)
    as_of: Mapped[str] = mapped_column(MONTH)
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(64))
    author_role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Made by the client (the check form, or an API caller) so a retry is stored once (migration 0006).
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (Index("ux_reviews_author_client_id", "author", "client_id", unique=True),)


class MonitorReportRow(Base):
    """``ews monitor``'s report as of one month (JSON and HTML), replaced when the monitor runs again.

    Written only by ``ews monitor --database-url``; read by ``GET /v1/monitor`` and the analyst view.
    """

    __tablename__ = "monitor_reports"

    as_of: Mapped[str] = mapped_column(MONTH, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    report_json: Mapped[str] = mapped_column(Text)
    report_html: Mapped[str] = mapped_column(Text)
