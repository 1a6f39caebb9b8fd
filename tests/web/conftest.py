"""Dashboard fixtures: the hand-built web world, an in-process client, a live server and Chromium."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world import WebWorld, build_web_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "_artifacts" / "screenshots"


@pytest.fixture(scope="session")
def web_world(tmp_path_factory: pytest.TempPathFactory) -> WebWorld:
    """One published store for the session; tests that add checks use RWs and notes of their own."""
    return build_web_world(tmp_path_factory.mktemp("web"))


def make_app(world: WebWorld, **settings: Any) -> Any:
    from ews.app import create_app
    from ews.config import ServeSettings

    values = {"database_url": world.url, "data_dir": str(world.data_dir), "session_secret": "test-secret"}
    return create_app(ServeSettings(**{**values, **settings}))


@pytest.fixture(scope="module")
def client(web_world: WebWorld) -> Iterator[TestClient]:
    """An in-process client; cookies are not Secure-only so the plain-http test client keeps them."""
    with TestClient(make_app(web_world, cookie_secure=False), base_url="http://testserver") as test_client:
        yield test_client


def sign_in(client: TestClient, key: str) -> Any:
    """Fetch the sign-in form (for its CSRF cookie and token), then post the key."""
    import re

    form = client.get("/masuk")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    return client.post("/masuk", data={"api_key": key, "csrf": token.group(1)}, follow_redirects=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(web_world: WebWorld) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, in a thread, with Secure cookies as in production."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(make_app(web_world), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn test server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright; skipped (with the reason) when it is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install it with `apt-get install -y chromium` (./dev does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def screenshot_dir() -> Path:
    """Where the e2e run saves its screenshots (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
