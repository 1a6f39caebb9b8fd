"""Flagged RWs, RW detail and reviews (lurah, camat, analyst)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from ews.api import reads
from ews.api.deps import KEY_SECURITY, RequestDep
from ews.api.limits import gated
from ews.api.routes.common import (
    AUTH,
    FORBIDDEN,
    NOT_FOUND,
    AsOf,
    Page,
    PageSize,
    json_bytes,
    json_response,
)
from ews.data import schema
from ews.service import reviews, rw
from ews.service.review_schemas import ReviewIn, ReviewOut, ReviewPage
from ews.service.rw_schemas import FlagPage, RwDetail
from ews.service.schemas import Tier
from ews.service.security import RW_READERS

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


ReviewPageSize = Annotated[int, Query(ge=1, le=100, description="Reviews per page (1-100).")]


@router.get("/rw/{rw_code}/reviews", response_model=ReviewPage, openapi_extra=KEY_SECURITY)
async def list_reviews(
    context: RequestDep, rw_code: RwCode, as_of: AsOf = None, page: Page = 1, page_size: ReviewPageSize = 20
) -> Response:
    """Every review of one RW in the caller's area, newest first, one page at a time with the total.

    The RW must be published in ``as_of`` (default: the latest month) and lie in the caller's area;
    otherwise 404, the same as an unknown RW. Not cached: a review just stored is on the next read.
    """
    with context.session() as session:  # refusals (403, 404) are raised and audited in here
        found = rw.review_page(session, context.caller, rw_code, as_of, page, page_size)
    return json_response(found)


async def post_review(context: RequestDep, rw_code: RwCode, body: ReviewIn, response: Response) -> ReviewOut:
    """Record the outcome of checking an RW; stored with the caller's name and the time. A retry
    with the same ``client_id`` stores nothing new and answers 200 with the review stored first."""
    with context.session() as session:
        review, created = reviews.store_review(session, context.caller, rw_code, body)
    if not created:
        response.status_code = 200
    return review


router.add_api_route(
    "/rw/{rw_code}/reviews",
    post_review,
    methods=["POST"],
    status_code=201,
    responses={
        200: {"model": ReviewOut, "description": "A retry: the review stored first with this client_id."}
    },
    openapi_extra=KEY_SECURITY,
    # Caller and role before the body: a case_system key posting anything gets 403.
    route_class_override=gated(RW_READERS, reviews.ACTION, "rw_code"),
)
