"""The live score route's fast path (plain requests skip FastAPI's solving) answers exactly as FastAPI does.

Every request below is sent twice to one app: once as it is, once with the fast path switched
off, and the two answers (status, body bytes, auth challenge) and audit rows must be equal.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import CASE_PAYLOAD
from sqlalchemy import select

from ews.api.routes import cases as cases_route
from ews.db.models import AuditEntry

URL = "/v1/cases/reopen-risk"
JSON = "application/json"
GOOD = json.dumps(CASE_PAYLOAD).encode()
BODIES: dict[str, bytes] = {
    "good": GOOD,
    "bad json": GOOD[:-3],
    "empty": b"",
    "list": b"[1, 2]",
    "not utf-8": b'{"case_id": "\xff"}',
    "missing field": json.dumps({k: v for k, v in CASE_PAYLOAD.items() if k != "channel"}).encode(),
    "extra field": json.dumps({**CASE_PAYLOAD, "nik": "3171"}).encode(),
    "event before report": json.dumps(
        {**CASE_PAYLOAD, "events": [{"event": "closed", "at": "2020-01-01"}]}
    ).encode(),
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "count out of range": json.dumps({**CASE_PAYLOAD, "victim_earlier_cases": 1e30}).encode(),
    "rw count out of range": json.dumps(
        {**CASE_PAYLOAD, "rw_context": {"cases_90d": 1, "cases_365d": 100_001, "reopened_365d": 0}}
    ).encode(),
    "date out of range": json.dumps({**CASE_PAYLOAD, "reported_at": "1999-12-31"}).encode(),
    "events not alternating": json.dumps(
        {
            **CASE_PAYLOAD,
            "events": [{"event": "closed", "at": "2024-02-01"}, {"event": "closed", "at": "2024-03-01"}],
        }
    ).encode(),
    "clipped": json.dumps({**CASE_PAYLOAD, "victim_earlier_cases": 1000}).encode(),
    # Lax values: the fast path parses with pydantic's JSON parser, FastAPI with json.loads.
    "numeric strings": json.dumps({**CASE_PAYLOAD, "victim_earlier_cases": "2", "victim_age": "31"}).encode(),
    "whole floats": json.dumps({**CASE_PAYLOAD, "victim_earlier_cases": 2.0, "victim_age": 3.1e1}).encode(),
    "fractional count": json.dumps({**CASE_PAYLOAD, "victim_earlier_cases": 1.5}).encode(),
    "timestamp date": json.dumps({**CASE_PAYLOAD, "reported_at": 1706745600}).encode(),
    "datetime date": json.dumps({**CASE_PAYLOAD, "reported_at": "2024-02-01T00:00:00Z"}).encode(),
    "duplicate key": GOOD[:-1] + b', "victim_earlier_cases": 3}',
    "nan": GOOD[:-1] + b', "victim_age": NaN}',
    "lone surrogate": GOOD[:-1] + b', "rw_code": "a\\ud800"}',
    "utf-16": json.dumps(CASE_PAYLOAD).encode("utf-16"),
}
QUERIES = [
    "",
    "?as_of=2024-04",
    "?as_of=2025-06",  # well formed, but the case is no longer recently closed: 422 from the scorer
    "?as_of=2024-4",
    "?as_of=2024-04&as_of=2024-05",
    "?as_of=%D9%A2%D9%A0%D9%A2%D9%A4-%D9%A0%D9%A4",  # Arabic-Indic digits
    "?as_of=2024-04%0A",
    "?as_of=",
    "?page=2",
]
CONTENT_TYPES = [JSON, "application/json; charset=utf-8", "text/plain", None]


def _send(client: TestClient, world: Any, who: str | None, query: str, body: bytes, kind: str | None) -> Any:
    headers = (
        {}
        if who is None
        else dict(world.headers(who))
        if who != "bad key"
        else {"Authorization": "Bearer nope"}
    )
    if kind is not None:
        headers["Content-Type"] = kind
    response = client.post(URL + query, content=body, headers=headers)
    audit = client.app.state.audit  # type: ignore[attr-defined]
    assert audit.flush()
    with client.app.state.store.session() as session:  # type: ignore[attr-defined]
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        row = (
            None if last is None else (last.id, last.actor, last.role, last.action, last.target, last.outcome)
        )
    return response.status_code, response.content, response.headers.get("www-authenticate"), row


def _both(client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch, *request: Any) -> tuple[Any, Any]:
    fast = _send(client, world, *request)
    with monkeypatch.context() as patch:
        patch.setattr(cases_route, "plain_case", lambda _request, _body: None)
        solved = _send(client, world, *request)
    return fast, solved


def _same(fast: Any, solved: Any) -> None:
    status, body, challenge, row = fast
    assert (status, body, challenge) == solved[:3]
    if row != solved[3]:  # a new audit row on each side: equal but for its id
        assert row is not None and solved[3] is not None and row[1:] == solved[3][1:]


@pytest.mark.parametrize("name", list(BODIES))
@pytest.mark.parametrize("kind", CONTENT_TYPES)
def test_bodies_and_content_types(
    app_client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch, name: str, kind: str | None
) -> None:
    _same(*_both(app_client, world, monkeypatch, "analyst", "", BODIES[name], kind))


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("who", ["analyst", "case_system", "lurah", "bad key", None])
def test_callers_and_months(
    app_client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch, who: str | None, query: str
) -> None:
    for body in (GOOD, BODIES["missing field"]):
        _same(*_both(app_client, world, monkeypatch, who, query, body, JSON))


def test_plain_requests_take_the_fast_path(
    app_client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    plain = cases_route.plain_case
    monkeypatch.setattr(cases_route, "plain_case", lambda r, b: seen.append(plain(r, b)) or seen[-1])
    assert _send(app_client, world, "analyst", "?as_of=2024-04", GOOD, JSON)[0] == 200
    assert _send(app_client, world, "analyst", "", BODIES["missing field"], JSON)[0] == 422
    assert [s is not None for s in seen] == [True, False]
