"""Finding 5 of issue 12: signing out did not end the session (the old cookie kept working for up to
8 hours after ``POST /keluar``).

The cookie now carries the account's session generation and the time of the last page request.
Sign-out and revoke bump the generation (one column read in the key lookup every page already
makes), and a session idle longer than ``session_idle_minutes`` is signed out.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ews.app import create_app
from ews.cli import main
from ews.config import ServeSettings
from ews.service.live import no_models
from ews.web import session as ws


@pytest.fixture
def dashboard(world: Any) -> Iterator[TestClient]:
    """The app over the service world, with cookies the plain-http test client keeps."""
    settings = ServeSettings(database_url=world.url, session_secret="rahasia", cookie_secure=False)
    with TestClient(create_app(settings, model_loader=no_models), base_url="http://testserver") as client:
        yield client


def _token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, key: str) -> str:
    """Sign in with ``key``; the session cookie's value."""
    signed = client.post("/masuk", data={"api_key": key, "csrf": _token(client.get("/masuk").text)})
    assert signed.status_code == 200 and signed.url.path == "/", signed.text[:300]
    return _cookie(client)


def _cookie(client: TestClient) -> str:
    """The session cookie in the client's jar."""
    values = [cookie.value for cookie in client.cookies.jar if cookie.name == ws.COOKIE]
    assert len(values) == 1 and values[0] is not None
    return values[0]


def _signed_in_with(client: TestClient, cookie: str) -> bool:
    """Whether the home page answers to ``cookie`` alone (the client's jar is emptied first)."""
    client.cookies.clear()
    answer = client.get("/", headers={"Cookie": f"{ws.COOKIE}={cookie}"}, follow_redirects=False)
    assert answer.status_code in (200, 303), answer.text[:300]
    return answer.status_code == 200


def test_the_old_cookie_is_refused_after_signing_out(dashboard: TestClient, world: Any) -> None:
    old = _sign_in(dashboard, world.keys["lurah"])
    assert _signed_in_with(dashboard, old)
    dashboard.cookies.clear()
    home = dashboard.get("/", headers={"Cookie": f"{ws.COOKIE}={old}"})
    out = dashboard.post(
        "/keluar",
        data={"csrf": _token(home.text)},
        headers={"Cookie": f"{ws.COOKIE}={old}"},
        follow_redirects=False,
    )
    assert out.status_code == 303 and out.headers["location"] == "/masuk"
    assert not _signed_in_with(dashboard, old)  # a copy of the cookie taken before no longer works
    dashboard.cookies.clear()
    assert _signed_in_with(dashboard, _sign_in(dashboard, world.keys["lurah"]))  # a fresh sign-in works


def test_signing_out_without_the_csrf_token_ends_nothing(dashboard: TestClient, world: Any) -> None:
    cookie = _sign_in(dashboard, world.keys["camat"])
    dashboard.post("/keluar", data={"csrf": "salah"}, follow_redirects=False)
    assert _cookie(dashboard) == cookie
    assert _signed_in_with(dashboard, cookie)


def test_revoking_the_key_ends_its_sessions(
    dashboard: TestClient, world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    cookie = _sign_in(dashboard, world.keys["analyst"])
    assert _signed_in_with(dashboard, cookie)
    with pytest.raises(SystemExit) as done:
        main(["users", "revoke", "analyst", "--database-url", world.url])
    assert not done.value.code
    capsys.readouterr()
    assert not _signed_in_with(dashboard, cookie)
    dashboard.cookies.clear()
    refused = dashboard.post(
        "/masuk", data={"api_key": world.keys["analyst"], "csrf": _token(dashboard.get("/masuk").text)}
    )
    assert refused.status_code == 401


def test_an_idle_session_is_signed_out_and_activity_keeps_it(
    dashboard: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = time.time()
    monkeypatch.setattr(ws, "clock", lambda: start)
    cookie = _sign_in(dashboard, world.keys["lurah"])
    for minutes in (20, 40, 60):  # a page every 20 minutes renews the 30-minute idle window
        monkeypatch.setattr(ws, "clock", lambda m=minutes: start + m * 60)
        assert dashboard.get("/", follow_redirects=False).status_code == 200
    renewed = _cookie(dashboard)
    assert renewed != cookie
    monkeypatch.setattr(ws, "clock", lambda: start + 60 * 60 + 31 * 60)
    assert not _signed_in_with(dashboard, renewed)
    assert not _signed_in_with(dashboard, cookie)
    assert _signed_in_with(dashboard, _sign_in(dashboard, world.keys["lurah"]))


def test_the_idle_timeout_is_a_setting(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ServeSettings(
        database_url=world.url, session_secret="rahasia", cookie_secure=False, session_idle_minutes=5
    )
    with TestClient(create_app(settings, model_loader=no_models), base_url="http://testserver") as client:
        start = time.time()
        monkeypatch.setattr(ws, "clock", lambda: start)
        cookie = _sign_in(client, world.keys["camat"])
        monkeypatch.setattr(ws, "clock", lambda: start + 6 * 60)
        assert not _signed_in_with(client, cookie)
