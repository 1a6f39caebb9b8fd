"""Area-wide reads the dashboard needs beyond the JSON service: every RW's tier, and check status.

The map colours every RW of the caller's area, not just the flagged ones, and
the camat summary counts checks per kelurahan; the service layer has no call
for either. These reads reuse its scope rules (``area_filter``), month
resolution and audit, so a page can never see more than the API would allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ews.api.security import RW_READERS, Caller
from ews.api.service.common import audited, require_role, resolve_month
from ews.api.service.rw import area_filter
from ews.db.models import Region, Review, RwScore
from ews.db.queries import AreaFilter

ACTION = "area.read"


@dataclass(frozen=True)
class AreaRw:
    """One RW of the area in the month: where it is, its tier, flag and known case counts."""

    rw_code: str
    kelurahan_code: str
    kelurahan_name: str
    kecamatan_code: str
    kecamatan_name: str
    kota_name: str
    tier: str
    rank: int
    flagged: bool
    cases_12m: int
    open_cases: int


@dataclass(frozen=True)
class CheckStatus:
    """The checks of one RW for the month: how many, and the latest outcome."""

    count: int
    latest_outcome: str | None


def _scores(session: Session, month: str, area: AreaFilter) -> list[AreaRw]:
    query = (
        select(RwScore, Region).join(Region, Region.rw_code == RwScore.rw_code).where(RwScore.as_of == month)
    )
    if area.kelurahan_code is not None:
        query = query.where(RwScore.kelurahan_code == area.kelurahan_code)
    if area.kecamatan_code is not None:
        query = query.where(RwScore.kecamatan_code == area.kecamatan_code)
    rows = session.execute(query.order_by(RwScore.rank)).tuples().all()
    return [_area_rw(score, region) for score, region in rows]


def _area_rw(score: RwScore, region: Region) -> AreaRw:
    names = (region.kelurahan_code, region.kelurahan_name, region.kecamatan_code, region.kecamatan_name)
    counts = (score.cases_12m, score.open_cases)
    return AreaRw(score.rw_code, *names, region.kota_name, score.tier, score.rank, score.flagged, *counts)


def area_rws(session: Session, caller: Caller, as_of: str | None) -> tuple[str, list[AreaRw]]:
    """The month shown and every RW of the caller's area in it (audited as one area read)."""
    require_role(session, caller, RW_READERS, ACTION, as_of or "latest")
    month = resolve_month(session, caller, as_of, ACTION)
    area = area_filter(session, caller, None, ACTION)
    rows = _scores(session, month, area)
    audited(session, caller, ACTION, f"{month} {area.kelurahan_code or area.kecamatan_code or 'province'}")
    return month, rows


def check_status(session: Session, month: str, rw_codes: Sequence[str]) -> dict[str, CheckStatus]:
    """Per RW (only those given, which the caller may already see): checks recorded for ``month``."""
    if not rw_codes:
        return {}
    query = select(Review.rw_code, Review.outcome).where(
        Review.as_of == month, Review.rw_code.in_(list(rw_codes))
    )
    out: dict[str, CheckStatus] = {}
    for code, outcome in session.execute(query.order_by(Review.id)).tuples():
        previous = out.get(code)
        out[code] = CheckStatus((previous.count if previous else 0) + 1, outcome)
    return out
