"""Flagged RWs, RW detail and reviews (lurah, camat, analyst)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from ews.api import reads
from ews.api.deps import KEY_SECURITY, CallerDep, RequestDep, SessionDep
from ews.api.routes.common import AUTH, FORBIDDEN, NOT_FOUND, AsOf, Page, PageSize, json_bytes
from ews.api.schemas import FlagPage, ReviewIn, ReviewOut, RwDetail, Tier
from ews.api.service import reviews
from ews.data import schema

router = APIRouter(tags=["rw"], responses={**AUTH, **FORBIDDEN, **NOT_FOUND})

RwCode = Annotated[
    str,
    Path(
        pattern=schema.RW_CODE_PATTERN,
        description="RW code: kelurahan code + RW number.",
        examples=["31.71.01.1001.005"],
    ),
]
Kelurahan = Annotated[
    str | None,
    Query(
        pattern=schema.KELURAHAN_CODE_PATTERN, description="Only this kelurahan.", examples=["31.71.01.1001"]
    ),
]


@router.get("/flags", response_model=FlagPage, openapi_extra=KEY_SECURITY)
async def list_flags(
    context: RequestDep,
    as_of: AsOf = None,
    kelurahan: Kelurahan = None,
    tier: Annotated[Tier | None, Query(description="Only this tier.")] = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> Response:
    """RWs flagged for a check this month in the caller's area, highest risk first."""
    body = reads.flags_json(context, as_of, kelurahan=kelurahan, tier=tier, page=page, page_size=page_size)
    return json_bytes(body)


@router.get("/rw/{rw_code}", response_model=RwDetail, openapi_extra=KEY_SECURITY)
async def get_rw(context: RequestDep, rw_code: RwCode, as_of: AsOf = None) -> Response:
    """One RW: score, tier, rank, flag, reasons in Bahasa Indonesia, 12-month trend, freshness, reviews."""
    return json_bytes(reads.rw_detail_json(context, rw_code, as_of))


@router.post("/rw/{rw_code}/reviews", status_code=201)
async def post_review(session: SessionDep, caller: CallerDep, rw_code: RwCode, body: ReviewIn) -> ReviewOut:
    """Record the outcome of checking an RW; stored with the caller's name and the time."""
    return reviews.add_review(session, caller, rw_code, body)
