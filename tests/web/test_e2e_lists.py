"""In Chromium at phone and desktop width: a lurah reaches an RW that is not flagged in two taps
(menu "Semua RW", then the RW) and records a check there; the printable list opens from the home page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from world import STALE_RW, WebWorld

pytestmark = pytest.mark.browser


def _signed_in(browser: Any, base: str, key: str, width: int) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    page.goto(f"{base}/masuk")
    page.get_by_text("Punya kunci API?").click()
    page.get_by_label("Kunci API").fill(key)
    page.get_by_role("button", name="Masuk dengan kunci").click()
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.parametrize("width", [360, 1280])
def test_a_lurah_records_a_check_on_an_unflagged_rw_in_two_taps(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path, width: int
) -> None:
    page = _signed_in(browser, live_server, web_world.keys["lurah-gambir"], width)
    assert page.locator(f'.flag-list a[href^="/rw/{STALE_RW}"]').count() == 0  # not in the flag list
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Semua RW").click()  # tap 1
    page.wait_for_url(re.compile(r"/semua-rw"))
    page.locator(f'a.rw-list-link[href^="/rw/{STALE_RW}"]').click()  # tap 2
    page.wait_for_url(re.compile(rf"/rw/{re.escape(STALE_RW)}"))
    page.get_by_label("Tidak dapat dicek").check()
    page.get_by_label("Tanggal kunjungan").fill(dt.date.today().isoformat())
    page.get_by_label("Catatan").fill(f"Kader melaporkan; dicek ulang minggu depan ({width}).")
    page.get_by_role("button", name="Simpan hasil pengecekan").click()
    page.wait_for_url(re.compile(r"tersimpan=1"))
    assert page.get_by_text("Hasil pengecekan tersimpan.").is_visible()
    assert page.get_by_text(f"dicek ulang minggu depan ({width})").is_visible()
    page.screenshot(path=str(screenshot_dir / f"lurah-rw-lain-tersimpan-{width}.png"), full_page=True)
    page.context.close()


def test_the_printable_list_opens_from_home_and_prints_without_the_menu(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path
) -> None:
    page = _signed_in(browser, live_server, web_world.keys["lurah-gambir"], 360)
    page.get_by_role("link", name="Daftar untuk dicetak").click()
    page.wait_for_url(re.compile(r"/cetak"))
    page.emulate_media(media="print")
    assert not page.locator("nav.menu").is_visible() and page.locator(".print-sheet").count() == 1
    assert page.locator("td.write-in").first.is_visible()  # the box to write in, on paper only
    page.screenshot(path=str(screenshot_dir / "lurah-cetak-print.png"), full_page=True)
    page.context.close()
