"""Area-wide reads: every RW of the caller's area with its tier and flag, and the month's check status.

The dashboard's map, "Semua RW" list, printable list and summaries show
every RW of the caller's area, not just the flagged ones. These reads use
the same scope rules (``area_filter``), month resolution and audit as the
rest of the service layer; their SQL lives in ``ews.db.queries``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ews.db import queries
from ews.db.models import Region, RwScore
from ews.db.queries import AreaFilter
from ews.service.common import audited, require_role, resolve_month
from ews.service.rw import area_filter
from ews.service.security import RW_READERS, Caller

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
    return [_area_rw(score, region) for score, region in queries.area_scores(session, month, area)]


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
    out: dict[str, CheckStatus] = {}
    for code, outcome in queries.month_checks(session, month, rw_codes):
        previous = out.get(code)
        out[code] = CheckStatus((previous.count if previous else 0) + 1, outcome)
    return out
