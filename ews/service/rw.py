"""Flag lists and RW detail, scoped to the caller's area."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from ews.data.schema import AREA_TEXT_COLUMNS
from ews.db import queries
from ews.exceptions import NotFoundError
from ews.months import format_month, parse_month
from ews.service.common import (
    audited,
    factors,
    refuse,
    refuse_unpublished,
    require_role,
    resolve_month,
    shown_count,
)
from ews.service.official import official_detail, official_reason
from ews.service.privacy import shown_factors, shown_text
from ews.service.review_schemas import RECENT_REVIEWS, ReviewOut, ReviewPage
from ews.service.rw_schemas import (
    CaseCounts,
    FlagItem,
    FlagPage,
    Freshness,
    RwDetail,
    StaleSource,
    TrendPoint,
)
from ews.service.security import RW_READERS, Caller, Role


def scoped_area(caller: Caller, kelurahan: str | None) -> queries.AreaFilter | None:
    """The caller's area, narrowed to ``kelurahan`` if asked; None when that lies outside it."""
    own = queries.AreaFilter(
        kelurahan_code=caller.area if caller.role is Role.LURAH else None,
        kecamatan_code=caller.area if caller.role is Role.CAMAT else None,
    )
    if kelurahan is None:
        return own
    outside = (own.kelurahan_code not in (None, kelurahan)) or (
        own.kecamatan_code is not None and not kelurahan.startswith(own.kecamatan_code + ".")
    )
    if outside:
        return None
    return queries.AreaFilter(kelurahan_code=kelurahan, kecamatan_code=own.kecamatan_code)


def area_filter(session: Session, caller: Caller, kelurahan: str | None, action: str) -> queries.AreaFilter:
    """The caller's area, narrowed to ``kelurahan`` if asked; 404 when that lies outside it."""
    area = scoped_area(caller, kelurahan)
    if area is None:
        error = NotFoundError(f"kelurahan {kelurahan!r} was not found in your area")
        refuse(session, caller, action, str(kelurahan), error)
    return area


def _top_text(text: str, caller: Caller, threshold: int) -> str | None:
    if caller.is_official:
        return official_reason(json.loads(text or "[]"))
    # Only the first reason is listed; skip building every factor model.
    first = next(iter(json.loads(text or "[]")), None)
    if first is None:
        return None
    value = first.get("value")
    number = float(value) if isinstance(value, int | float) else None
    return shown_text(str(first.get("feature", "")), number, str(first.get("text", "")), caller, threshold)


def _flag_item(row: Row[Any], caller: Caller, threshold: int) -> FlagItem:
    return FlagItem(
        rw_code=row.rw_code,
        kelurahan_code=row.kelurahan_code,
        kelurahan_name=row.kelurahan_name,
        kecamatan_code=row.kecamatan_code,
        kecamatan_name=row.kecamatan_name,
        score=None if caller.is_official else row.score,
        tier=row.tier,
        rank=None if caller.is_official else row.rank,
        top_factor=_top_text(row.top_factors, caller, threshold),
        view="official" if caller.is_official else "full",
    )


def flags(
    session: Session,
    caller: Caller,
    as_of: str | None = None,
    *,
    kelurahan: str | None = None,
    tier: str | None = None,
    page: int = 1,
    page_size: int = 50,
    threshold: int = 3,
) -> FlagPage:
    """Flagged RWs of the month in the caller's area, highest risk first (small counts withheld below
    ``threshold`` in the main reason for lurah and camat)."""
    require_role(session, caller, RW_READERS, "flags.read", as_of or "latest")
    month = resolve_month(session, caller, as_of, "flags.read", verify=False)
    area = area_filter(session, caller, kelurahan, "flags.read")
    total, rows = queries.flagged_page(session, month, area, tier, (page - 1) * page_size, page_size)
    if total == 0:
        refuse_unpublished(session, caller, month, "flags.read")
    scope = area.kelurahan_code or area.kecamatan_code or "province"
    audited(session, caller, "flags.read", f"{month} {scope}")
    items = [_flag_item(row, caller, threshold) for row in rows]
    return FlagPage(as_of=month, page=page, page_size=page_size, total=total, items=items)


