"""Parameters and documented error responses shared by the routes."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel

from ews.api.responses import ApiResponse
from ews.service.schemas import MONTH_PATTERN, ErrorOut, ValidationErrorOut

AsOf = Annotated[
    str | None,
    Query(
        pattern=MONTH_PATTERN,
        description="The published month, YYYY-MM; default: the latest published month.",
        examples=["2025-06"],
    ),
]
Page = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=200, description="Items per page.")]


def _doc(description: str, model: type[Any] = ErrorOut) -> dict[str, Any]:
    return {"model": model, "description": description}


AUTH: dict[int | str, dict[str, Any]] = {
    401: _doc("No API key, or an unknown or revoked one."),
    422: _doc("A parameter or body field is invalid; each invalid field is listed.", ValidationErrorOut),
    503: _doc("The database (or, for live scores, the model) is unavailable."),
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: _doc("The caller's role may not use this endpoint.")}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: _doc("Unknown RW or month, or an RW outside the caller's area (no hint which).")
}


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` serialised once by pydantic; FastAPI would otherwise validate it again on the
    hot read paths (the route's ``response_model`` still documents it)."""
    return ApiResponse(model.model_dump_json(), status_code=status_code, media_type="application/json")


def json_bytes(body: bytes, status_code: int = 200) -> Response:
    """An already serialised JSON body (a cached read); the route's ``response_model`` documents it."""
    return ApiResponse(body, status_code=status_code, media_type="application/json")


# What :func:`plain_month` answers for a query FastAPI should parse itself.
NOT_PLAIN: Any = object()
_PLAIN_MONTH = re.compile(MONTH_PATTERN, re.ASCII)  # ASCII digits only: a subset of what the pattern accepts


def plain_month(request: Request, name: str) -> Any:
    """The optional month query parameter ``name`` when FastAPI would take it as it is: None when
    absent, the value when it is one well-formed month, else :data:`NOT_PLAIN`."""
    if not request.scope["query_string"]:
        return None
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) == 1 and _PLAIN_MONTH.fullmatch(values[0]):
        return values[0]
    return NOT_PLAIN
