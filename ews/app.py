"""The application: the JSON API and the dashboard, composed over one service layer.

``ews.service`` holds scopes, privacy, reads, audit and authentication;
``ews.api`` (routes under ``/v1``) and ``ews.web`` (pages at ``/``) both call
it and neither imports the other. This module is the only one that knows
both halves.
"""

from __future__ import annotations

from fastapi import FastAPI

from ews.api.app import build_api
from ews.config import ServeSettings
from ews.service.live import ModelLoader


def create_app(
    settings: ServeSettings | None = None,
    *,
    model_loader: ModelLoader | None = None,
    freeze_heap: bool = False,
) -> FastAPI:
    """A ready-to-serve app: the API (``ews.api.app.build_api``) with the dashboard mounted on it.

    ``freeze_heap`` (``ews serve`` sets it) freezes the start-up heap once the models are
    loaded (``ews.api.app.freeze_startup_heap``); it affects the whole process, so apps made in
    tests leave it off.
    """
    from ews.web import mount

    app = build_api(settings, model_loader=model_loader, freeze_heap=freeze_heap)
    mount(app, app.state.settings)
    return app
