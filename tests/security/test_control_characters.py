"""Finding 2 of issue 12: a NUL byte in an audited string erased audit rows on PostgreSQL.

Control characters are refused at the edge (422 naming the field) before anything is audited
or stored, and the audit writer never drops a batch because of one row it cannot store.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_PAYLOAD
from sqlalchemy import select

from ews.api.auditsink import AuditSink
from ews.db.engine import Store
from ews.db.models import AuditEntry

REVIEW = {"outcome": "sudah_dicek_aman", "note": "", "visit_date": "2024-06-04"}
SECRET = "korban-rahasia"


def _audit(client: TestClient, world: Any) -> list[dict[str, Any]]:
    response = client.get("/v1/audit", params={"page_size": 500}, headers=world.headers("admin"))
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"] == f"the request has 1 invalid field(s): {field}"
    assert [e["field"] for e in body["errors"]] == [field]
    assert "control character U+" in body["errors"][0]["message"]


@pytest.mark.parametrize("who", ["lurah", "admin"])
@pytest.mark.parametrize("bad", ["\x00", "a\x1bb", "\x7f"])
def test_control_characters_in_a_query_are_refused_and_earlier_reads_stay_audited(
    app_client: TestClient, world: Any, who: str, bad: str
) -> None:
    app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers(who))
    _refused(app_client.get("/v1/audit", params={"actor": bad}, headers=world.headers(who)), "query.actor")
    _refused(app_client.get("/v1/audit", params={"action": bad}, headers=world.headers(who)), "query.action")
    rows = _audit(app_client, world)
    assert any(r["actor"] == who and r["action"] == "rw.read" for r in rows)
    assert not any(bad in str(r) for r in rows)


def test_a_nul_in_a_review_note_is_refused_and_nothing_is_stored(
    app_client: TestClient, world: Any, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"/v1/rw/{BUSY_RW}/reviews"
    with caplog.at_level(logging.INFO):
        response = app_client.post(
            url, json={**REVIEW, "note": f"{SECRET}\x00"}, headers=world.headers("lurah")
        )
    _refused(response, "body.note")
    assert SECRET not in caplog.text
    assert app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()["reviews"] == []
    # Tab, line feed and carriage return are ordinary in a note.
    ok = app_client.post(url, json={**REVIEW, "note": "baris 1\r\nbaris\t2"}, headers=world.headers("lurah"))
    assert ok.status_code == 201, ok.text
    assert ok.json()["note"] == "baris 1\r\nbaris\t2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"case_id": "K-1\x00"}, "body.case_id"),
        ({"channel": "hot\x0bline"}, "body.channel"),
        ({"rw_code": "\x00"}, "body.rw_code"),
        ({"place": "ru\x7fmah"}, "body.place"),
    ],
)
def test_control_characters_in_a_case_payload_are_refused_before_the_audit(
    app_client: TestClient, world: Any, changes: dict[str, Any], field: str
) -> None:
    response = app_client.post(
        "/v1/cases/reopen-risk", json={**CASE_PAYLOAD, **changes}, headers=world.headers("case_system")
    )
    _refused(response, field)
    assert not any(r["action"] == "cases.score" for r in _audit(app_client, world))


def test_one_unstorable_row_does_not_drop_the_batch(database_url: str) -> None:
    """The last guard: the sink writes a row the database refuses (NUL on PostgreSQL) with its
    control characters replaced, and every other row of the batch."""
    store = Store.open(database_url)
    sink = AuditSink(store.engine, interval=5.0)
    sink.record("lurah", "lurah", "rw.read", "31.71.01.1001.001")
    sink.record("lurah\x00", "lurah", "audit.read", "actor=\x00", "denied")
    sink.record("camat", "camat", "rw.read", "x" * 500)
    sink.close()
    with store.session() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    store.close()
    # SQLite stores a NUL as it is; PostgreSQL refuses it, so the sink replaces it.
    nul = "\x00" if database_url.startswith("sqlite") else "\ufffd"
    assert [(r.actor, r.action, r.target[:12]) for r in rows] == [
        ("lurah", "rw.read", "31.71.01.100"),
        (f"lurah{nul}", "audit.read", f"actor={nul}"),
        ("camat", "rw.read", "x" * 12),
    ]


def test_the_dashboard_check_form_names_a_control_character_in_indonesian() -> None:
    from pydantic import ValidationError

    from ews.service.review_schemas import ReviewIn
    from ews.web.detail import CONTROL_MESSAGE, form_errors

    with pytest.raises(ValidationError) as caught:
        ReviewIn.model_validate({**REVIEW, "note": "a\x00b"})
    assert form_errors(caught.value) == [CONTROL_MESSAGE]
