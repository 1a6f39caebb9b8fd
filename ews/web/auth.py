"""The signed-in official behind each page, and sign-out.

Sign-in itself (username and password, setup code, API key) is in ``ews.web.signin``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ews.api.deps import SessionDep
from ews.db import accounts
from ews.exceptions import AuthError
from ews.service import auth
from ews.service.common import audited_write
from ews.service.security import Caller
from ews.web import session as websession
from ews.web.render import set_cookie

router = APIRouter(include_in_schema=False)

DASHBOARD_ROLES = auth.DASHBOARD_ROLES
SIGN_IN = "/masuk"


class NotSignedInError(AuthError):
    """The page needs a signed-in lurah, camat or analyst; the handler redirects to the sign-in form."""


def read_session(request: Request) -> websession.WebSession | None:
    """The session cookie of the request if it is signed, unexpired and not idle too long."""
    idle_s = request.app.state.settings.session_idle_minutes * 60
    return websession.decode(
        request.cookies.get(websession.COOKIE), request.app.state.web_signing_key, idle_s=idle_s
    )


def client_address(request: Request) -> str:
    """The client's address as the server sees it (what per-address backoff counts)."""
    return request.client.host if request.client is not None else "-"


def session_caller(db: Session, state: websession.WebSession) -> Caller | None:
    """The official a session cookie signs in, or None (``ews.service.auth.session_caller``)."""
    return auth.session_caller(db, state.account, state.generation)


async def web_caller(request: Request, db: SessionDep) -> Caller:
    """The signed-in official; raise ``NotSignedInError`` when the cookie is missing, expired, idle,
    signed out, revoked or reset. Pages rendered for the caller renew the cookie's last-activity time."""
    state = read_session(request)
    caller = None if state is None else session_caller(db, state)
    if state is None or caller is None:
        raise NotSignedInError("sign in to see the dashboard")
    request.state.web_caller, request.state.web_csrf = caller, state.csrf
    request.state.web_renewed = websession.touched(state)
    return caller


WebCallerDep = Annotated[Caller, Depends(web_caller)]


@router.post("/keluar")
async def sign_out(
    request: Request, db: SessionDep, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """End the session on the server too (the CSRF token stops another site from signing someone out).

    Bumping the account's session generation refuses every cookie issued before, so a copied
    cookie stops working as well (and the account's sessions on other devices end with it). The
    sign-out's audit row is written in the same transaction.
    """
    response = RedirectResponse(SIGN_IN, status_code=303)
    state = read_session(request)
    if websession.csrf_ok(state, csrf):
        caller = None if state is None else session_caller(db, state)
        if caller is not None:
            accounts.end_sessions(db, caller.name)
            audited_write(db, caller, "web.signout", f"dashboard {client_address(request)}")
            db.commit()
        set_cookie(request, response, websession.new_session())
    return response
