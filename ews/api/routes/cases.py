"""Case reopen risk (case_system, analyst)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from ews.api.deps import KEY_SECURITY, CallerDep, RequestDep, SessionDep
from ews.api.routes.common import AUTH, FORBIDDEN, NOT_FOUND, AsOf, Page, PageSize, json_response
from ews.api.schemas import CaseRiskPage, LiveCaseScore
from ews.api.service import cases
from ews.features.cases_payload import CasePayload

router = APIRouter(tags=["cases"], responses={**AUTH, **FORBIDDEN, **NOT_FOUND})


@router.post("/cases/reopen-risk", response_model=LiveCaseScore, openapi_extra=KEY_SECURITY)
async def reopen_risk(context: RequestDep, payload: CasePayload, as_of: AsOf = None) -> Response:
    """Live reopen risk of one recently closed case (default as-of: the month after its last event)."""
    score = cases.score_case(context.record, context.caller, context.live, payload, as_of)
    return json_response(score)


@router.get("/cases/at-risk")
async def at_risk(
    session: SessionDep,
    caller: CallerDep,
    as_of: AsOf = None,
    flagged: Annotated[bool, Query(description="Only cases flagged for follow-up.")] = False,
    page: Page = 1,
    page_size: PageSize = 50,
) -> CaseRiskPage:
    """Cases recently closed as of the month, by published reopen risk, highest first."""
    return cases.cases_at_risk(session, caller, as_of, flagged_only=flagged, page=page, page_size=page_size)
