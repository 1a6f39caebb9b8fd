"""Finding 8 of issue 12 (second half): ``/v1/docs`` loaded Swagger UI from a CDN (blank offline,
no CSP), and some dashboard errors showed the API's raw English JSON.

The Swagger page is now off unless ``EWS_API_DOCS=true`` (``/v1/openapi.json`` stays), and every
error on a dashboard path (404, 405, 422, 500, ...) is an Indonesian HTML page with the same status
and the dashboard's security headers, while ``/v1`` keeps its JSON errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import KEL_A

from ews.app import create_app
from ews.config import ServeSettings
from ews.service.live import no_models
from ews.web import pages

RW = f"{KEL_A}.001"


def _app(world: Any, **settings: Any) -> Any:
    values = {"database_url": world.url, "session_secret": "rahasia", "cookie_secure": False}
    return create_app(ServeSettings(**{**values, **settings}), model_loader=no_models)


@pytest.fixture
def dashboard(world: Any) -> Iterator[TestClient]:
    """A client signed in as the lurah of kelurahan A."""
    with TestClient(_app(world), base_url="http://testserver", raise_server_exceptions=False) as client:
        form = client.get("/masuk").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token is not None
        signed = client.post("/masuk", data={"api_key": world.keys["lurah"], "csrf": token.group(1)})
        assert signed.status_code == 200 and signed.url.path == "/"
        yield client


def test_swagger_page_is_off_by_default_and_the_openapi_document_stays(world: Any) -> None:
    with TestClient(_app(world)) as client:
        assert client.get("/v1/docs").status_code == 404
        assert client.get("/v1/openapi.json").json()["info"]["title"] == "ews"
    with TestClient(_app(world, api_docs=True)) as client:
        docs = client.get("/v1/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_api_docs_setting_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EWS_API_DOCS", "true")
    assert ServeSettings().api_docs is True
    monkeypatch.delenv("EWS_API_DOCS")
    assert ServeSettings().api_docs is False


def _indonesian_page(response: Any, status: int) -> str:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers
    assert '"detail"' not in response.text and "Not Found" not in response.text
    assert "Kembali ke beranda" in response.text
    return str(response.text)


def test_unknown_dashboard_path_is_an_indonesian_404(dashboard: TestClient) -> None:
    html = _indonesian_page(dashboard.get("/tidak-ada"), 404)
    assert "Halaman yang Anda cari tidak ada." in html
    _indonesian_page(dashboard.get("/aset/tidak-ada.css"), 404)
    # Signed out too (the page then offers no sign-out form).
    dashboard.cookies.clear()
    assert "Keluar" not in _indonesian_page(dashboard.get("/tidak-ada"), 404)


def test_invalid_query_and_form_fields_are_an_indonesian_422(dashboard: TestClient) -> None:
    html = _indonesian_page(dashboard.get(f"/rw/{RW}?tersimpan=bukan-angka"), 422)
    assert "tidak valid" in html
    posted = dashboard.post(f"/rw/{RW}/cek", data={"note": "x" * 5000, "csrf": "apa-saja"})
    _indonesian_page(posted, 422)


def test_wrong_method_is_an_indonesian_405(dashboard: TestClient) -> None:
    _indonesian_page(dashboard.put("/"), 405)


def test_an_unexpected_failure_is_an_indonesian_500(
    dashboard: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom, in English")

    monkeypatch.setattr(pages, "page", broken)
    html = _indonesian_page(dashboard.get("/"), 500)
    assert "sudah dicatat" in html and "boom" not in html


def test_the_api_keeps_its_json_errors(dashboard: TestClient, world: Any) -> None:
    missing = dashboard.get("/v1/tidak-ada")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    invalid = dashboard.get(f"/v1/rw/{RW}/reviews?page=abc", headers=world.headers("lurah"))
    assert invalid.status_code == 422 and "errors" in invalid.json()
