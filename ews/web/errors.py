"""Errors on dashboard paths as Indonesian HTML pages, never the API's English JSON.

The API's handlers (``ews.api.errors``) still decide the status and log what must be logged;
for any path outside ``/v1`` their JSON body is replaced by the dashboard's error page with
the same status (the English detail stays in the log, as on the API side).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from ews.exceptions import EwsError
from ews.web.render import page

API_PREFIX = "/v1"
Handler = Callable[[Request, Any], Response | Awaitable[Response]]

MESSAGES = {
    400: "Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi.",
    401: "Silakan masuk dengan nama pengguna dan kata sandi Anda.",
    403: "Akun Anda tidak dapat membuka halaman ini.",
    404: "Halaman yang Anda cari tidak ada.",
    405: "Halaman ini tidak dapat dibuka dengan cara itu. Kembali ke beranda lalu coba lagi.",
    413: "Isian terlalu besar untuk dikirim.",
    422: "Alamat atau isian formulir tidak valid. Periksa lalu coba lagi.",
    503: "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.",
}
SERVER_ERROR = "Terjadi kesalahan pada layanan. Kesalahan ini sudah dicatat; silakan coba lagi nanti."
TITLES = {404: "Halaman tidak ditemukan"}


def message_for(status: int) -> str:
    """The Indonesian sentence shown for ``status``."""
    if status in MESSAGES:
        return MESSAGES[status]
    return SERVER_ERROR if status >= 500 else MESSAGES[400]


def html_error(request: Request, status: int) -> Response:
    """The dashboard's error page for ``status``."""
    title = TITLES.get(status, "Tidak dapat ditampilkan")
    return page(request, "galat.html", {"title": title, "message": message_for(status)}, status)


def _for_dashboard(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        answer = api_handler(request, exc)  # the status, and the log line for 5xx
        response = await answer if inspect.isawaitable(answer) else answer
        if request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/"):
            return response
        return html_error(request, response.status_code)

    return handle


def install(app: FastAPI) -> None:
    """Wrap the API's handlers (``ews.api.errors.install`` ran first) so dashboard paths get HTML."""
    for key in (EwsError, RequestValidationError, HTTPException, SQLAlchemyError, Exception):
        api_handler = app.exception_handlers[key]
        app.add_exception_handler(key, _for_dashboard(api_handler))
