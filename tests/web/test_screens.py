"""Every page, for every role, at phone and desktop width: it loads, nothing overflows sideways, and a
screenshot is saved to tests/_artifacts/screenshots/ (``<role>-<page>-<width>.png``) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from world import BUSY_RW, KEL_GAMBIR, STALE_RW, WebWorld

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
ACCOUNTS = {"lurah": "lurah-gambir", "camat": "camat-gambir", "analis": "analis-dinas"}
PAGES = {
    "beranda": "/",
    "rw-ditandai": f"/rw/{BUSY_RW}",
    "rw-lain": f"/rw/{STALE_RW}",
    "semua-rw": "/semua-rw",
    "cari": "/semua-rw?cari=gambir+5",
    "cetak": f"/cetak?kelurahan={KEL_GAMBIR}",
}
ANALYST_ONLY = {"analis": "/analis"}
# Width the page needs beyond the viewport: any is a horizontal scroll bar on a phone.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _signed_in(browser: Any, base: str, key: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{base}/masuk")
    page.get_by_text("Punya kunci API?").click()
    page.get_by_label("Kunci API").fill(key)
    page.get_by_role("button", name="Masuk dengan kunci").click()
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_fits_the_screen_and_is_captured(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path, role: str, width: int
) -> None:
    page = _signed_in(browser, live_server, web_world.keys[ACCOUNTS[role]], width)
    pages = {**PAGES, **(ANALYST_ONLY if role == "analis" else {})}
    for name, path in pages.items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, (role, name, width)
        assert page.evaluate(OVERFLOW) <= 0, f"{role} {name} at {width} px scrolls sideways"
        assert page.locator("h1").count() == 1, (role, name)
        page.screenshot(path=str(screenshot_dir / f"{role}-{name}-{width}.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_page_fits_the_screen(
    browser: Any, live_server: str, screenshot_dir: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server}/masuk")
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(screenshot_dir / f"anonim-masuk-{width}.png"), full_page=True)
    context.close()
