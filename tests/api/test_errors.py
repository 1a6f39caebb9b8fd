"""Errors: 422 names the field, unknown things are 404, and nothing a caller sends makes a 500."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW


def test_bad_parameters_are_422_with_the_field(app_client: TestClient, world: Any) -> None:
    cases = [
        (f"/v1/rw/{BUSY_RW}?as_of=2024-13", "query.as_of"),
        ("/v1/flags?as_of=June", "query.as_of"),
        ("/v1/flags?page=0", "query.page"),
        ("/v1/flags?tier=merah", "query.tier"),
        ("/v1/rw/31.71.01.1001.5", "path.rw_code"),
    ]
    for url, field in cases:
        response = app_client.get(url, headers=world.headers("analyst"))
        assert response.status_code == 422, url
        assert [e["field"] for e in response.json()["errors"]] == [field], url


def test_unknown_rw_month_and_route_are_404(app_client: TestClient, world: Any) -> None:
    headers = world.headers("analyst")
    assert app_client.get("/v1/rw/31.71.09.1009.001", headers=headers).status_code == 404
    unpublished = app_client.get(f"/v1/rw/{BUSY_RW}?as_of=2023-01", headers=headers)
    assert unpublished.status_code == 404
    assert "2023-01" in unpublished.json()["detail"]
    assert app_client.get("/v1/nothing-here", headers=headers).json() == {"detail": "Not Found"}


def test_empty_store_says_nothing_is_published(database_url: str) -> None:
    from fastapi.testclient import TestClient as Client

    from ews.api.accounts import create_account
    from ews.app import create_app
    from ews.config import ServeSettings
    from ews.service.live import no_models

    key = create_account("analis", "analyst", None, database_url)
    with Client(create_app(ServeSettings(database_url=database_url), model_loader=no_models)) as client:
        response = client.get("/v1/flags", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404
    assert "ews publish" in response.json()["detail"]
