"""Findings 6 and 7 of issue 12: reviews stopped at the newest 50 with no paging or total, and
absurd visit dates (0001-01-01) were stored.

``GET /v1/rw/{code}/reviews`` pages every review with its total, under the same scope rules as the
RW detail (which keeps the newest few and a ``reviews_total``); ``visit_date`` must lie between
2000-01-01 and today's UTC date plus one day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import BUSY_RW, OTHER_KEC_RW, STALE_RW

from ews.service.review_schemas import RECENT_REVIEWS

REVIEWS = f"/v1/rw/{BUSY_RW}/reviews"


def _review(i: int) -> dict[str, Any]:
    return {"outcome": "sudah_dicek_aman", "note": f"cek ke-{i}", "visit_date": "2024-06-04"}


def _post(client: TestClient, world: Any, n: int, who: str = "lurah") -> list[int]:
    ids = []
    for i in range(n):
        created = client.post(REVIEWS, json=_review(i), headers=world.headers(who))
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


def test_pages_cover_every_review_once_with_a_consistent_total(app_client: TestClient, world: Any) -> None:
    ids = _post(app_client, world, 23)
    seen: list[int] = []
    for page in (1, 2, 3, 4):
        response = app_client.get(
            REVIEWS, params={"page": page, "page_size": 7}, headers=world.headers("camat")
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["total"], body["page"], body["page_size"], body["rw_code"]) == (23, page, 7, BUSY_RW)
        assert body["as_of"] == "2024-06"
        assert len(body["items"]) == min(7, 23 - 7 * (page - 1))
        seen += [item["id"] for item in body["items"]]
    assert seen == sorted(ids, reverse=True)  # newest first, none twice, none missing
    beyond = app_client.get(REVIEWS, params={"page": 9, "page_size": 7}, headers=world.headers("camat"))
    assert beyond.status_code == 200 and beyond.json()["items"] == [] and beyond.json()["total"] == 23
    # The default page holds 20; the RW detail keeps the newest few and the total.
    assert len(app_client.get(REVIEWS, headers=world.headers("lurah")).json()["items"]) == 20
    detail = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()
    assert detail["reviews_total"] == 23
    assert [r["id"] for r in detail["reviews"]] == sorted(ids, reverse=True)[:RECENT_REVIEWS]


def test_more_than_fifty_reviews_are_all_reachable(app_client: TestClient, world: Any) -> None:
    ids = _post(app_client, world, 55)
    body = app_client.get(REVIEWS, params={"page_size": 100}, headers=world.headers("lurah")).json()
    assert body["total"] == 55 and [r["id"] for r in body["items"]] == sorted(ids, reverse=True)


def test_a_new_review_shows_on_the_next_read(app_client: TestClient, world: Any) -> None:
    empty = app_client.get(REVIEWS, headers=world.headers("lurah")).json()
    detail = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()
    assert (empty["total"], empty["items"], detail["reviews_total"]) == (0, [], 0)
    for n in (1, 2):
        [new] = _post(app_client, world, 1, who="camat")
        listed = app_client.get(REVIEWS, headers=world.headers("lurah")).json()
        assert listed["total"] == n and listed["items"][0]["id"] == new
        detail = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()
        assert detail["reviews_total"] == n and detail["reviews"][0]["id"] == new


@pytest.mark.parametrize(
    ("who", "rw_code", "status"),
    [
        ("lurah", BUSY_RW, 200),
        ("lurah", STALE_RW, 404),  # same kecamatan, other kelurahan
        ("lurah", OTHER_KEC_RW, 404),
        ("camat", STALE_RW, 200),
        ("camat", OTHER_KEC_RW, 404),
        ("other_camat", BUSY_RW, 404),
        ("analyst", OTHER_KEC_RW, 200),
        ("case_system", BUSY_RW, 403),
        ("admin", BUSY_RW, 403),
        ("lurah", "31.71.01.1001.099", 404),  # unknown: the same 404
    ],
)
def test_scope_is_enforced_and_audited(
    app_client: TestClient, world: Any, who: str, rw_code: str, status: int
) -> None:
    _post(app_client, world, 2, who="analyst")
    response = app_client.get(f"/v1/rw/{rw_code}/reviews", headers=world.headers(who))
    assert response.status_code == status, response.text
    if status == 404:
        assert response.json() == {"detail": f"RW {rw_code!r} was not found"}  # no hint which
    audit = app_client.get("/v1/audit", params={"page_size": 500}, headers=world.headers("admin"))
    rows = {(i["actor"], i["action"], i["target"], i["outcome"]) for i in audit.json()["items"]}
    outcome = {200: "ok", 403: "denied", 404: "not_found"}[status]
    assert (who, "rw.reviews.read", rw_code, outcome) in rows


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page_size": 0}, {"page_size": 101}, {"as_of": "2024-6"}],
)
def test_paging_parameters_are_bounded(app_client: TestClient, world: Any, params: dict[str, Any]) -> None:
    response = app_client.get(REVIEWS, params=params, headers=world.headers("lurah"))
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [f"query.{next(iter(params))}"]


def test_an_unpublished_month_is_404(app_client: TestClient, world: Any) -> None:
    response = app_client.get(REVIEWS, params={"as_of": "2023-01"}, headers=world.headers("lurah"))
    assert response.status_code == 404


def _tomorrow_plus(days: int) -> str:
    return (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("visit", ["0001-01-01", "1999-12-31", "future"])
def test_visit_dates_outside_the_range_are_422_naming_the_field(
    app_client: TestClient, world: Any, visit: str
) -> None:
    visit = _tomorrow_plus(2) if visit == "future" else visit
    body = {**_review(0), "visit_date": visit}
    response = app_client.post(REVIEWS, json=body, headers=world.headers("lurah"))
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["body.visit_date"]
    assert (
        f"visit_date {visit} is outside the allowed range 2000-01-01 to {_tomorrow_plus(1)}"
        in (errors[0]["message"])
    )
    assert app_client.get(REVIEWS, headers=world.headers("lurah")).json()["total"] == 0


@pytest.mark.parametrize("visit", ["2000-01-01", "today", "tomorrow"])
def test_visit_dates_at_the_edges_are_accepted(app_client: TestClient, world: Any, visit: str) -> None:
    visit = {"today": _tomorrow_plus(0), "tomorrow": _tomorrow_plus(1)}.get(visit, visit)
    body = {**_review(0), "visit_date": visit}
    response = app_client.post(REVIEWS, json=body, headers=world.headers("lurah"))
    assert response.status_code == 201, response.text
    assert response.json()["visit_date"] == visit
