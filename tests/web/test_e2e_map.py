"""The map in headless Chromium at 360x800 and 1280x800: a tap on the map opens the same RW page as the
list, every RW has a tap target of at least 44 px, and no home page scrolls sideways.

Screenshots of the home page per role and width go to tests/_artifacts/screenshots/beranda-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from world import KEL_GAMBIR, WebWorld, rw_codes

KEL_CIDENG = "31.71.01.1002"  # 10 RWs, drawn closer than 44 px on the camat map

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
ROLES = {"lurah": "lurah-gambir", "camat": "camat-gambir", "analis": "analis-dinas"}
MIN_TARGET = 44.0


def _page(browser: Any, width: int) -> Any:
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="id-ID", has_touch=phone, is_mobile=phone
    )
    return context.new_page()


def _sign_in(page: Any, base: str, key: str) -> None:
    page.goto(f"{base}/")
    page.get_by_text("Punya kunci API?").click()
    page.get_by_label("Kunci API").fill(key)
    page.get_by_role("button", name="Masuk dengan kunci").click()
    page.wait_for_url(f"{base}/")


def _press(page: Any, locator: Any, width: int) -> None:
    locator.scroll_into_view_if_needed()
    if width < 600:
        locator.tap()
    else:
        locator.click()


def _targets(page: Any) -> list[dict[str, float]]:
    """Per RW: the box its map links (marker and cell) cover together, and the distance from its marker
    to the nearest other marker, in CSS px."""
    return list(
        page.evaluate(
            """() => {
              const boxes = {}, centres = {};
              for (const a of document.querySelectorAll('svg.map a')) {
                const r = a.getBoundingClientRect(), h = a.getAttribute('href');
                const b = boxes[h] || {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
                boxes[h] = {x0: Math.min(b.x0, r.left), y0: Math.min(b.y0, r.top),
                            x1: Math.max(b.x1, r.right), y1: Math.max(b.y1, r.bottom)};
                if (a.hasAttribute('aria-label')) {
                  const m = a.lastElementChild.getBoundingClientRect();
                  centres[h] = [m.left + m.width / 2, m.top + m.height / 2];
                }
              }
              return Object.keys(centres).map(h => {
                const [x, y] = centres[h], b = boxes[h];
                const gaps = Object.keys(centres).filter(o => o !== h)
                  .map(o => Math.hypot(centres[o][0] - x, centres[o][1] - y));
                return {width: b.x1 - b.x0, height: b.y1 - b.y0, nearest: Math.min(...gaps), href: h};
              });
            }"""
        )
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_tap_on_the_map_opens_the_same_rw_page_as_the_list(
    browser: Any, live_server: str, web_world: WebWorld, width: int
) -> None:
    page = _page(browser, width)
    _sign_in(page, live_server, web_world.keys["lurah-gambir"])
    listed = page.locator(".flag-list a.flag-link").first.get_attribute("href") or ""
    assert listed.startswith(f"/rw/{KEL_GAMBIR}.")
    _press(page, page.locator(f'svg.map a[aria-label][href="{listed}"]'), width)
    page.wait_for_url(re.compile(re.escape(listed) + "$"))
    assert page.get_by_text("Skor ini membantu pengecekan, bukan keputusan").is_visible()

    page.goto(f"{live_server}/")
    flagged = set(
        page.locator(".flag-list a.flag-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    )
    hrefs = page.locator("svg.map a[aria-label]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    unflagged = next(h for h in hrefs if h not in flagged)
    _press(
        page, page.locator(f'svg.map a[aria-label][href="{unflagged}"]'), width
    )  # not on the list: still a link
    page.wait_for_url(re.compile(re.escape(unflagged) + "$"))
    page.context.close()


@pytest.mark.parametrize("role", ["lurah", "camat"])
def test_every_rw_on_the_map_has_a_tap_target_of_at_least_44_px_on_a_phone(
    browser: Any, live_server: str, web_world: WebWorld, role: str
) -> None:
    """Every RW of a kelurahan gets 44 px; on the camat's wider map (it scrolls sideways on a phone),
    every RW not drawn closer than 44 px to another does (RWs packed closer cannot have 44 px each)."""
    page = _page(browser, 360)
    _sign_in(page, live_server, web_world.keys[ROLES[role]])
    targets = _targets(page)
    assert targets
    checked = targets if role == "lurah" else [t for t in targets if t["nearest"] >= MIN_TARGET]
    assert len(checked) >= len(targets) / 2
    small = [t for t in checked if min(t["width"], t["height"]) < MIN_TARGET]
    assert not small, f"tap targets under {MIN_TARGET} px: {small}"
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(ROLES))
def test_the_home_page_never_scrolls_sideways(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path, role: str, width: int
) -> None:
    page = _page(browser, width)
    _sign_in(page, live_server, web_world.keys[ROLES[role]])
    assert page.locator("svg.map").is_visible()
    page.screenshot(path=str(screenshot_dir / f"beranda-{role}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the {role} home page is {overflow} px wider than the {width} px window"
    page.context.close()


@pytest.mark.parametrize("role", ["camat", "analis"])
def test_a_kelurahan_map_gives_every_rw_a_full_tap_target(
    browser: Any, live_server: str, web_world: WebWorld, screenshot_dir: Path, role: str
) -> None:
    """Where the area map packs RWs closer than 44 px, the kelurahan's own map (from the summary card
    or the RW page) draws every RW of it with a full tap target, each a link to its page."""
    page = _page(browser, 360)
    _sign_in(page, live_server, web_world.keys[ROLES[role]])
    page.goto(f"{live_server}/peta?kelurahan={KEL_CIDENG}")
    targets = _targets(page)
    assert len(targets) == sum(code.startswith(KEL_CIDENG) for code in rw_codes())
    small = [t for t in targets if min(t["width"], t["height"]) < MIN_TARGET]
    assert not small, f"tap targets under {MIN_TARGET} px: {small}"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.screenshot(path=str(screenshot_dir / f"{role}-peta-kelurahan-360.png"), full_page=True)
    page.context.close()
