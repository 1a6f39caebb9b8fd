"""GET /v1/flags filters and paging: each filter shape narrows the list, totals survive paging."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from service_world import KEL_A, RWS


def _codes(client: TestClient, world: Any, who: str, query: str) -> tuple[int, list[str]]:
    response = client.get(f"/v1/flags?{query}", headers=world.headers(who))
    assert response.status_code == 200, response.text
    body = response.json()
    return body["total"], [item["rw_code"] for item in body["items"]]


def test_tier_filter_keeps_only_that_tier(app_client: TestClient, world: Any) -> None:
    # Flagged RWs are RWS[0] (sangat_tinggi), RWS[1..2] (tinggi) and RWS[5] (rendah).
    assert _codes(app_client, world, "analyst", "tier=tinggi") == (2, RWS[1:3])
    assert _codes(app_client, world, "analyst", "tier=rendah") == (1, [RWS[5]])


def test_kelurahan_and_tier_filters_combine(app_client: TestClient, world: Any) -> None:
    assert _codes(app_client, world, "analyst", f"kelurahan={KEL_A}&tier=sangat_tinggi") == (1, [RWS[0]])
    assert _codes(app_client, world, "camat", f"kelurahan={KEL_A}&tier=rendah") == (0, [])


def test_pages_split_the_list_and_keep_the_total(app_client: TestClient, world: Any) -> None:
    first = _codes(app_client, world, "analyst", "page=1&page_size=3")
    second = _codes(app_client, world, "analyst", "page=2&page_size=3")
    assert first == (4, RWS[:3])
    assert second == (4, [RWS[5]])
    assert _codes(app_client, world, "analyst", "page=3&page_size=3") == (4, [])
