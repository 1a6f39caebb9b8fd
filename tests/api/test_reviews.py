"""Reviews: stored with who and when, listed on the RW, validated field by field, kept across re-publish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW, publish_world

GOOD = {"outcome": "dirujuk_uptd_ppa", "note": "Dirujuk ke UPTD PPA", "visit_date": "2024-06-04"}


def test_review_is_listed_on_the_rw_with_author(app_client: TestClient, world: Any) -> None:
    created = app_client.post(f"/v1/rw/{BUSY_RW}/reviews", json=GOOD, headers=world.headers("lurah"))
    assert created.status_code == 201
    listed = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("camat")).json()["reviews"]
    assert len(listed) == 1
    review = listed[0]
    assert (review["outcome"], review["author"], review["author_role"], review["as_of"]) == (
        "dirujuk_uptd_ppa",
        "lurah",
        "lurah",
        "2024-06",
    )
    stamped = dt.datetime.fromisoformat(review["created_at"])
    assert abs((dt.datetime.now(dt.UTC) - stamped).total_seconds()) < 600


def test_bad_review_fields_are_named(app_client: TestClient, world: Any) -> None:
    cases = [
        ({**GOOD, "outcome": "aman_saja"}, "body.outcome"),
        ({**GOOD, "visit_date": "kemarin"}, "body.visit_date"),
        ({**GOOD, "as_of": "2024-6"}, "body.as_of"),
        ({**GOOD, "victim_key": "V1"}, "body.victim_key"),
        ({"note": "x"}, "body.outcome"),
        ({**GOOD, "client_id": "short"}, "body.client_id"),
        ({**GOOD, "client_id": "a b c d e f g h"}, "body.client_id"),
    ]
    for body, field in cases:
        response = app_client.post(f"/v1/rw/{BUSY_RW}/reviews", json=body, headers=world.headers("lurah"))
        assert response.status_code == 422, body
        assert field in [e["field"] for e in response.json()["errors"]], body


def test_future_visit_is_refused(app_client: TestClient, world: Any) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = app_client.post(
        f"/v1/rw/{BUSY_RW}/reviews", json={**GOOD, "visit_date": future}, headers=world.headers("lurah")
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.visit_date"]
    assert future in response.json()["errors"][0]["message"]


def test_reviews_survive_republishing(app_client: TestClient, world: Any) -> None:
    app_client.post(f"/v1/rw/{BUSY_RW}/reviews", json=GOOD, headers=world.headers("lurah"))
    publish_world(world.url)
    assert len(app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()["reviews"]) == 1


def test_a_retried_review_is_stored_once(app_client: TestClient, world: Any) -> None:
    url, body = f"/v1/rw/{BUSY_RW}/reviews", {**GOOD, "client_id": "retry-0001-abcd"}
    first = app_client.post(url, json=body, headers=world.headers("lurah"))
    again = app_client.post(url, json=body, headers=world.headers("lurah"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    # Another author's id space is their own; a review without an id is always new.
    other = app_client.post(url, json=body, headers=world.headers("camat"))
    plain = [app_client.post(url, json=GOOD, headers=world.headers("lurah")) for _ in range(2)]
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert [r.status_code for r in plain] == [201, 201]
    page = app_client.get(f"{url}?page_size=100", headers=world.headers("analyst")).json()
    assert page["total"] == 4
