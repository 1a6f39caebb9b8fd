"""Response classes of the JSON API: every answer carries ``Cache-Control: no-store``.

Answers hold area data (scores, flags, reviews, the audit log) that no browser or proxy
cache may keep. The header is appended as one prebuilt pair, so it costs nothing measurable
on the hot read paths.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import JSONResponse
from starlette.responses import Response

NO_STORE = (b"cache-control", b"no-store")


class ApiResponse(Response):
    """A response with ``Cache-Control: no-store``."""

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        super().init_headers(headers)
        if headers is None or "cache-control" not in headers:
            self.raw_headers.append(NO_STORE)


class ApiJSONResponse(JSONResponse):
    """A JSON response with ``Cache-Control: no-store`` (FastAPI's default for the API routes)."""

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        super().init_headers(headers)
        if headers is None or "cache-control" not in headers:
            self.raw_headers.append(NO_STORE)
