"""Request dependencies: database session, caller, settings and live models.

Everything a route needs arrives through ``Annotated[..., Depends(...)]``
aliases defined here, so tests (and the dashboard) can swap any of them with
``app.dependency_overrides``. Authentication is a chain: the Bearer key
first, then any extra authenticators on ``app.state.authenticators`` (the
dashboard adds its session cookie there).

The dependencies are ``async`` on purpose: sync generator dependencies run in
the thread pool, which costs more than the sub-millisecond work they do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ews.api.live import LiveModels
from ews.api.security import Caller, Role, hash_key, keys_match
from ews.api.service.common import AUDIT_SINK
from ews.config import ServeSettings
from ews.db import accounts
from ews.exceptions import AuthError

Authenticator = Callable[[Request, Session], Caller | None]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="The API key from `ews users add`, sent as `Authorization: Bearer <key>`.",
)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, closed afterwards (services commit their own work)."""
    session = request.app.state.store.sessions()
    session.info[AUDIT_SINK] = request.app.state.audit
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def caller_from_key(session: Session, key: str) -> Caller:
    """The active account holding ``key``; raise ``AuthError`` for unknown or revoked keys."""
    account = accounts.find_active(session, hash_key(key))
    if account is None or not keys_match(key, account.key_hash):
        raise AuthError("the API key is unknown or has been revoked")
    return Caller(name=account.name, role=Role(account.role), area=account.area)


async def get_caller(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The authenticated caller; raise ``AuthError`` (401) when nobody is."""
    if credentials is not None:
        return caller_from_key(session, credentials.credentials)
    for authenticate in getattr(request.app.state, "authenticators", ()):
        caller: Caller | None = authenticate(request, session)
        if caller is not None:
            return caller
    raise AuthError("this endpoint needs an API key sent as 'Authorization: Bearer <key>'")


CallerDep = Annotated[Caller, Depends(get_caller)]


async def get_settings(request: Request) -> ServeSettings:
    """The settings the app was created with."""
    settings: ServeSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[ServeSettings, Depends(get_settings)]


async def get_live_models(request: Request) -> LiveModels:
    """The live models at the moment the request started (a reload does not change them mid-request)."""
    live: LiveModels = request.app.state.live
    return live


LiveModelsDep = Annotated[LiveModels, Depends(get_live_models)]
