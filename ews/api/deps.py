"""Request dependencies: database session, caller, settings and live models.

Everything a route needs arrives through ``Annotated[..., Depends(...)]``
aliases defined here, so tests (and the dashboard) can swap any of them with
``app.dependency_overrides``. Authentication is a chain: the Bearer key
first, then any extra authenticators on ``app.state.authenticators`` (the
dashboard adds its session cookie there).

The hot routes take one ``RequestDep`` (caller, the data generations, settings,
live models, store, audit sink and read caches in one frozen ``RequestContext``):
FastAPI's per-dependency solving cost more than the work of the small
dependencies it replaces. It is a plain ``async`` function, not a generator:
FastAPI wraps generator dependencies in an exit stack with a shielded cancel
scope, which cost more than the key lookup. A Bearer caller costs one query
(``ews.db.accounts.KeyLookup``: the account and the data generations) on the
lookup's own connection; routes open a session (``context.session()``) only
when the answer is not cached.

The dependencies are ``async`` on purpose: sync generator dependencies run in
the thread pool, which costs more than the sub-millisecond work they do.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ews.api.auditsink import AuditSink
from ews.api.cache import ReadCaches
from ews.config import ServeSettings
from ews.db import accounts, generations
from ews.db.engine import Store
from ews.exceptions import AuthError
from ews.service import auth
from ews.service.common import AUDIT_SINK
from ews.service.live import LiveModels
from ews.service.security import Caller, hash_key

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


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(
    request: Request, session: Session, credentials: HTTPAuthorizationCredentials | None
) -> Caller:
    """The caller behind the Bearer key, else the app's other authenticators; ``AuthError`` if none."""
    if credentials is not None:
        return auth.caller_from_key(session, credentials.credentials)
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
class Generations:
    """The data generations a request saw when it authenticated (None: unknown, do not cache)."""

    publications: int | None
    reviews: int | None


@dataclass(frozen=True)
class RequestContext:
    """What a hot route needs, solved as one dependency."""

    caller: Caller
    generations: Generations
    settings: ServeSettings
    live: LiveModels
    store: Store
    audit: AuditSink
    caches: ReadCaches

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session of the app's store carrying its audit sink, closed afterwards."""
        session: Session = self.store.sessions()
        session.info[AUDIT_SINK] = self.audit
        try:
            yield session
        finally:
            session.close()

    def record(self, action: str, target: str, outcome: str = "ok") -> None:
        """Audit one action of the caller (queued; the sink's thread writes it)."""
        self.audit.record(self.caller.name, self.caller.role.value, action, target, outcome)


# Callers and generations built from lookup rows, by row: a row holds every value they are
# made of, and both are frozen, so a repeated row reuses them. Bounded like the lookup's own memory.
_BUILT: dict[accounts.ActiveKey, tuple[Caller, Generations]] = {}
_BUILT_LIMIT = 1024


def key_caller(lookup: accounts.KeyLookup, key: str) -> tuple[Caller, Generations]:
    """The active account holding ``key`` and the generations, in one query; ``AuthError`` otherwise."""
    digest = hash_key(key)
    row = lookup(digest)
    # Every request: the key's hash against the stored one, in constant time (hashed once).
    if row is None or not hmac.compare_digest(digest, row[3]):
        raise AuthError(auth.UNKNOWN_KEY)
    built = _BUILT.get(row)
    if built is None:
        name, role, area, _, publications, reviews = row
        built = auth.account_caller(name, role, area), Generations(publications, reviews)
        if len(_BUILT) >= _BUILT_LIMIT:
            _BUILT.clear()
        _BUILT[row] = built
    return built


def chain_caller(request: Request) -> tuple[Caller, Generations]:
    """The caller from the app's other authenticators (e.g. a dashboard cookie) and the generations."""
    session = open_session(request)
    try:
        caller = authenticate(request, session, None)
        found = Generations(
            generations.current(session, generations.PUBLICATIONS),
            generations.current(session, generations.REVIEWS),
        )
        return caller, found
    finally:
        session.close()


def bearer_key(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, as ``HTTPBearer(auto_error=False)`` reads it."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    return (key.strip() or None) if scheme.lower() == "bearer" else None


# Where a route that authenticates before reading the body (``ews.api.limits.GatedRoute``)
# leaves the request's context for :func:`get_context`.
CONTEXT_KEY = "ews.context"


async def get_context(request: Request) -> RequestContext:
    """Authenticated caller, data generations, settings, live models, store, audit sink and caches.

    The Bearer header is read here rather than through the ``bearer`` dependency (one
    dependency fewer to solve per request); routes taking ``RequestDep`` declare the
    scheme in their OpenAPI entry with :data:`KEY_SECURITY` instead.
    """
    known: RequestContext | None = request.scope.get(CONTEXT_KEY)
    if known is not None:
        return known
    state = request.app.state
    key = bearer_key(request)
    if key is not None:
        caller, found = key_caller(state.key_lookup, key)
    else:
        caller, found = chain_caller(request)
    return RequestContext(caller, found, state.settings, state.live, state.store, state.audit, state.caches)


RequestDep = Annotated[RequestContext, Depends(get_context)]
# The OpenAPI security entry of routes taking RequestDep: the scheme ``bearer`` documents elsewhere.
KEY_SECURITY: dict[str, object] = {"security": [{bearer.scheme_name: []}]}
