"""Finding 8 of issue 12 (first part): JSON responses carried no ``Cache-Control: no-store``.

Every JSON answer of the API (reads, cached reads, writes, live scores, errors, the 413 of
the body limit) now says ``no-store``: area data must not stay in a browser or proxy cache.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from service_world import AS_OF, BUSY_RW, CASE_PAYLOAD, OTHER_KEC_RW

from ews.api.limits import MAX_BODY_BYTES


def _no_store(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers.get_list("cache-control") == ["no-store"]


def test_every_json_answer_says_no_store(app_client: TestClient, world: Any) -> None:
    lurah, analyst, admin = world.headers("lurah"), world.headers("analyst"), world.headers("admin")
    for _ in range(2):  # the second read of each is served from the read cache
        _no_store(app_client.get("/v1/flags", headers=lurah), 200)
        _no_store(app_client.get(f"/v1/rw/{BUSY_RW}", headers=lurah), 200)
        _no_store(app_client.get(f"/v1/flags?as_of={AS_OF}", headers=analyst), 200)
    review = {"outcome": "sudah_dicek_aman", "note": "", "visit_date": "2024-06-04"}
    _no_store(app_client.post(f"/v1/rw/{BUSY_RW}/reviews", json=review, headers=lurah), 201)
    _no_store(app_client.post("/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=analyst), 200)
    _no_store(app_client.get("/v1/cases/at-risk", headers=analyst), 200)
    _no_store(app_client.get("/v1/models", headers=analyst), 200)
    _no_store(app_client.get("/v1/audit", headers=admin), 200)
    _no_store(app_client.get("/v1/health"), 200)
    # Errors, too.
    _no_store(app_client.get("/v1/flags"), 401)
    _no_store(app_client.get("/v1/audit", headers=lurah), 403)
    _no_store(app_client.get(f"/v1/rw/{OTHER_KEC_RW}", headers=lurah), 404)
    _no_store(app_client.get("/v1/flags?as_of=2024-13", headers=lurah), 422)
    big = b"{" + b" " * MAX_BODY_BYTES + b"}"
    _no_store(app_client.post("/v1/cases/reopen-risk", content=big, headers=analyst), 413)
