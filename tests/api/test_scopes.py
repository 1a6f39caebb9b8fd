"""Every role's reach, both ways: what it may read or write, and the refusal it gets otherwise.

Each test walks a table of (caller, target, expected status) against one
running app and reports every row that came out differently.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_PAYLOAD, KEL_A, KEL_C, OTHER_KEC_RW, RWS, STALE_RW

REVIEW = {"outcome": "sudah_dicek_aman", "note": "aman", "visit_date": "2024-06-05"}
ALL_ROLES = ("lurah", "camat", "analyst", "case_system", "admin")


def _mismatches(client: TestClient, world: Any, table: list[tuple[str, str, str, int]]) -> list[str]:
    wrong = []
    for who, method, path, status in table:
        body = REVIEW if path.endswith("/reviews") else CASE_PAYLOAD if path.endswith("reopen-risk") else None
        got = client.request(method, path, json=body, headers=world.headers(who)).status_code
        if got != status:
            wrong.append(f"{who} {method} {path}: {got}, expected {status}")
    return wrong


def test_flags_cover_exactly_the_callers_area(app_client: TestClient, world: Any) -> None:
    expected = {
        "lurah": RWS[:3],
        "camat": RWS[:3],
        "other_lurah": [RWS[5]],
        "other_camat": [RWS[5]],
        "analyst": [*RWS[:3], RWS[5]],
    }
    for who, codes in expected.items():
        body = app_client.get("/v1/flags", headers=world.headers(who)).json()
        assert [item["rw_code"] for item in body["items"]] == codes, who
        assert body["total"] == len(codes), who


def test_rw_reads_and_reviews_follow_area_and_role(app_client: TestClient, world: Any) -> None:
    table = [
        ("lurah", "get", f"/v1/rw/{BUSY_RW}", 200),
        ("lurah", "get", f"/v1/rw/{STALE_RW}", 404),  # same kecamatan, other kelurahan
        ("lurah", "get", f"/v1/rw/{OTHER_KEC_RW}", 404),
        ("camat", "get", f"/v1/rw/{STALE_RW}", 200),
        ("camat", "get", f"/v1/rw/{OTHER_KEC_RW}", 404),
        ("other_lurah", "get", f"/v1/rw/{OTHER_KEC_RW}", 200),
        ("other_camat", "get", f"/v1/rw/{BUSY_RW}", 404),
        ("analyst", "get", f"/v1/rw/{OTHER_KEC_RW}", 200),
        ("case_system", "get", f"/v1/rw/{BUSY_RW}", 403),
        ("admin", "get", f"/v1/rw/{BUSY_RW}", 403),
        ("case_system", "get", "/v1/flags", 403),
        ("admin", "get", "/v1/flags", 403),
        ("lurah", "post", f"/v1/rw/{BUSY_RW}/reviews", 201),
        ("camat", "post", f"/v1/rw/{STALE_RW}/reviews", 201),
        ("analyst", "post", f"/v1/rw/{OTHER_KEC_RW}/reviews", 201),
        ("lurah", "post", f"/v1/rw/{OTHER_KEC_RW}/reviews", 404),
        ("other_camat", "post", f"/v1/rw/{BUSY_RW}/reviews", 404),
        ("case_system", "post", f"/v1/rw/{BUSY_RW}/reviews", 403),
        ("admin", "post", f"/v1/rw/{BUSY_RW}/reviews", 403),
    ]
    assert _mismatches(app_client, world, table) == []


def test_case_and_admin_endpoints_follow_role(app_client: TestClient, world: Any) -> None:
    case_ok = {"case_system", "analyst"}
    table = []
    for who in ALL_ROLES:
        table.append((who, "get", "/v1/cases/at-risk", 200 if who in case_ok else 403))
        table.append((who, "post", "/v1/cases/reopen-risk", 200 if who in case_ok else 403))
        table.append((who, "get", "/v1/audit", 200 if who == "admin" else 403))
        table.append((who, "post", "/v1/admin/reload", 200 if who == "admin" else 403))
        table.append((who, "get", "/v1/models", 200))
    assert _mismatches(app_client, world, table) == []


def test_outside_area_looks_exactly_like_unknown(app_client: TestClient, world: Any) -> None:
    outside = app_client.get(f"/v1/rw/{OTHER_KEC_RW}", headers=world.headers("lurah"))
    unknown_code = f"{KEL_C}.099"
    unknown = app_client.get(f"/v1/rw/{unknown_code}", headers=world.headers("lurah"))
    assert outside.status_code == unknown.status_code == 404
    assert outside.json()["detail"].replace(OTHER_KEC_RW, "X") == unknown.json()["detail"].replace(
        unknown_code, "X"
    )


def test_kelurahan_filter_outside_area_is_404(app_client: TestClient, world: Any) -> None:
    assert app_client.get(f"/v1/flags?kelurahan={KEL_C}", headers=world.headers("camat")).status_code == 404
    inside = app_client.get(f"/v1/flags?kelurahan={KEL_A}", headers=world.headers("camat"))
    assert [i["kelurahan_code"] for i in inside.json()["items"]] == [KEL_A] * 3
