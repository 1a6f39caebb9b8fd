"""In headless Chromium at phone width: a first sign-in with a setup code, then with the password.

Screenshots of the sign-in pages at 360x740 go to tests/_artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from world import KEL_GAMBIR, WebWorld

from ews.api.accounts import add_user

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PASSWORD = "sepeda biru di gang tiga"


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 360 px"


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _submit_sign_in(page: Any, username: str, secret: str) -> None:
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi atau kode penyiapan").fill(secret)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_first_sign_in_with_a_setup_code_then_with_the_password(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path
) -> None:
    issued = add_user("lurah-ponsel", "lurah", KEL_GAMBIR, web_world.url)
    assert issued.setup_code is not None
    page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    page.goto(f"{live_server}/")
    assert page.url.endswith("/masuk")
    _fits(page)
    _shot(page, screenshot_dir, "masuk-360")

    _submit_sign_in(page, "lurah-ponsel", issued.setup_code.lower())
    page.wait_for_url(re.compile(r"/masuk/sandi-baru$"))
    _fits(page)
    page.get_by_label("Kata sandi baru", exact=True).fill("pendek12")
    page.get_by_label("Ulangi kata sandi baru").fill("pendek13")
    page.get_by_role("button", name="Simpan kata sandi dan masuk").click()
    assert (
        page.get_by_role("alert").inner_text().strip()
        == "Kedua kata sandi tidak sama. Ketik ulang kata sandi yang sama."
    )
    _shot(page, screenshot_dir, "sandi-baru-galat-360")
    page.get_by_label("Kata sandi baru", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi dan masuk").click()
    page.wait_for_url(f"{live_server}/")
    assert "lurah-ponsel" in page.locator(".who").inner_text()
    _fits(page)

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk$"))
    _submit_sign_in(page, "lurah-ponsel", "bukan kata sandinya")
    assert "Nama pengguna atau kata sandi salah" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Nama pengguna").input_value() == "lurah-ponsel"  # kept for the retry
    _fits(page)
    _shot(page, screenshot_dir, "masuk-galat-360")
    page.get_by_label("Kata sandi atau kode penyiapan").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_text("Skor ini membantu pengecekan, bukan keputusan").first.is_visible()
