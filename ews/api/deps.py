"""Request dependencies: database session, caller, settings and live models.

Everything a route needs arrives through ``Annotated[..., Depends(...)]``
aliases defined here, so tests (and the dashboard) can swap any of them with
``app.dependency_overrides``. Authentication is a chain: the Bearer key
first, then any extra authenticators on ``app.state.authenticators`` (the
dashboard adds its session cookie there).

The hot routes take one ``RequestDep`` (session, caller, settings and live
models in one frozen ``RequestContext``): FastAPI's per-dependency solving
cost more than the work of the three small dependencies it replaces.

The dependencies are ``async`` on purpose: sync generator dependencies run in
the thread pool, which costs more than the sub-millisecond work they do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
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


def open_session(request: Request) -> Session:
    """A new session of the app's store, carrying the app's audit sink."""
    session: Session = request.app.state.store.sessions()
    session.info[AUDIT_SINK] = request.app.state.audit
    return session


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, closed afterwards (services commit their own work)."""
    session = open_session(request)
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


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(
    request: Request, session: Session, credentials: HTTPAuthorizationCredentials | None
) -> Caller:
    """The caller behind the Bearer key, else the app's other authenticators; ``AuthError`` if none."""
    if credentials is not None:
        return caller_from_key(session, credentials.credentials)
    for other in getattr(request.app.state, "authenticators", ()):
        caller: Caller | None = other(request, session)
        if caller is not None:
            return caller
    raise AuthError("this endpoint needs an API key sent as 'Authorization: Bearer <key>'")


async def get_caller(request: Request, session: SessionDep, credentials: BearerDep) -> Caller:
    """The authenticated caller; raise ``AuthError`` (401) when nobody is."""
    return authenticate(request, session, credentials)


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


@dataclass(frozen=True)
class RequestContext:
    """What a hot route needs, solved as one dependency."""

    session: Session
    caller: Caller
    settings: ServeSettings
    live: LiveModels


async def get_context(request: Request, credentials: BearerDep) -> AsyncIterator[RequestContext]:
    """Session (closed afterwards), authenticated caller, settings and live models in one."""
    session = open_session(request)
    try:
        caller = authenticate(request, session, credentials)
        state = request.app.state
        yield RequestContext(session, caller, state.settings, state.live)
    finally:
        session.close()


RequestDep = Annotated[RequestContext, Depends(get_context)]
