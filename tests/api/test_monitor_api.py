"""``GET /v1/monitor``: the stored monitor report, for analysts only, audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from monitor_sample import store_sample


def test_an_analyst_reads_the_stored_report_latest_or_by_month(app_client: TestClient, world: Any) -> None:
    older = store_sample(world.url, "2024-05")
    latest = store_sample(world.url, "2024-06")
    response = app_client.get("/v1/monitor", headers=world.headers("analyst"))
    assert response.status_code == 200 and response.json() == latest
    assert response.headers["cache-control"] == "no-store"
    by_month = app_client.get("/v1/monitor", params={"as_of": "2024-05"}, headers=world.headers("analyst"))
    assert by_month.status_code == 200 and by_month.json() == older
    assert set(latest) == {"as_of", "sources", "scores", "realised", "realised_note", "checks", "alerts"}


@pytest.mark.parametrize("who", ["lurah", "camat", "case_system", "admin"])
def test_other_roles_get_403(app_client: TestClient, world: Any, who: str) -> None:
    store_sample(world.url)
    response = app_client.get("/v1/monitor", headers=world.headers(who))
    assert response.status_code == 403 and "analyst" in response.json()["detail"]


def test_a_month_without_a_report_is_404_in_one_sentence(app_client: TestClient, world: Any) -> None:
    none_yet = app_client.get("/v1/monitor", headers=world.headers("analyst"))
    assert none_yet.status_code == 404 and "no monitor report is stored yet" in none_yet.json()["detail"]
    store_sample(world.url)
    response = app_client.get("/v1/monitor", params={"as_of": "2023-01"}, headers=world.headers("analyst"))
    detail = response.json()["detail"]
    assert response.status_code == 404 and detail.count(".") <= 1 and "2023-01" in detail
    assert app_client.get("/v1/monitor", headers={}).status_code == 401


def test_reads_and_refusals_are_audited(app_client: TestClient, world: Any) -> None:
    store_sample(world.url)
    app_client.get("/v1/monitor", headers=world.headers("analyst"))
    app_client.get("/v1/monitor", params={"as_of": "2023-01"}, headers=world.headers("analyst"))
    app_client.get("/v1/monitor", headers=world.headers("lurah"))
    response = app_client.get("/v1/audit", params={"page_size": "500"}, headers=world.headers("admin"))
    rows = {(i["actor"], i["action"], i["target"], i["outcome"]) for i in response.json()["items"]}
    assert ("analyst", "monitor.read", "2024-06", "ok") in rows
    assert ("analyst", "monitor.read", "2023-01", "not_found") in rows
    assert ("lurah", "monitor.read", "latest", "denied") in rows
