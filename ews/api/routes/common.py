"""Parameters and documented error responses shared by the routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import BaseModel

from ews.api.schemas import MONTH_PATTERN, ErrorOut, ValidationErrorOut

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
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


def json_bytes(body: bytes, status_code: int = 200) -> Response:
    """An already serialised JSON body (a cached read); the route's ``response_model`` documents it."""
    return Response(body, status_code=status_code, media_type="application/json")
