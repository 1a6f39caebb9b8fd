"""Case reopen risk (case_system, analyst)."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.telemetry import get_telemetry_data
from pydantic import ValidationError
from starlette.types import Message

from ews.api.deps import KEY_SECURITY, CallerDep, RequestContext, RequestDep, SessionDep
from ews.api.limits import GatedRoute
from ews.api.routes.common import (
    AUTH,
    FORBIDDEN,
    NOT_FOUND,
    NOT_PLAIN,
    AsOf,
    Page,
    PageSize,
    json_response,
    plain_month,
)
from ews.features.cases_payload import CasePayload
from ews.service import cases
from ews.service.case_schemas import CaseRiskPage, LiveCaseScore
from ews.service.schema_base import controls_in
from ews.service.security import CASE_READERS

router = APIRouter(tags=["cases"], responses={**AUTH, **FORBIDDEN, **NOT_FOUND})


async def reopen_risk(context: RequestDep, payload: CasePayload, as_of: AsOf = None) -> Response:
    """Live reopen risk of one recently closed case (default as-of: the month after its last event)."""
    # CasePayload's strings are plain ``str``: refuse control characters here, before the audit.
    errors = list(controls_in(payload, ("body",)))
    if errors:
        raise RequestValidationError(errors)
    return score_response(context, payload, as_of)


def score_response(context: RequestContext, payload: CasePayload, as_of: str | None) -> Response:
    """The live score as a JSON response (audited)."""
    score = cases.score_case(context.record, context.caller, context.live, payload, as_of)
    return json_response(score)


# A C0 control character or DEL in a JSON body: escaped (raw C0 is not valid JSON), or a raw DEL.
_ESCAPED_CONTROL = re.compile(rb"\\u00[01][0-9a-fA-F]|\\u007[fF]|\x7f")
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def plain_case(request: Request, body: bytes) -> tuple[CasePayload, str | None] | None:
    """The payload and ``as_of`` of a request FastAPI would take as it is; None for any other.

    A plain request has ``Content-Type: application/json``, a body that parses and validates as a
    :class:`CasePayload`, and no ``as_of`` or one well-formed month: FastAPI reaches the same values.
    """
    as_of = plain_month(request, "as_of")
    if as_of is NOT_PLAIN or _ESCAPED_CONTROL.search(body):  # a control character: the route refuses it
        return None
    try:
        # One pass of pydantic's JSON parser, not json.loads then validation: what it accepts,
        # FastAPI's json.loads + validation accepts alike (tested); anything else falls back.
        return CasePayload.model_validate_json(body), as_of
    except (ValueError, ValidationError, RecursionError):  # JSON or payload errors: FastAPI answers them
        return None


class LiveScoreRoute(GatedRoute):
    """The live score route, where plain requests skip FastAPI's generic request solving.

    The caller is authenticated and its role checked first, before the body is read (a lurah
    posting anything gets 403). FastAPI's per-request work (content-type parsing, the dependency
    graph, the query and body fields) cost about 50 us of a ~400 us request. A plain request
    (:func:`plain_case`) takes the same steps directly. Any other request, and every request while
    FastAPI telemetry is active, goes through FastAPI unchanged (reusing the context), so every
    error answer is FastAPI's own; nothing has been done for it but reading the body, which the
    request keeps. While dependency overrides are active, FastAPI does everything.
    """

    roles = CASE_READERS
    action = "cases.score"

    def get_route_handler(self) -> Handler:
        solve = APIRoute.get_route_handler(self)

        async def handler(request: Request) -> Response:
            if request.app.dependency_overrides:
                return await solve(request)
            context = await self.admit(request)
            if request.headers.get("content-type") != "application/json" or get_telemetry_data() is not None:
                return await solve(request)
            try:
                body = await request.body()
            except Exception as exc:  # e.g. the body limit: FastAPI maps the same exception
                return await solve(Request(request.scope, _raise(exc)))
            plain = plain_case(request, body)
            if plain is None:
                return await solve(request)
            return score_response(context, *plain)

        return handler


def _raise(exc: Exception) -> Callable[[], Coroutine[Any, Any, Message]]:
    async def receive() -> Message:
        raise exc

    return receive


router.add_api_route(
    "/cases/reopen-risk",
    reopen_risk,
    methods=["POST"],
    response_model=LiveCaseScore,
    openapi_extra=KEY_SECURITY,
    route_class_override=LiveScoreRoute,
)


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
