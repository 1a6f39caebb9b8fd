"""Sign-in pages: username and password, a first sign-in with a setup code, and an API key.

``/masuk`` takes a username with a password (or, the first time, the setup code from the
admin). A valid setup code leads to ``/masuk/sandi-baru``, where the official chooses a
password; the cookie then names the account being set up, which signs nobody in, for
:data:`SETUP_WINDOW_S`. An API key still signs in (analysts, tests) from the same form.

The two POST handlers are plain functions: FastAPI runs them in its thread pool, so the
argon2 checks (which release the GIL) never hold up other requests on the event loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ews.api.deps import SessionDep
from ews.web import session as websession
from ews.web.attempts import Kind, Outcome, choose_password, key_attempt, password_attempt
from ews.web.auth import SIGN_IN, client_address, read_session, session_caller
from ews.web.render import page, set_cookie

router = APIRouter(include_in_schema=False)

NEW_PASSWORD = "/masuk/sandi-baru"
SETUP_WINDOW_S = 15 * 60
Field = Annotated[str, Form(max_length=200)]

STALE_FORM = "Formulir sudah kedaluwarsa. Silakan coba lagi."
MESSAGES: dict[Kind, tuple[str, int]] = {
    Kind.WRONG: ("Nama pengguna atau kata sandi salah. Periksa lalu coba lagi.", 401),
    Kind.EXPIRED: (
        "Kode penyiapan ini sudah tidak berlaku (berlaku 72 jam, sekali pakai). "
        "Minta kode baru kepada admin dinas.",
        401,
    ),
    Kind.ROLE: ("Dasbor ini untuk lurah, camat dan analis.", 403),
}
WRONG_KEY = "Kunci API tidak dikenal atau sudah dicabut."


def _message(outcome: Outcome) -> tuple[str, int]:
    if outcome.kind is Kind.LOCKED:
        minutes = outcome.wait_minutes
        return (f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.", 429)
    return MESSAGES[outcome.kind]


def _sign_in_form(
    request: Request, error: str | None = None, status_code: int = 200, username: str = ""
) -> HTMLResponse:
    fresh = websession.new_session()
    request.state.web_csrf = fresh.csrf
    context = {"error": error, "title": "Masuk", "username": username}
    response = page(request, "masuk.html", context, status_code)
    set_cookie(request, response, fresh)
    return response


def _start(request: Request, outcome: Outcome) -> Response:
    """The redirect that follows a successful check: home, or the page to choose a password."""
    if outcome.kind is Kind.SETUP:
        target, state = NEW_PASSWORD, websession.new_session(None, outcome.generation, setup=outcome.name)
    else:
        target, state = "/", websession.new_session(outcome.name, outcome.generation)
    response = RedirectResponse(target, status_code=303)
    set_cookie(request, response, state)
    return response


@router.get(SIGN_IN, response_class=HTMLResponse)
async def sign_in_form(request: Request, db: SessionDep) -> Response:
    """The sign-in form (or home, for someone still signed in)."""
    state = read_session(request)
    if state is not None and state.signed_in and session_caller(db, state) is not None:
        return RedirectResponse("/", status_code=303)
    return _sign_in_form(request)


@router.post(SIGN_IN, response_class=HTMLResponse)
def sign_in(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Field = "",
    api_key: Field = "",
    csrf: Field = "",
) -> Response:
    """Check a username with a password or setup code (or an API key); start a session or explain."""
    if not websession.csrf_ok(read_session(request), csrf):
        return _sign_in_form(request, STALE_FORM, 400, username)
    address = client_address(request)
    if api_key.strip() and not username.strip():
        outcome = key_attempt(db, api_key.strip(), address)
        if outcome.kind is Kind.WRONG:
            return _sign_in_form(request, WRONG_KEY, 401)
    elif not username.strip() or not password:
        return _sign_in_form(request, "Isi nama pengguna dan kata sandi.", 400, username)
    else:
        outcome = password_attempt(db, username, password, address)
    if outcome.kind in (Kind.SIGNED_IN, Kind.SETUP):
        return _start(request, outcome)
    error, status = _message(outcome)
    return _sign_in_form(request, error, status, username.strip())


def _pending(request: Request) -> websession.WebSession | None:
    """The session of someone whose setup code was accepted in the last 15 minutes."""
    state = read_session(request)
    if state is None or state.setup is None or state.signed_in:
        return None
    return state if websession.clock() - state.issued <= SETUP_WINDOW_S else None


def _password_form(
    request: Request, state: websession.WebSession, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    request.state.web_csrf = state.csrf
    context = {"error": error, "title": "Buat kata sandi", "username": state.setup}
    return page(request, "sandi_baru.html", context, status_code)


@router.get(NEW_PASSWORD, response_class=HTMLResponse)
async def new_password_form(request: Request) -> Response:
    """The form to choose a password, right after a valid setup code."""
    state = _pending(request)
    if state is None:
        return RedirectResponse(SIGN_IN, status_code=303)
    return _password_form(request, state)


@router.post(NEW_PASSWORD, response_class=HTMLResponse)
def new_password(
    request: Request,
    db: SessionDep,
    password: Annotated[str, Form(max_length=200)] = "",
    confirm: Annotated[str, Form(max_length=200)] = "",
    csrf: Field = "",
) -> Response:
    """Store the chosen password, spend the setup code and sign in."""
    state = _pending(request)
    if state is None or state.setup is None or not websession.csrf_ok(state, csrf):
        return _sign_in_form(request, STALE_FORM, 400)
    outcome = choose_password(db, state.setup, state.generation, password, confirm, client_address(request))
    if outcome.kind is Kind.INVALID:
        return _password_form(request, state, outcome.problem, 422)
    if outcome.kind is Kind.SIGNED_IN:
        return _start(request, outcome)
    return _sign_in_form(request, MESSAGES[Kind.EXPIRED][0], 401)
