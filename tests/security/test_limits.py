"""Finding 4 of issue 12: no request size limit, and the body was parsed before the key.

Bodies above 64 KiB are refused with 413 before they are parsed (by ``Content-Length``, or
counted while streamed); the caller and its role are checked before the body is validated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_PAYLOAD

from ews.api.limits import MAX_BODY_BYTES

SCORE = "/v1/cases/reopen-risk"
REVIEWS = f"/v1/rw/{BUSY_RW}/reviews"
TOO_LARGE = f"the request body is larger than the limit of {MAX_BODY_BYTES} bytes (64 KiB)"


def _chunks(total: int, size: int = 4096) -> Iterator[bytes]:
    yield b'{"note": "'
    for _ in range(total // size):
        yield b"x" * size
    yield b'"}'


@pytest.mark.parametrize("url", [SCORE, REVIEWS])
@pytest.mark.parametrize("who", [None, "analyst"])
def test_a_body_over_the_limit_is_refused_before_it_is_parsed(
    app_client: TestClient, world: Any, url: str, who: str | None
) -> None:
    headers = {"Content-Type": "application/json", **(world.headers(who) if who else {})}
    declared = app_client.post(url, content=b"{" + b" " * MAX_BODY_BYTES + b"}", headers=headers)
    assert declared.status_code == 413, declared.text
    assert declared.json() == {"detail": TOO_LARGE}
    # No Content-Length (chunked): counted while received, refused once past the limit; without
    # a key the body is never read at all.
    streamed = app_client.post(url, content=_chunks(4 * MAX_BODY_BYTES), headers=headers)
    assert streamed.status_code == (413 if who else 401), streamed.text
    if who:
        assert streamed.json() == {"detail": TOO_LARGE}


def test_a_streamed_body_within_the_limit_is_read(app_client: TestClient, world: Any) -> None:
    headers = {"Content-Type": "application/json", **world.headers("lurah")}
    response = app_client.post(REVIEWS, content=_chunks(MAX_BODY_BYTES // 2), headers=headers)
    assert response.status_code == 422  # read whole, then refused by the schema (no outcome)
    assert "body.outcome" in response.json()["detail"]


@pytest.mark.parametrize("body", [b"{}", b"{not json", b'{"case_id": "\\u0000"}'])
def test_role_is_checked_before_the_body(app_client: TestClient, world: Any, body: bytes) -> None:
    json_type = {"Content-Type": "application/json"}
    lurah = app_client.post(SCORE, content=body, headers={**json_type, **world.headers("lurah")})
    assert lurah.status_code == 403, lurah.text
    assert lurah.json() == {"detail": "role lurah may not cases.score; allowed: analyst, case_system"}
    case_system = app_client.post(
        REVIEWS, content=body, headers={**json_type, **world.headers("case_system")}
    )
    assert case_system.status_code == 403, case_system.text
    assert "allowed: analyst, camat, lurah" in case_system.json()["detail"]
    for url in (SCORE, REVIEWS):
        nobody = app_client.post(url, content=body, headers=json_type)
        assert nobody.status_code == 401, nobody.text
    # Other content types take FastAPI's path: still the role first.
    plain = app_client.post(
        SCORE, content=body, headers={"Content-Type": "text/plain", **world.headers("lurah")}
    )
    assert plain.status_code == 403
    items = app_client.get("/v1/audit", headers=world.headers("admin")).json()["items"]
    denied = {(i["actor"], i["action"], i["target"]) for i in items if i["outcome"] == "denied"}
    assert denied == {("lurah", "cases.score", "request"), ("case_system", "review.write", BUSY_RW)}


def test_allowed_callers_still_score_and_review(app_client: TestClient, world: Any) -> None:
    score = app_client.post(SCORE, json=CASE_PAYLOAD, headers=world.headers("case_system"))
    assert score.status_code == 200, score.text
    review = {"outcome": "sudah_dicek_aman", "note": "", "visit_date": "2024-06-04"}
    created = app_client.post(REVIEWS, json=review, headers=world.headers("camat"))
    assert created.status_code == 201, created.text
    bad = app_client.post(REVIEWS, json={}, headers=world.headers("camat"))
    assert bad.status_code == 422


def test_a_dashboard_form_over_the_limit_gets_an_indonesian_page(app_client: TestClient) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for content in (b"note=" + b"x" * MAX_BODY_BYTES, _chunks(4 * MAX_BODY_BYTES)):
        response = app_client.post(f"/rw/{BUSY_RW}/cek", content=content, headers=form)
        assert response.status_code == 413, response.text
        assert response.headers["content-type"].startswith("text/html")
        assert "Isian terlalu besar untuk dikirim" in response.text and "detail" not in response.text
