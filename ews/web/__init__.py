"""The dashboard for lurah, camat and analysts: server-rendered pages in Bahasa Indonesia.

``mount(app, settings)`` adds the pages, the sign-in flow and the static files
to the app ``ews.app.create_app`` builds. Pages call the same
service layer (``ews.service``) as the JSON API, so scope, the official view and audit
are the API's own.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI, Request, Response

    from ews.config import ServeSettings


def mount(app: FastAPI, settings: ServeSettings) -> None:
    """Add the dashboard routes, its static files and its sign-in redirect to ``app``."""
    from fastapi.staticfiles import StaticFiles

    from ews.web import auth, errors, list_pages, pages, signin
    from ews.web.geo import load_geometry
    from ews.web.render import STATIC, STATIC_URL
    from ews.web.session import signing_key

    app.state.web_signing_key = signing_key(settings.session_secret)
    app.state.web_geometry = cache(lambda: load_geometry(settings.data_dir))
    errors.install(app)  # Indonesian HTML error pages outside /v1
    app.add_exception_handler(auth.NotSignedInError, _to_sign_in)
    app.include_router(auth.router)
    app.include_router(signin.router)
    app.include_router(pages.router)
    app.include_router(list_pages.router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="aset")


async def _to_sign_in(_request: Request, _exc: Exception) -> Response:
    from fastapi.responses import RedirectResponse

    from ews.web.auth import SIGN_IN

    return RedirectResponse(SIGN_IN, status_code=303)
