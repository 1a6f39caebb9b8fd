"""Read queries behind the service layer; each is one indexed statement.

Hot paths use SQLAlchemy Core on the session's connection and statements
built once at import: the ORM's per-call work cost several times the SQL on
these sub-millisecond lookups (see bench/bench_api.py). Rows come back as
``Row`` objects with attribute access (``row.score``, ``row.kelurahan_name``).
Area filters are plain column/value pairs so the scope rules stay in ``ews.api``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, func, select, true
from sqlalchemy.orm import Session

from ews.db.models import CaseScore, Publication, Region, Review, RwScore, RwTrend

_S, _R = RwScore.__table__.c, Region.__table__.c
_RW_COLUMNS = (
    _S.rw_code,
    _S.score,
    _S.tier,
    _S.rank,
    _S.flagged,
    _S.top_factors,
    _S.last_signal_month,
    _S.stale_sources,
    _S.cases_3m,
    _S.cases_12m,
    _S.open_cases,
    _R.kelurahan_code,
    _R.kelurahan_name,
    _R.kecamatan_code,
    _R.kecamatan_name,
    _R.kota_code,
    _R.kota_name,
)
_RW_FROM = RwScore.__table__.join(Region.__table__, _R.rw_code == _S.rw_code)
_RW_ONE = (
    select(*_RW_COLUMNS)
    .select_from(_RW_FROM)
    .where(_S.as_of == bindparam("as_of"), _S.rw_code == bindparam("rw"))
)
_TREND = (
    select(RwTrend.__table__.c.month, RwTrend.__table__.c.score, RwTrend.__table__.c.source)
    .where(RwTrend.__table__.c.as_of == bindparam("as_of"), RwTrend.__table__.c.rw_code == bindparam("rw"))
    .order_by(RwTrend.__table__.c.month)
)
_HISTORY = (
    select(_S.as_of.label("month"), _S.tier, _S.flagged)
    .where(_S.rw_code == bindparam("rw"), _S.as_of <= bindparam("as_of"), _S.as_of >= bindparam("first"))
    .order_by(_S.as_of)
)
_REVIEWS = (
    # count(*) over () returns the RW's total with the page, saving a second query.
    select(Review.__table__, func.count().over().label("total"))
    .where(Review.__table__.c.rw_code == bindparam("rw"))
    .order_by(Review.__table__.c.id.desc())
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_REVIEW_COUNT = select(func.count()).select_from(Review).where(Review.rw_code == bindparam("rw"))
_LATEST = select(func.max(Publication.__table__.c.as_of))
_PUBLISHED = select(Publication.__table__.c.as_of).where(Publication.__table__.c.as_of == bindparam("as_of"))


@dataclass(frozen=True)
class AreaFilter:
    """Restrict RW rows to one kelurahan and/or one kecamatan (None = no restriction)."""

    kelurahan_code: str | None = None
    kecamatan_code: str | None = None


def _run(session: Session, statement: Any, **params: Any) -> Any:
    return session.connection().execute(statement, params)


def latest_month(session: Session) -> str | None:
    """The most recent published month, or None before the first publish."""
    value: str | None = _run(session, _LATEST).scalar()
    return value


def is_published(session: Session, as_of: str) -> bool:
    """Whether month ``as_of`` has been published."""
    return _run(session, _PUBLISHED, as_of=as_of).first() is not None


def publications(session: Session) -> list[Publication]:
    """Every published month, newest first."""
    return list(session.scalars(select(Publication).order_by(Publication.as_of.desc())))


def get_publication(session: Session, as_of: str) -> Publication | None:
    """The publication of ``as_of``, if any."""
    return session.get(Publication, as_of)


def _flag_where(as_of: Any, kelurahan: Any, kecamatan: Any, tier: Any) -> list[Any]:
    # Each value is a literal or a bind parameter; None means no restriction.
    where = [_S.as_of == as_of, _S.flagged.is_(True)]
    where += [_S.kelurahan_code == kelurahan] if kelurahan is not None else []
    where += [_S.kecamatan_code == kecamatan] if kecamatan is not None else []
    return where + ([_S.tier == tier] if tier is not None else [])


@functools.cache
def _flag_page_statement(by_kelurahan: bool, by_kecamatan: bool, by_tier: bool) -> Select[Any]:
    # Built once per filter shape with bind parameters: building the Select cost more than the SQL.
    where = _flag_where(
        bindparam("as_of"),
        bindparam("kelurahan") if by_kelurahan else None,
        bindparam("kecamatan") if by_kecamatan else None,
        bindparam("tier") if by_tier else None,
    )
    # count(*) over () returns the total with the page, saving a second query.
    total = func.count().over().label("total")
    query = select(*_RW_COLUMNS, total).select_from(_RW_FROM).where(and_(true(), *where))
    return query.order_by(_S.rank).offset(bindparam("offset")).limit(bindparam("limit"))


def _area(area: AreaFilter) -> tuple[str | None, str | None]:
    return area.kelurahan_code, area.kecamatan_code


def _flag_params(as_of: str, area: AreaFilter, tier: str | None) -> dict[str, Any]:
    optional = {"kelurahan": area.kelurahan_code, "kecamatan": area.kecamatan_code, "tier": tier}
    return {"as_of": as_of} | {name: value for name, value in optional.items() if value is not None}


def flagged_page(
    session: Session, as_of: str, area: AreaFilter, tier: str | None, offset: int, limit: int
) -> tuple[int, Sequence[Row[Any]]]:
    """Flagged RWs of ``as_of`` in ``area``, by rank: the total and one page."""
    shape = (area.kelurahan_code is not None, area.kecamatan_code is not None, tier is not None)
    params = _flag_params(as_of, area, tier)
    rows = _run(session, _flag_page_statement(*shape), offset=offset, limit=limit, **params).all()
    if rows:
        return int(rows[0].total), rows
    if offset == 0:
        return 0, rows
    query = (
        select(func.count())
        .select_from(_RW_FROM)
        .where(and_(true(), *_flag_where(as_of, *_area(area), tier)))
    )
    return int(_run(session, query).scalar() or 0), rows


def rw_row(session: Session, as_of: str, rw_code: str) -> Row[Any] | None:
    """One RW's published scores with its region names, for ``as_of``."""
    row: Row[Any] | None = _run(session, _RW_ONE, as_of=as_of, rw=rw_code).first()
    return row


