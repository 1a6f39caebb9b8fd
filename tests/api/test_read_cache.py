"""Cached reads (GET /v1/rw, GET /v1/flags) never outlive the data they show.

Each "other process" below is a separate engine writing the database, as ``ews users
revoke``, ``ews publish`` or another ``ews serve --workers`` process would; every test
first checks the answer really is cached, so a cache that ignored the change would fail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_PAYLOAD, KEL_A, OTHER_KEC_RW, QUIET_RW, publish_world
from sqlalchemy import func, select, update

from ews.db.engine import Store
from ews.db.models import Account, AuditEntry
from ews.service.security import Caller, Role

REVIEW = {"outcome": "sudah_dicek_aman", "note": "Dicek, aman", "visit_date": "2024-06-04"}


def _caches(client: TestClient) -> Any:
    return client.app.state.caches  # type: ignore[attr-defined]


def _other_process(url: str) -> Store:
    """A store with its own engine and connections, like another command or worker."""
    return Store.open(url)


def test_second_read_is_served_from_the_cache(app_client: TestClient, world: Any) -> None:
    first = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst"))
    assert first.status_code == 200 and len(_caches(app_client).rw) == 1
    second = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst"))
    assert second.content == first.content
    assert second.headers["content-type"] == "application/json"
    flags = [app_client.get("/v1/flags", headers=world.headers("analyst")) for _ in range(2)]
    assert flags[0].content == flags[1].content and len(_caches(app_client).flags) == 1


def test_revoke_by_another_process_stops_a_cached_key_at_once(app_client: TestClient, world: Any) -> None:
    for path in (f"/v1/rw/{BUSY_RW}", "/v1/flags"):
        assert app_client.get(path, headers=world.headers("analyst")).status_code == 200
    assert len(_caches(app_client).rw) == 1
    other = _other_process(world.url)
    try:
        with other.session() as session:  # revoked_at set directly: no counter is bumped for it
            session.execute(
                update(Account).where(Account.name == "analyst").values(revoked_at=dt.datetime.now(dt.UTC))
            )
    finally:
        other.close()
    for path in (f"/v1/rw/{BUSY_RW}", "/v1/flags"):
        response = app_client.get(path, headers=world.headers("analyst"))
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Bearer")
    reopen = app_client.post("/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=world.headers("analyst"))
    assert reopen.status_code == 401


def test_review_shows_on_the_next_cached_read(app_client: TestClient, world: Any) -> None:
    before = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()
    assert before["reviews"] == [] and len(_caches(app_client).rw) == 1
    created = app_client.post(f"/v1/rw/{BUSY_RW}/reviews", json=REVIEW, headers=world.headers("lurah"))
    assert created.status_code == 201
    after = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()
    assert [r["note"] for r in after["reviews"]] == ["Dicek, aman"]


def test_review_written_by_another_process_shows_on_the_next_read(app_client: TestClient, world: Any) -> None:
    from ews.service.review_schemas import ReviewIn
    from ews.service.reviews import add_review

    assert app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("camat")).json()["reviews"] == []
    other = _other_process(world.url)
    try:
        with other.session() as session:  # no audit sink: the service commits its own audit row
            add_review(session, Caller("lurah", Role.LURAH, KEL_A), BUSY_RW, ReviewIn.model_validate(REVIEW))
    finally:
        other.close()
    after = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("camat")).json()
    assert [r["author"] for r in after["reviews"]] == ["lurah"]


def test_republishing_replaces_cached_answers(app_client: TestClient, world: Any) -> None:
    rw_before = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()
    flags_before = app_client.get("/v1/flags", headers=world.headers("analyst")).json()
    latest_before = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()
    assert latest_before == rw_before and len(_caches(app_client).flags) == 1
    publish_world(world.url, shift=0.05)  # its own engine, like `ews publish`
    rw_after = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()
    flags_after = app_client.get("/v1/flags", headers=world.headers("analyst")).json()
    assert rw_after["score"] == round(rw_before["score"] + 0.05, 4)
    assert [i["score"] for i in flags_after["items"]] == [
        round(i["score"] + 0.05, 4) for i in flags_before["items"]
    ]


def test_publishing_a_new_month_moves_the_default_month(app_client: TestClient, world: Any) -> None:
    assert app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()["as_of"] == "2024-06"
    publish_world(world.url, as_of="2024-07")
    assert app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()["as_of"] == "2024-07"
    assert app_client.get("/v1/flags", headers=world.headers("lurah")).json()["as_of"] == "2024-07"


def test_cached_answer_keeps_scope_privacy_and_audit(app_client: TestClient, world: Any) -> None:
    # The analyst's exact view is cached first; officials must still get "<3" and their own area only.
    analyst = app_client.get(f"/v1/rw/{QUIET_RW}", headers=world.headers("analyst")).json()
    assert analyst["cases"]["last_3_months"] == 1
    for _ in range(2):
        lurah = app_client.get(f"/v1/rw/{QUIET_RW}", headers=world.headers("lurah"))
        assert lurah.json()["cases"]["last_3_months"] == "<3"
    assert app_client.get(f"/v1/rw/{OTHER_KEC_RW}", headers=world.headers("other_camat")).status_code == 200
    hidden = app_client.get(f"/v1/rw/{OTHER_KEC_RW}", headers=world.headers("lurah"))  # a cached RW elsewhere
    assert hidden.status_code == 404
    unknown = app_client.get("/v1/rw/31.71.09.9999.001", headers=world.headers("lurah"))
    assert hidden.json()["detail"].replace(OTHER_KEC_RW, "x") == unknown.json()["detail"].replace(
        "31.71.09.9999.001", "x"
    )
    assert app_client.get(f"/v1/rw/{QUIET_RW}", headers=world.headers("case_system")).status_code == 403
    app_client.get("/v1/audit", headers=world.headers("admin"))  # flushes the audit sink
    store = _other_process(world.url)
    try:
        with store.session() as session:
            rows = session.execute(
                select(AuditEntry.actor, AuditEntry.target, AuditEntry.outcome, func.count())
                .where(AuditEntry.action == "rw.read")
                .group_by(AuditEntry.actor, AuditEntry.target, AuditEntry.outcome)
            ).all()
    finally:
        store.close()
    counts = {(actor, target, outcome): n for actor, target, outcome, n in rows}
    assert counts[("lurah", QUIET_RW, "ok")] == 2
    assert counts[("lurah", OTHER_KEC_RW, "not_found")] == 1
    assert counts[("case_system", QUIET_RW, "denied")] == 1
