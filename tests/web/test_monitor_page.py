"""The monitor's report in the analyst view: alerts in Indonesian on /analis, the stored HTML page
on /analis/monitor under a CSP that runs nothing, analysts only, audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from conftest import make_app, sign_in
from fastapi.testclient import TestClient
from monitor_sample import store_sample
from world import WebWorld, build_web_world


@pytest.fixture(scope="module")
def own_world(tmp_path_factory: pytest.TempPathFactory) -> WebWorld:
    """A web world of this module's own: the shared one must not gain a stored report."""
    return build_web_world(tmp_path_factory.mktemp("web-monitor"))


@pytest.fixture(scope="module")
def web(own_world: WebWorld) -> Iterator[TestClient]:
    with TestClient(make_app(own_world, cookie_secure=False), base_url="http://testserver") as client:
        yield client


def _as(web: TestClient, world: WebWorld, account: str) -> TestClient:
    web.cookies.clear()
    sign_in(web, world.keys[account])
    return web


def test_without_a_stored_report_the_analyst_page_says_so(web: TestClient, own_world: WebWorld) -> None:
    html = unescape(_as(web, own_world, "analis-dinas").get("/analis").text)
    assert "Belum ada laporan pemantauan tersimpan" in html
    assert web.get("/analis/monitor").status_code == 404


def test_the_analyst_page_lists_the_alerts_in_indonesian_with_the_retrain_notice(
    web: TestClient, own_world: WebWorld
) -> None:
    store_sample(own_world.url, "2024-05")
    store_sample(own_world.url, "2024-06")
    html = unescape(_as(web, own_world, "analis-dinas").get("/analis").text)
    assert "Laporan pemantauan per Juni 2024" in html
    assert "<li>kontak_pos_pengaduan naik 150%.</li>" in html
    assert "Disarankan melatih ulang model: x." in html and 'class="alert"' in html
    assert "rose 150%" not in html and "Retrain recommended" not in html
    assert 'href="/analis/monitor?bulan=2024-06"' in html


def test_the_stored_html_report_is_served_under_a_csp_that_allows_only_its_own_style(
    web: TestClient, own_world: WebWorld
) -> None:
    store_sample(own_world.url, "2024-06")
    response = _as(web, own_world, "analis-dinas").get("/analis/monitor", params={"bulan": "2024-06"})
    assert response.status_code == 200 and response.text.startswith("<!doctype html>")
    assert "ews monitor as of 2024-06" in response.text and "<script" not in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+';", csp)
    assert response.headers["cache-control"] == "no-store" and response.headers["x-frame-options"] == "DENY"
    assert web.get("/analis/monitor", params={"bulan": "2023-01"}).status_code == 404
    assert web.get("/analis/monitor", params={"bulan": "juni"}).status_code == 404


def test_the_style_hash_matches_the_stored_style_block() -> None:
    import base64
    import hashlib

    from ews.monitor.html import STYLE
    from ews.web.monitor_view import report_csp

    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in report_csp(f"<style>{STYLE}</style><p>x</p>")
    assert "style-src" not in report_csp("<p>no style</p>")


@pytest.mark.parametrize("account", ["lurah-gambir", "camat-gambir"])
def test_other_roles_get_neither_page(web: TestClient, own_world: WebWorld, account: str) -> None:
    store_sample(own_world.url, "2024-06")
    client = _as(web, own_world, account)
    assert client.get("/analis/monitor").status_code == 403
    assert client.get("/analis").status_code == 403


def test_reading_the_report_is_audited(own_world: WebWorld, web: TestClient) -> None:
    from sqlalchemy import select

    from ews.db.engine import Store
    from ews.db.models import AuditEntry

    store_sample(own_world.url, "2024-06")
    _as(web, own_world, "analis-dinas").get("/analis/monitor")
    _as(web, own_world, "lurah-gambir").get("/analis/monitor")
    web.app.state.audit.flush()  # type: ignore[attr-defined]
    store = Store.open(own_world.url)
    try:
        with store.session() as session:
            rows = set(
                session.execute(
                    select(AuditEntry.actor, AuditEntry.action, AuditEntry.target, AuditEntry.outcome)
                )
            )
    finally:
        store.close()
    assert ("analis-dinas", "monitor.read", "2024-06", "ok") in rows
    assert ("lurah-gambir", "monitor.read", "latest", "denied") in rows