def _stale_sources(as_of: str, text: str | None) -> list[StaleSource]:
    # Stored by ews.db.bundle.stale_sources; NULL on months published before it existed.
    before = parse_month(as_of) - 1
    out = []
    for item in json.loads(text or "[]"):
        last = str(item["last_month"])
        out.append(
            StaleSource(signal=str(item["signal"]), last_month=last, months_behind=before - parse_month(last))
        )
    return out


def _freshness(as_of: str, last: str | None, stale: str | None) -> Freshness:
    behind = None if last is None else parse_month(as_of) - 1 - parse_month(last)
    return Freshness(last_signal_month=last, months_behind=behind, stale_sources=_stale_sources(as_of, stale))


def review_out(review: Any) -> ReviewOut:
    """The response model of a stored review (ORM object or row)."""
    return ReviewOut.model_validate(review, from_attributes=True)


def _counts(row: Row[Any], caller: Caller, threshold: int) -> CaseCounts:
    return CaseCounts(
        last_3_months=shown_count(row.cases_3m, caller, threshold),
        last_12_months=shown_count(row.cases_12m, caller, threshold),
        open=shown_count(row.open_cases, caller, threshold),
    )


def find_rw(session: Session, caller: Caller, month: str, rw_code: str, action: str) -> Row[Any]:
    """The RW's published row; the same 404 whether it is unknown or outside the caller's area."""
    row = queries.rw_row(session, month, rw_code)
    if row is None:
        refuse_unpublished(session, caller, month, action)
    if row is None or not caller.covers(row.kelurahan_code, row.kecamatan_code):
        refuse(session, caller, action, rw_code, NotFoundError(f"RW {rw_code!r} was not found"))
    return row


def rw_detail(session: Session, caller: Caller, rw_code: str, as_of: str | None, threshold: int) -> RwDetail:
    """Score, reasons, trend, freshness, case counts and reviews of one RW in the caller's area."""
    require_role(session, caller, RW_READERS, "rw.read", rw_code)
    month = resolve_month(session, caller, as_of, "rw.read", verify=False)
    row = find_rw(session, caller, month, rw_code, "rw.read")
    trend = [
        TrendPoint(month=p.month, score=p.score, source=p.source)
        for p in queries.rw_trend(session, month, rw_code)
    ]
    reviews_total, recent = queries.review_page(session, rw_code, 0, RECENT_REVIEWS)
    audited(session, caller, "rw.read", rw_code)
    detail = RwDetail(
        rw_code=row.rw_code,
        **{name: getattr(row, name) for name in AREA_TEXT_COLUMNS},
        as_of=month,
        score=row.score,
        tier=row.tier,
        rank=row.rank,
        flagged=row.flagged,
        factors=shown_factors(factors(row.top_factors), caller, threshold),
        trend=trend,
        freshness=_freshness(month, row.last_signal_month, row.stale_sources),
        cases=_counts(row, caller, threshold),
        reviews=[review_out(r) for r in recent],
        reviews_total=reviews_total,
    )
    if not caller.is_official:
        return detail
    first = format_month(parse_month(month) - 11)
    return official_detail(detail, queries.rw_history(session, month, first, rw_code))


REVIEWS_READ = "rw.reviews.read"


def review_page(
    session: Session, caller: Caller, rw_code: str, as_of: str | None, page: int, page_size: int
) -> ReviewPage:
    """One page of an RW's reviews (newest first) with their total; the RW must be in the caller's area
    in the published month ``as_of`` (default: the latest), else the same 404 as an unknown RW."""
    require_role(session, caller, RW_READERS, REVIEWS_READ, rw_code)
    month = resolve_month(session, caller, as_of, REVIEWS_READ, verify=False)
    find_rw(session, caller, month, rw_code, REVIEWS_READ)
    total, rows = queries.review_page(session, rw_code, (page - 1) * page_size, page_size)
    audited(session, caller, REVIEWS_READ, rw_code)
    items = [review_out(r) for r in rows]
    return ReviewPage(rw_code=rw_code, as_of=month, page=page, page_size=page_size, total=total, items=items)
