"""Bearer keys: missing, wrong and revoked keys get 401; only hashes are stored."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW
from sqlalchemy import create_engine, text

PROTECTED = [
    ("get", "/v1/models"),
    ("get", "/v1/flags"),
    ("get", f"/v1/rw/{BUSY_RW}"),
    ("get", "/v1/cases/at-risk"),
    ("get", "/v1/audit"),
    ("post", "/v1/admin/reload"),
]


def test_health_needs_no_key(app_client: TestClient) -> None:
    response = app_client.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["latest_month"] == "2024-06"


def test_missing_key_is_401_with_challenge(app_client: TestClient) -> None:
    for method, path in PROTECTED:
        response = app_client.request(method, path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Bearer"), path


def test_wrong_key_is_401(app_client: TestClient) -> None:
    for header in ["Bearer ews_not-a-real-key", "Basic dXNlcjpwdw==", "Bearer ", "ews_no_scheme"]:
        response = app_client.get("/v1/flags", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert "Bearer" in response.headers["www-authenticate"], header


def test_revoked_key_stops_working(app_client: TestClient, world: Any) -> None:
    from ews.api.accounts import revoke

    assert app_client.get("/v1/flags", headers=world.headers("lurah")).status_code == 200
    revoke("lurah", world.url)
    assert app_client.get("/v1/flags", headers=world.headers("lurah")).status_code == 401
    assert app_client.get("/v1/flags", headers=world.headers("camat")).status_code == 200


def test_only_key_hashes_are_stored(world: Any) -> None:
    engine = create_engine(world.url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT name, key_hash FROM accounts")).tuples().all())
    engine.dispose()
    for name, key in world.keys.items():
        assert stored[name] == hashlib.sha256(key.encode()).hexdigest()
        assert key not in stored.values()