def rw_trend(session: Session, as_of: str, rw_code: str) -> Sequence[Row[Any]]:
    """The trend snapshot stored with ``as_of`` for one RW, oldest month first."""
    rows: Sequence[Row[Any]] = _run(session, _TREND, as_of=as_of, rw=rw_code).all()
    return rows


def kota_names(session: Session) -> dict[str, str]:
    """Every published kota's name by code (the analyst page names groups, not codes)."""
    rows = session.execute(select(_R.kota_code, _R.kota_name).distinct()).tuples().all()
    return {str(code): str(name) for code, name in rows}


def rw_history(session: Session, as_of: str, first: str, rw_code: str) -> Sequence[Row[Any]]:
    """The RW's published tier and flag in each published month from ``first`` to ``as_of``."""
    rows: Sequence[Row[Any]] = _run(session, _HISTORY, as_of=as_of, first=first, rw=rw_code).all()
    return rows


def review_page(session: Session, rw_code: str, offset: int, limit: int) -> tuple[int, Sequence[Row[Any]]]:
    """An RW's reviews, newest first: the total and one page."""
    rows: Sequence[Row[Any]] = _run(session, _REVIEWS, rw=rw_code, offset=offset, limit=limit).all()
    if rows:
        return int(rows[0].total), rows
    if offset == 0:
        return 0, rows
    return int(_run(session, _REVIEW_COUNT, rw=rw_code).scalar() or 0), rows


def area_known(session: Session, column: str, code: str) -> bool | None:
    """Whether ``code`` appears in ``regions.<column>``; None when no region is published yet."""
    if session.scalar(select(func.count()).select_from(Region)) == 0:
        return None
    return session.scalar(select(func.count()).where(getattr(Region, column) == code)) != 0


def case_page(
    session: Session, as_of: str, flagged_only: bool, offset: int, limit: int
) -> tuple[int, list[CaseScore]]:
    """Published case scores of ``as_of`` by rank: the total and one page."""
    query = select(CaseScore).where(CaseScore.as_of == as_of)
    if flagged_only:
        query = query.where(CaseScore.flagged.is_(True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return total, list(session.scalars(query.order_by(CaseScore.rank).offset(offset).limit(limit)))


def area_scores(session: Session, month: str, area: AreaFilter) -> Sequence[tuple[RwScore, Region]]:
    """Every RW of ``area`` published for ``month`` with its region row, by rank."""
    query = (
        select(RwScore, Region).join(Region, Region.rw_code == RwScore.rw_code).where(RwScore.as_of == month)
    )
    if area.kelurahan_code is not None:
        query = query.where(RwScore.kelurahan_code == area.kelurahan_code)
    if area.kecamatan_code is not None:
        query = query.where(RwScore.kecamatan_code == area.kecamatan_code)
    return session.execute(query.order_by(RwScore.rank)).tuples().all()


def month_checks(session: Session, month: str, rw_codes: Sequence[str]) -> Sequence[tuple[str, str]]:
    """(rw_code, outcome) of every review of ``rw_codes`` for ``month``, oldest first."""
    query = select(Review.rw_code, Review.outcome).where(
        Review.as_of == month, Review.rw_code.in_(list(rw_codes))
    )
    return session.execute(query.order_by(Review.id)).tuples().all()
