"""Signing in with a username: setup code, choosing a password, backoff, expiry, reset, audit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import count

import pytest
from conftest import make_app
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import delete, select, update
from world import KEL_GAMBIR, WebWorld

from ews.api.accounts import add_user, reset_password
from ews.db.engine import Store
from ews.db.models import Account, AuditEntry, SignInThrottle

PASSWORD = "kebun mangga tujuh"
_names = count(1)


@pytest.fixture
def web(web_world: WebWorld) -> Iterator[TestClient]:
    """A client of its own; the failure counts it leaves behind are cleared for the next test."""
    with TestClient(make_app(web_world, cookie_secure=False), base_url="http://testserver") as client:
        yield client
    store = Store.open(web_world.url)
    try:
        with store.session() as session:
            session.execute(delete(SignInThrottle))
    finally:
        store.close()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _new_official(world: WebWorld) -> tuple[str, str]:
    name = f"lurah-sandi-{next(_names)}"
    issued = add_user(name, "lurah", KEL_GAMBIR, world.url)
    assert issued.key is None and issued.setup_code is not None  # officials get a code, not a key
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", issued.setup_code)
    return name, issued.setup_code


def _sign_in(client: TestClient, username: str, secret: str) -> Response:
    token = _csrf(client.get("/masuk").text)
    data = {"username": username, "password": secret, "csrf": token}
    return client.post("/masuk", data=data, follow_redirects=False)


def _choose(client: TestClient, password: str, confirm: str | None = None) -> Response:
    token = _csrf(client.get("/masuk/sandi-baru").text)
    data = {"password": password, "confirm": password if confirm is None else confirm, "csrf": token}
    return client.post("/masuk/sandi-baru", data=data, follow_redirects=False)


def _set_up(client: TestClient, world: WebWorld) -> str:
    name, code = _new_official(world)
    assert _sign_in(client, name, code).headers["location"] == "/masuk/sandi-baru"
    assert _choose(client, PASSWORD).headers["location"] == "/"
    return name


def _actions(world: WebWorld, actor: str) -> list[tuple[str, str]]:
    store = Store.open(world.url)
    try:
        with store.session() as session:
            rows = session.execute(
                select(AuditEntry.action, AuditEntry.outcome)
                .where(AuditEntry.actor == actor)
                .order_by(AuditEntry.id)
            )
            return [(row[0], row[1]) for row in rows if row[0].startswith("web.")]
    finally:
        store.close()


def _sign_out(client: TestClient) -> None:
    token = _csrf(client.get("/").text)
    assert client.post("/keluar", data={"csrf": token}, follow_redirects=False).status_code == 303


def test_first_sign_in_with_a_setup_code_then_choose_a_password(web: TestClient, web_world: WebWorld) -> None:
    name, code = _new_official(web_world)
    started = _sign_in(web, name, code.lower())
    assert started.status_code == 303 and started.headers["location"] == "/masuk/sandi-baru"
    assert web.get("/", follow_redirects=False).headers["location"] == "/masuk"  # not signed in yet
    form = web.get("/masuk/sandi-baru")
    assert "Buat kata sandi" in form.text and name in form.text
    short = _choose(web, "pendek")
    assert short.status_code == 422 and "minimal 8 karakter" in short.text
    mismatch = _choose(web, PASSWORD, PASSWORD + "!")
    assert mismatch.status_code == 422 and "tidak sama" in mismatch.text
    same_as_name = _choose(web, name)
    assert "nama pengguna" in same_as_name.text
    done = _choose(web, PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/"
    home = web.get("/")
    assert home.status_code == 200 and name in home.text
    _sign_out(web)
    spent = _sign_in(web, name, code)
    assert spent.status_code == 401 and "Nama pengguna atau kata sandi salah" in spent.text
    assert _actions(web_world, name) == [
        ("web.setup_code", "ok"),
        ("web.password_set", "ok"),
        ("web.signin", "ok"),
        ("web.signout", "ok"),
        ("web.signin", "denied"),
    ]


def test_password_sign_in_and_the_stored_hash(web: TestClient, web_world: WebWorld) -> None:
    name = _set_up(web, web_world)
    _sign_out(web)
    assert web.get("/", follow_redirects=False).headers["location"] == "/masuk"
    response = _sign_in(web, name, PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert PASSWORD not in response.headers["set-cookie"]
    assert name in web.get("/").text
    store = Store.open(web_world.url)
    try:
        with store.session() as session:
            account = session.scalars(select(Account).where(Account.name == name)).one()
            assert account.password_hash is not None and account.password_hash.startswith("$argon2id$")
            assert account.setup_code_hash is None and account.setup_expires_at is None
    finally:
        store.close()


def test_wrong_passwords_back_off_without_telling_whether_the_name_exists(
    web: TestClient, web_world: WebWorld
) -> None:
    name = _set_up(web, web_world)
    web.cookies.clear()
    for who in (name, "tidak-pernah-ada"):
        answers = [_sign_in(web, who, "salah-sekali") for _ in range(5)]
        assert {(r.status_code, _alert(r.text)) for r in answers} == {
            (401, "Nama pengguna atau kata sandi salah. Periksa lalu coba lagi.")
        }
        locked = _sign_in(web, who, PASSWORD)
        assert locked.status_code == 429
        assert _alert(locked.text) == "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 1 menit."
    assert web.get("/", follow_redirects=False).headers["location"] == "/masuk"


def _alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>([^<]+)<', html)
    return found.group(1).strip() if found else ""


def test_an_expired_setup_code_is_refused(web: TestClient, web_world: WebWorld) -> None:
    name, code = _new_official(web_world)
    store = Store.open(web_world.url)
    try:
        with store.session() as session:
            past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
            session.execute(update(Account).where(Account.name == name).values(setup_expires_at=past))
    finally:
        store.close()
    refused = _sign_in(web, name, code)
    assert refused.status_code == 401 and "sudah tidak berlaku" in refused.text
    assert "admin dinas" in refused.text
    assert web.get("/masuk/sandi-baru", follow_redirects=False).headers["location"] == "/masuk"


def test_reset_ends_sessions_and_the_old_password(web: TestClient, web_world: WebWorld) -> None:
    name = _set_up(web, web_world)
    assert web.get("/").status_code == 200
    issued = reset_password(name, web_world.url)
    assert issued.setup_code is not None
    assert web.get("/", follow_redirects=False).headers["location"] == "/masuk"  # the old session ended
    assert _sign_in(web, name, PASSWORD).status_code == 401
    assert _sign_in(web, name, issued.setup_code).headers["location"] == "/masuk/sandi-baru"
    assert _choose(web, "kata sandi baru sekali").headers["location"] == "/"
    assert web.get("/").status_code == 200


def test_a_reset_while_choosing_a_password_spends_the_pending_code(
    web: TestClient, web_world: WebWorld
) -> None:
    name, code = _new_official(web_world)
    _sign_in(web, name, code)
    reset_password(name, web_world.url)
    stale = _choose(web, PASSWORD)
    assert stale.status_code == 401 and "sudah tidak berlaku" in stale.text


def test_stale_form_and_empty_fields_are_refused(web: TestClient) -> None:
    web.get("/masuk")
    no_token = web.post("/masuk", data={"username": "x", "password": "y"}, follow_redirects=False)
    assert no_token.status_code == 400 and "kedaluwarsa" in no_token.text
    empty = _sign_in(web, "lurah", "")
    assert empty.status_code == 400 and "Isi nama pengguna dan kata sandi" in empty.text
