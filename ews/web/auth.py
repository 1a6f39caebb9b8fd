"""Sign-in with an API key, sign-out, and the signed-in official behind each page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ews.api.deps import SessionDep, caller_from_key
from ews.api.security import Caller, Role, hash_key
from ews.api.service.common import audited
from ews.db import accounts
from ews.exceptions import AuthError
from ews.web import session as websession
from ews.web.render import page, set_cookie

router = APIRouter(include_in_schema=False)

DASHBOARD_ROLES = frozenset({Role.LURAH, Role.CAMAT, Role.ANALYST})
SIGN_IN = "/masuk"


class NotSignedInError(AuthError):
    """The page needs a signed-in lurah, camat or analyst; the handler redirects to the sign-in form."""


def read_session(request: Request) -> websession.WebSession | None:
    """The session cookie of the request if it is signed, unexpired and not idle too long."""
    idle_s = request.app.state.settings.session_idle_minutes * 60
    return websession.decode(
        request.cookies.get(websession.COOKIE), request.app.state.web_signing_key, idle_s=idle_s
    )


def _caller(db: Session, state: websession.WebSession) -> Caller | None:
    # One query, as before: the row carries the generation that sign-out and revoke bump.
    account = accounts.find_active(db, state.key_hash) if state.key_hash else None
    if account is None or Role(account.role) not in DASHBOARD_ROLES:
        return None
    if account.session_generation != state.generation:  # signed out (anywhere) or revoked since
        return None
    return Caller(name=account.name, role=Role(account.role), area=account.area)


async def web_caller(request: Request, db: SessionDep) -> Caller:
    """The signed-in official; raise ``NotSignedInError`` when the cookie is missing, expired, idle,
    signed out or revoked. Pages rendered for the caller renew the cookie's last-activity time."""
    state = read_session(request)
    caller = None if state is None else _caller(db, state)
    if state is None or caller is None:
        raise NotSignedInError("sign in to see the dashboard")
    request.state.web_caller, request.state.web_csrf = caller, state.csrf
    request.state.web_renewed = websession.touched(state)
    return caller


WebCallerDep = Annotated[Caller, Depends(web_caller)]


def _sign_in_form(request: Request, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    fresh = websession.new_session()
    request.state.web_csrf = fresh.csrf
    response = page(request, "masuk.html", {"error": error, "title": "Masuk"}, status_code)
    set_cookie(request, response, fresh)
    return response


@router.get(SIGN_IN, response_class=HTMLResponse)
async def sign_in_form(request: Request) -> Response:
    """The sign-in form (or home, for someone already signed in)."""
    state = read_session(request)
    if state is not None and state.signed_in:
        return RedirectResponse("/", status_code=303)
    return _sign_in_form(request)


@router.post(SIGN_IN, response_class=HTMLResponse)
async def sign_in(
    request: Request,
    db: SessionDep,
    api_key: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Check the key; on success start a session (new CSRF token) and go home."""
    if not websession.csrf_ok(read_session(request), csrf):
        return _sign_in_form(request, "Formulir sudah kedaluwarsa. Silakan coba lagi.", 400)
    try:
        caller = caller_from_key(db, api_key.strip())
    except AuthError:
        return _sign_in_form(request, "Kunci API tidak dikenal atau sudah dicabut.", 401)
    if caller.role not in DASHBOARD_ROLES:
        return _sign_in_form(request, "Dasbor ini untuk lurah, camat dan analis.", 403)
    audited(db, caller, "web.signin", "dashboard")
    key_hash = hash_key(api_key.strip())
    account = accounts.find_active(db, key_hash)
    generation = 0 if account is None else account.session_generation
    response = RedirectResponse("/", status_code=303)
    set_cookie(request, response, websession.new_session(key_hash, generation))
    return response


@router.post("/keluar")
async def sign_out(
    request: Request, db: SessionDep, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """End the session on the server too (the CSRF token stops another site from signing someone out).

    Bumping the account's session generation refuses every cookie issued before, so a copied
    cookie stops working as well (and the account's sessions on other devices end with it).
    """
    response = RedirectResponse(SIGN_IN, status_code=303)
    state = read_session(request)
    if websession.csrf_ok(state, csrf):
        if state is not None and state.key_hash is not None:
            accounts.end_sessions(db, state.key_hash)
            db.commit()
        set_cookie(request, response, websession.new_session())
    return response
