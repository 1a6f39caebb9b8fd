"""Every read of RW or case data and every write leaves an audit row; refusals too."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_PAYLOAD, OTHER_KEC_RW


def _audit(client: TestClient, world: Any, **params: str) -> list[dict[str, Any]]:
    response = client.get("/v1/audit", params={"page_size": "500", **params}, headers=world.headers("admin"))
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _rows(items: list[dict[str, Any]]) -> set[tuple[str, str, str, str, str]]:
    return {(i["actor"], i["role"], i["action"], i["target"], i["outcome"]) for i in items}


def test_reads_writes_and_refusals_are_audited(app_client: TestClient, world: Any) -> None:
    app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah"))
    app_client.get(f"/v1/rw/{OTHER_KEC_RW}", headers=world.headers("lurah"))
    app_client.get("/v1/flags", headers=world.headers("case_system"))
    review = {"outcome": "ada_indikasi", "note": "", "visit_date": "2024-06-02"}
    app_client.post(f"/v1/rw/{BUSY_RW}/reviews", json=review, headers=world.headers("camat"))
    app_client.post("/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=world.headers("case_system"))
    app_client.get("/v1/cases/at-risk", headers=world.headers("analyst"))
    rows = _rows(_audit(app_client, world))
    assert ("lurah", "lurah", "rw.read", BUSY_RW, "ok") in rows
    assert ("lurah", "lurah", "rw.read", OTHER_KEC_RW, "not_found") in rows
    assert ("case_system", "case_system", "flags.read", "latest", "denied") in rows
    assert ("camat", "camat", "review.write", BUSY_RW, "ok") in rows
    assert ("case_system", "case_system", "cases.score", "KASUS-900", "ok") in rows
    assert ("analyst", "analyst", "cases.read", "2024-06 page 1", "ok") in rows


def test_audit_rows_carry_time_and_filter_by_actor(app_client: TestClient, world: Any) -> None:
    app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah"))
    app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst"))
    items = _audit(app_client, world, actor="analyst")
    assert {i["actor"] for i in items} == {"analyst"}
    assert items[0]["at"].endswith("Z")


def test_account_changes_from_the_cli_are_audited(app_client: TestClient, world: Any) -> None:
    from ews.api.accounts import create_account, revoke

    create_account("lurah-cideng", "lurah", "31.71.01.1002", world.url)
    revoke("lurah-cideng", world.url)
    actions = {(i["action"], i["target"]) for i in _audit(app_client, world)}
    assert ("account.add", "lurah-cideng lurah 31.71.01.1002") in actions
    assert ("account.revoke", "lurah-cideng") in actions
