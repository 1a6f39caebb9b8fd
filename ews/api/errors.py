"""The one place where errors become HTTP responses.

``ApiError`` subclasses carry their own status; other ``EwsError`` classes
are mapped below. Bodies are ``{"detail": "<one sentence>"}`` (422 adds the
per-field list). An unexpected exception is logged and answered with a
generic 500 that reveals nothing about the data.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from ews.api.responses import ApiJSONResponse as JSONResponse
from ews.exceptions import (
    ApiError,
    AuthError,
    DataError,
    EwsError,
    ModelNotFoundError,
    StorageError,
    TimeRuleError,
)

log = logging.getLogger("ews.api")

# Checked in order; the first class that matches decides the status.
STATUS_BY_ERROR: tuple[tuple[type[EwsError], int], ...] = (
    (ModelNotFoundError, 503),
    (StorageError, 503),
    (TimeRuleError, 422),
    (DataError, 422),
)
BEARER_CHALLENGE = 'Bearer realm="ews"'


def status_of(exc: EwsError) -> int:
    """The HTTP status for an ews error."""
    if isinstance(exc, ApiError):
        return exc.status_code
    return next((status for cls, status in STATUS_BY_ERROR if isinstance(exc, cls)), 500)


async def _ews_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EwsError)
    headers = {"WWW-Authenticate": BEARER_CHALLENGE} if isinstance(exc, AuthError) else None
    status = status_of(exc)
    # Every 422 has the same shape; a rule spanning fields names no single field.
    body = {"detail": str(exc), "errors": []} if status == 422 else {"detail": str(exc)}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field(tuple(e["loc"])), "message": str(e["msg"])} for e in exc.errors()]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    body = {"detail": f"the request has {len(errors)} invalid field(s): {fields}", "errors": errors}
    return JSONResponse(body, status_code=422)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "the service database is unavailable; try again shortly"}, status_code=503)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "the service failed unexpectedly; the error was logged"}, status_code=500)


def install(app: FastAPI) -> None:
    """Register every handler on ``app``."""
    app.add_exception_handler(EwsError, _ews_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(SQLAlchemyError, _storage_error)
    app.add_exception_handler(Exception, _unexpected)
