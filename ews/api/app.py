"""The FastAPI application factory.

``create_app(settings)`` builds an app with no import-time state: the database
store and the live models are created in the lifespan (start-up) and kept on
``app.state``, where the dependencies in ``ews.api.deps`` find them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from ews import __version__
from ews.api import errors
from ews.api.auditsink import AuditSink
from ews.api.live import ModelLoader, champion_loader
from ews.api.routes import admin, cases, health, rw
from ews.config import ServeSettings, build_settings
from ews.db.engine import Store

DESCRIPTION = """\
Early-warning risk scores for violence against women and children in DKI Jakarta, per RW.

A score prompts a human check; it never decides anything alone. Every call except
`/v1/health` needs `Authorization: Bearer <key>` (keys come from `ews users add`).
Lurah and camat see their own kelurahan or kecamatan, analysts the province, the
case system the case endpoints, admins the audit log. RWs outside the caller's area
answer 404, endpoints outside the caller's role 403. Every read of RW or case data
and every write is audited.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open (and migrate) the store and load the models before the first request."""
    settings: ServeSettings = app.state.settings
    app.state.store = await run_in_threadpool(Store.open, settings.database_url)
    app.state.audit = AuditSink(app.state.store.engine)
    try:
        app.state.live = await run_in_threadpool(app.state.model_loader, settings)
        yield
    finally:
        await run_in_threadpool(app.state.audit.close)
        app.state.store.close()


def create_app(settings: ServeSettings | None = None, *, model_loader: ModelLoader | None = None) -> FastAPI:
    """A ready-to-serve app; the database is migrated and the models loaded at start-up."""
    app = FastAPI(
        title="ews",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/v1/docs",
        redoc_url=None,
        openapi_url="/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings or build_settings(ServeSettings)
    app.state.model_loader = model_loader or champion_loader
    app.state.authenticators = []
    errors.install(app)
    for module in (health, rw, cases, admin):
        app.include_router(module.router, prefix="/v1")
    from ews.web import mount  # the dashboard pages (issue 6), served at / next to /v1

    mount(app, app.state.settings)
    return app
