"""Read queries behind the service layer; each is one indexed statement.

Area filters are passed in as plain column/value pairs so the scope rules
stay in ``ews.api`` and the SQL stays here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ews.db.models import CaseScore, Publication, Region, Review, RwScore, RwTrend


@dataclass(frozen=True)
class AreaFilter:
    """Restrict RW rows to one kelurahan and/or one kecamatan (None = no restriction)."""

    kelurahan_code: str | None = None
    kecamatan_code: str | None = None


def latest_month(session: Session) -> str | None:
    """The most recent published month, or None before the first publish."""
    return session.scalar(select(func.max(Publication.as_of)))


def publications(session: Session) -> list[Publication]:
    """Every published month, newest first."""
    return list(session.scalars(select(Publication).order_by(Publication.as_of.desc())))


def get_publication(session: Session, as_of: str) -> Publication | None:
    """The publication of ``as_of``, if any."""
    return session.get(Publication, as_of)


def _in_area(query: Select[RwScore, Region], area: AreaFilter) -> Select[RwScore, Region]:
    if area.kelurahan_code is not None:
        query = query.where(RwScore.kelurahan_code == area.kelurahan_code)
    if area.kecamatan_code is not None:
        query = query.where(RwScore.kecamatan_code == area.kecamatan_code)
    return query


def flagged_page(
    session: Session, as_of: str, area: AreaFilter, tier: str | None, offset: int, limit: int
) -> tuple[int, list[tuple[RwScore, Region]]]:
    """Flagged RWs of ``as_of`` in ``area``, by rank: the total and one page."""
    query = select(RwScore, Region).join(Region, Region.rw_code == RwScore.rw_code)
    query = _in_area(query.where(RwScore.as_of == as_of, RwScore.flagged.is_(True)), area)
    if tier is not None:
        query = query.where(RwScore.tier == tier)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(RwScore.rank).offset(offset).limit(limit)).tuples().all()
    return total, list(rows)


def rw_score(session: Session, as_of: str, rw_code: str) -> tuple[RwScore, Region] | None:
    """One RW's published row and region for ``as_of``."""
    query = select(RwScore, Region).join(Region, Region.rw_code == RwScore.rw_code)
    row = session.execute(query.where(RwScore.as_of == as_of, RwScore.rw_code == rw_code)).tuples().first()
    return None if row is None else (row[0], row[1])


def rw_trend(session: Session, as_of: str, rw_code: str) -> list[RwTrend]:
    """The trend snapshot stored with ``as_of`` for one RW, oldest month first."""
    query = select(RwTrend).where(RwTrend.as_of == as_of, RwTrend.rw_code == rw_code)
    return list(session.scalars(query.order_by(RwTrend.month)))


def reviews(session: Session, rw_code: str, limit: int = 50) -> list[Review]:
    """An RW's reviews, newest first."""
    query = select(Review).where(Review.rw_code == rw_code).order_by(Review.id.desc()).limit(limit)
    return list(session.scalars(query))


def region(session: Session, rw_code: str) -> Region | None:
    """The region row of an RW, if it was ever published."""
    return session.get(Region, rw_code)


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
