"""Limits checked before any work: the request body size, and the caller before the body.

:class:`BodyLimit` is a pure ASGI middleware: a request whose ``Content-Length`` exceeds
:data:`MAX_BODY_BYTES` is answered 413 before the app sees it, and a streamed body (no or a
false ``Content-Length``) is counted as it is received and refused once it passes the limit,
so no more than the limit is ever buffered. Requests without a body (``GET``, ``HEAD``) pass
through untouched. :class:`GatedRoute` authenticates the caller and checks the role before
FastAPI reads or validates the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ews.api.deps import CONTEXT_KEY, RequestContext, get_context
from ews.api.responses import NO_STORE
from ews.service.common import scope_error
from ews.service.security import Role

MAX_BODY_BYTES = 64 * 1024
_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyTooLarge(HTTPException):
    """413: the body passed the limit (raised by the receive channel; the error handler answers it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"the request body is larger than the limit of {limit} bytes ({limit // 1024} KiB)"
        )


class BodyLimit:
    """Refuse request bodies above ``limit`` bytes with 413, before and while they are read."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _NO_BODY:
            await self.app(scope, receive, send)
            return
        limit = self.limit
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await _too_large(scope, send, BodyTooLarge(limit))
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge as exc:  # raised where no handler answered it (e.g. outside a route)
            await _too_large(scope, send, exc)


# The dashboard's answer: the app (and its templates) never ran, so a fixed page in Indonesian.
_DASHBOARD_413 = (
    b'<!doctype html><html lang="id"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Isian terlalu besar</title></head><body><main><h1>Isian terlalu besar</h1>"
    b"<p>Isian terlalu besar untuk dikirim. Persingkat catatan lalu coba lagi.</p>"
    b'<p><a href="/">Kembali ke beranda</a></p></main></body></html>'
)


def _is_api(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    return path == "/v1" or path.startswith("/v1/")


async def _too_large(scope: Scope, send: Send, exc: BodyTooLarge) -> None:
    api = _is_api(scope)
    body = json.dumps({"detail": exc.detail}).encode() if api else _DASHBOARD_413
    headers = [
        (b"content-type", b"application/json" if api else b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        NO_STORE,
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_SAFE_TARGET = re.compile(r"[0-9A-Za-z._-]{1,64}")


class GatedRoute(APIRoute):
    """A route whose caller is authenticated, and whose role is checked (403, audited as
    ``action`` on the path parameter ``target``), before FastAPI reads the body.

    The context is left in the request scope, where :func:`ews.api.deps.get_context` finds it,
    so the route's own ``RequestDep`` costs nothing more. While dependency overrides are active
    (tests swapping a dependency), FastAPI's own order applies.
    """

    roles: ClassVar[frozenset[Role]] = frozenset(Role)
    action: ClassVar[str] = ""
    target: ClassVar[str | None] = None  # the path parameter audited as the target

    def get_route_handler(self) -> Handler:
        solve = super().get_route_handler()

        async def handler(request: Request) -> Response:
            if not request.app.dependency_overrides:
                await self.admit(request)
            return await solve(request)

        return handler

    async def admit(self, request: Request) -> RequestContext:
        """Authenticate (401) and check the role (403, audited); the context, kept in the scope."""
        context = await get_context(request)
        if context.caller.role not in self.roles:
            context.record(self.action, self._target(request), "denied")
            raise scope_error(context.caller, self.roles, self.action)
        request.scope[CONTEXT_KEY] = context
        return context

    def _target(self, request: Request) -> str:
        if self.target is None:
            return "request"
        value = str(request.path_params.get(self.target, ""))
        return value if _SAFE_TARGET.fullmatch(value) else "(invalid)"


def gated(roles: frozenset[Role], action: str, target: str | None = None) -> type[GatedRoute]:
    """A :class:`GatedRoute` class for ``roles``, auditing refusals as ``action``."""
    return type(f"Gated_{action}", (GatedRoute,), {"roles": roles, "action": action, "target": target})
