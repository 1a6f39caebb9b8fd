"""End to end in headless Chromium: sign in, see only one's area, record a check, find it in the API.

A real uvicorn server over a published SQLite store (tests/web/world.py);
screenshots at phone (360x740) and desktop (1280x800) widths go to
tests/_artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from world import BUSY_RW, KEL_GAMBIR, SECOND_RW, WebWorld, rw_codes

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, locale="id-ID")
    return context.new_page()


def _sign_in(page: Any, base: str, key: str) -> None:
    page.goto(f"{base}/")
    assert page.url.endswith("/masuk"), "an anonymous visitor is sent to the sign-in form"
    page.get_by_text("Punya kunci API?").click()  # the key form is folded under the username form
    page.get_by_label("Kunci API").fill(key)
    page.get_by_role("button", name="Masuk dengan kunci").click()
    page.wait_for_url(f"{base}/")


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_lurah_sees_only_own_kelurahan_and_records_a_check(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path
) -> None:
    page = _page(browser, PHONE)
    _sign_in(page, live_server, web_world.keys["lurah-gambir"])
    _shot(page, screenshot_dir, "lurah-beranda-360")
    links = page.locator(".flag-list a.flag-link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert hrefs and all(f"/rw/{KEL_GAMBIR}." in h for h in hrefs)
    map_codes = set(re.findall(r"RW (\d{3}) (\w[\w ]*?):", page.locator("svg.map").inner_html()))
    assert {name for _, name in map_codes} == {"Gambir"}
    assert len(map_codes) == sum(code.startswith(KEL_GAMBIR) for code in rw_codes())

    page.locator(f'.flag-list a[href^="/rw/{BUSY_RW}"]').click()
    page.wait_for_url(re.compile(rf"/rw/{re.escape(BUSY_RW)}"))
    assert page.get_by_text("Skor ini membantu pengecekan, bukan keputusan").is_visible()
    _shot(page, screenshot_dir, "lurah-rw-360")

    note = "Sudah dicek bersama kader RW 001, situasi aman."
    page.get_by_label("Sudah dicek, aman").check()
    page.get_by_label("Tanggal kunjungan").fill(dt.date.today().isoformat())
    page.get_by_label("Catatan").fill(note)
    page.get_by_role("button", name="Simpan hasil pengecekan").click()
    page.wait_for_url(re.compile(r"tersimpan=1"))
    assert page.get_by_role("status").inner_text().strip() == "Hasil pengecekan tersimpan."
    assert page.locator("#riwayat").get_by_text(note).is_visible()
    _shot(page, screenshot_dir, "lurah-rw-tersimpan-360")

    headers = {"Authorization": f"Bearer {web_world.keys['lurah-gambir']}"}
    detail = httpx.get(f"{live_server}/v1/rw/{BUSY_RW}", headers=headers, timeout=10).json()
    newest = detail["reviews"][0]
    assert (newest["outcome"], newest["note"], newest["author"]) == (
        "sudah_dicek_aman",
        note,
        "lurah-gambir",
    )


def test_camat_sees_every_kelurahan_of_the_kecamatan(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path
) -> None:
    page = _page(browser, DESKTOP)
    _sign_in(page, live_server, web_world.keys["camat-gambir"])
    _shot(page, screenshot_dir, "camat-beranda-1280")
    rows = page.locator(".summary-cards h3").all_inner_texts()
    assert rows == ["Gambir", "Cideng", "Petojo Utara"]
    assert "Pasar Baru" not in page.content()
    page.locator(f'a[href^="/rw/{SECOND_RW}"]').first.click()
    page.wait_for_url(re.compile(rf"/rw/{re.escape(SECOND_RW)}"))
    _shot(page, screenshot_dir, "camat-rw-1280")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/")
    _shot(page, screenshot_dir, "camat-beranda-360")


def test_keyboard_user_can_skip_to_content_and_reach_the_list(
    browser: Any, live_server: str, web_world: WebWorld
) -> None:
    page = _page(browser, DESKTOP)
    _sign_in(page, live_server, web_world.keys["lurah-gambir"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Langsung ke isi utama"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "flag-link"


def test_signing_out_ends_the_session(browser: Any, live_server: str, web_world: WebWorld) -> None:
    page = _page(browser, PHONE)
    _sign_in(page, live_server, web_world.keys["lurah-gambir"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "ews_sesi")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk$"))
    page.goto(f"{live_server}/")
    assert page.url.endswith("/masuk")
