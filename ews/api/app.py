"""The JSON API's half of the application (``ews.app.create_app`` adds the dashboard).

``build_api(settings)`` builds an app with no import-time state: the database
store and the live models are created in the lifespan (start-up) and kept on
``app.state``, where the dependencies in ``ews.api.deps`` find them. It knows
nothing of the dashboard: ``ews.api`` never imports ``ews.web``.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from ews import __version__
from ews.api import errors
from ews.api.auditsink import AuditSink
from ews.api.cache import ReadCaches
from ews.api.limits import BodyLimit
from ews.api.responses import ApiJSONResponse
from ews.api.routes import admin, cases, health, monitor, rw
from ews.config import ServeSettings, build_settings
from ews.db.accounts import KeyLookup
from ews.db.engine import Store
from ews.service.live import ModelLoader, champion_loader

DESCRIPTION = """\
Early-warning risk scores for violence against women and children in DKI Jakarta, per RW.

A score prompts a human check; it never decides anything alone. Every call except
`/v1/health` needs `Authorization: Bearer <key>` (keys come from `ews users add`).
Lurah and camat see their own kelurahan or kecamatan, analysts the province and the
monitor's report, the case system the case endpoints, admins the audit log. RWs outside
the caller's area answer 404, endpoints outside the caller's role 403. Every read of RW
or case data and every write is audited.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open (and migrate) the store and load the models before the first request."""
    settings: ServeSettings = app.state.settings
    app.state.store = await run_in_threadpool(Store.open, settings.database_url)
    app.state.audit = AuditSink(app.state.store.engine)
    app.state.caches = ReadCaches.new()
    app.state.key_lookup = KeyLookup(app.state.store.engine)
    try:
        app.state.live = await run_in_threadpool(app.state.model_loader, settings)
        if app.state.freeze_heap:
            freeze_startup_heap()
        yield
    finally:
        await run_in_threadpool(app.state.audit.close)
        app.state.key_lookup.close()
        app.state.store.close()


def freeze_startup_heap() -> None:
    """Move everything alive after start-up (models, libraries) out of the garbage collector's sight.

    A full collection walked the ~400,000 objects of the loaded libraries and models and
    stopped the event loop for 80-230 ms under load, the whole of the p99 latency.
    Requests create few long-lived objects, so after this full collections are short.
    Objects frozen here are still freed by reference counting.
    """
    gc.collect()
    gc.freeze()


def build_api(
    settings: ServeSettings | None = None,
    *,
    model_loader: ModelLoader | None = None,
    freeze_heap: bool = False,
) -> FastAPI:
    """The API app (routes under /v1); the database is migrated and the models loaded at start-up.

    ``freeze_heap`` (``ews serve`` sets it) calls :func:`freeze_startup_heap` once the models are
    loaded; it affects the whole process, so apps made in tests leave it off.
    """
    settings = settings or build_settings(ServeSettings)
    app = FastAPI(
        title="ews",
        version=__version__,
        description=DESCRIPTION,
        # The Swagger page loads its script from a CDN (blank offline, outside our CSP): off
        # unless EWS_API_DOCS=true. The OpenAPI document itself is always served.
        docs_url="/v1/docs" if settings.api_docs else None,
        redoc_url=None,
        openapi_url="/v1/openapi.json",
        lifespan=lifespan,
        default_response_class=ApiJSONResponse,  # Cache-Control: no-store on every JSON answer
    )
    app.state.settings = settings
    app.state.model_loader = model_loader or champion_loader
    app.state.freeze_heap = freeze_heap
    app.state.authenticators = []
    errors.install(app)
    app.add_middleware(BodyLimit)  # 413 above 64 KiB, before any body is parsed (GETs pass untouched)
    # The router tries routes in order, several microseconds each: the routers with the hot
    # routes (live case score first, then flags and RW detail) go first.
    for module in (cases, rw, health, admin, monitor):
        app.include_router(module.router, prefix="/v1")
    return app
