"""Every role's reach, both ways: what it may read or write, and the refusal it gets otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_PAYLOAD, KEL_A, KEL_C, OTHER_KEC_RW, RWS, STALE_RW

REVIEW = {"outcome": "sudah_dicek_aman", "note": "aman", "visit_date": "2024-06-05"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lurah", RWS[:3]),
        ("camat", RWS[:3]),
        ("other_lurah", [RWS[5]]),
        ("other_camat", [RWS[5]]),
        ("analyst", [*RWS[:3], RWS[5]]),
    ],
)
def test_flags_cover_exactly_the_callers_area(app_client: TestClient, world: Any, who: str, expected: list[str]) -> None:
    body = app_client.get("/v1/flags", headers=world.headers(who)).json()
    assert [item["rw_code"] for item in body["items"]] == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize("who", ["case_system", "admin"])
def test_flags_refuse_roles_without_rw_access(app_client: TestClient, world: Any, who: str) -> None:
    assert app_client.get("/v1/flags", headers=world.headers(who)).status_code == 403


@pytest.mark.parametrize(
    ("who", "rw_code", "status"),
    [
        ("lurah", BUSY_RW, 200),
        ("lurah", STALE_RW, 404),  # same kecamatan, other kelurahan
        ("lurah", OTHER_KEC_RW, 404),
        ("camat", STALE_RW, 200),
        ("camat", OTHER_KEC_RW, 404),
        ("other_lurah", OTHER_KEC_RW, 200),
        ("other_camat", BUSY_RW, 404),
        ("analyst", OTHER_KEC_RW, 200),
        ("case_system", BUSY_RW, 403),
        ("admin", BUSY_RW, 403),
    ],
)
def test_rw_detail_scope(app_client: TestClient, world: Any, who: str, rw_code: str, status: int) -> None:
    assert app_client.get(f"/v1/rw/{rw_code}", headers=world.headers(who)).status_code == status


def test_outside_area_looks_exactly_like_unknown(app_client: TestClient, world: Any) -> None:
    outside = app_client.get(f"/v1/rw/{OTHER_KEC_RW}", headers=world.headers("lurah"))
    unknown_code = f"{KEL_C}.099"
    unknown = app_client.get(f"/v1/rw/{unknown_code}", headers=world.headers("lurah"))
    assert outside.status_code == unknown.status_code == 404
    assert outside.json()["detail"].replace(OTHER_KEC_RW, "X") == unknown.json()["detail"].replace(unknown_code, "X")


def test_kelurahan_filter_outside_area_is_404(app_client: TestClient, world: Any) -> None:
    assert app_client.get(f"/v1/flags?kelurahan={KEL_C}", headers=world.headers("camat")).status_code == 404
    inside = app_client.get(f"/v1/flags?kelurahan={KEL_A}", headers=world.headers("camat"))
    assert [i["kelurahan_code"] for i in inside.json()["items"]] == [KEL_A] * 3


@pytest.mark.parametrize(
    ("who", "rw_code", "status"),
    [
        ("lurah", BUSY_RW, 201),
        ("camat", STALE_RW, 201),
        ("analyst", OTHER_KEC_RW, 201),
        ("lurah", OTHER_KEC_RW, 404),
        ("case_system", BUSY_RW, 403),
        ("admin", BUSY_RW, 403),
    ],
)
def test_review_scope(app_client: TestClient, world: Any, who: str, rw_code: str, status: int) -> None:
    response = app_client.post(f"/v1/rw/{rw_code}/reviews", json=REVIEW, headers=world.headers(who))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("case_system", 200), ("analyst", 200), ("lurah", 403), ("camat", 403), ("admin", 403)],
)
def test_case_endpoints_scope(app_client: TestClient, world: Any, who: str, status: int) -> None:
    assert app_client.get("/v1/cases/at-risk", headers=world.headers(who)).status_code == status
    live = app_client.post("/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=world.headers(who))
    assert live.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("analyst", 403), ("lurah", 403), ("camat", 403), ("case_system", 403)],
)
def test_admin_endpoints_scope(app_client: TestClient, world: Any, who: str, status: int) -> None:
    assert app_client.get("/v1/audit", headers=world.headers(who)).status_code == status
    assert app_client.post("/v1/admin/reload", headers=world.headers(who)).status_code == status


@pytest.mark.parametrize("who", ["lurah", "camat", "analyst", "case_system", "admin"])
def test_every_role_sees_models(app_client: TestClient, world: Any, who: str) -> None:
    body = app_client.get("/v1/models", headers=world.headers(who)).json()
    assert [p["as_of"] for p in body["published"]] == ["2024-06"]
