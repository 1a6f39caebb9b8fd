"""In headless Chromium: the analyst opens the monitor report from /analis; the stored page renders
with its own style and breaks no Content-Security-Policy rule."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import _free_port, make_app
from monitor_sample import store_sample
from world import WebWorld, build_web_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def monitor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, WebWorld]]:
    """A uvicorn server over a web world of its own with a stored monitor report."""
    import uvicorn

    world = build_web_world(tmp_path_factory.mktemp("web-e2e-monitor"))
    store_sample(world.url, "2024-06")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(make_app(world, cookie_secure=False), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn test server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", world
    server.should_exit = True
    thread.join(timeout=10)


def test_the_analyst_opens_the_report_and_it_renders_under_its_csp(
    browser: Any, monitor_server: tuple[str, WebWorld]
) -> None:
    base, world = monitor_server
    page = browser.new_context(locale="id-ID").new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{base}/masuk")
    page.get_by_text("Punya kunci API?").click()
    page.get_by_label("Kunci API").fill(world.keys["analis-dinas"])
    page.get_by_role("button", name="Masuk dengan kunci").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/analis")
    assert "Disarankan melatih ulang model" in page.content()
    page.get_by_role("link", name="Buka laporan pemantauan lengkap (bahasa Inggris)").click()
    page.wait_for_url(f"{base}/analis/monitor?bulan=2024-06")
    assert page.get_by_role("heading", name="ews monitor as of 2024-06").is_visible()
    # The inline style applied (body margin 2em) and nothing was refused by the CSP.
    assert page.evaluate("getComputedStyle(document.body).marginLeft") == "32px"
    assert not [m for m in messages if "Content Security Policy" in m], messages
