"""Live case scores and model reload: the served model is the loaded one, swapped whole on reload."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import CASE_PAYLOAD, live_models

from ews.app import create_app
from ews.config import ServeSettings
from ews.features.cases_payload import CasePayload
from ews.service.live import LiveModels, no_models


def test_live_score_is_the_models_score(app_client: TestClient, world: Any, reopen_scorer: Any) -> None:
    response = app_client.post(
        "/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=world.headers("case_system")
    )
    assert response.status_code == 200
    body = response.json()
    direct = reopen_scorer.score(CasePayload.model_validate(CASE_PAYLOAD))
    assert body["score"] == pytest.approx(direct.score)
    assert (body["tier"], body["as_of"]) == (direct.tier, "2024-04")
    assert [f["feature"] for f in body["factors"]] == [f.feature for f in direct.factors]
    assert body["model"]["version"] == "1"


def test_bad_payloads_are_422(app_client: TestClient, world: Any) -> None:
    headers = world.headers("case_system")
    early = {**CASE_PAYLOAD, "events": [{"event": "closed", "at": "2023-12-01"}]}
    assert app_client.post("/v1/cases/reopen-risk", json=early, headers=headers).status_code == 422
    # Closed 2024-03-01: no longer "recently closed" (180 days) as of 2025-06.
    late = app_client.post("/v1/cases/reopen-risk?as_of=2025-06", json=CASE_PAYLOAD, headers=headers)
    assert late.status_code == 422
    missing = {k: v for k, v in CASE_PAYLOAD.items() if k != "channel"}
    response = app_client.post("/v1/cases/reopen-risk", json=missing, headers=headers)
    assert [e["field"] for e in response.json()["errors"]] == ["body.channel"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"victim_earlier_cases": 1001}, "body.victim_earlier_cases", "from 0 to 1000"),
        ({"victim_earlier_cases": 1e30}, "body.victim_earlier_cases", "from 0 to 1000"),
        ({"victim_age": 130}, "body.victim_age", "from 0 to 120"),
        (
            {"rw_context": {"cases_90d": 1, "cases_365d": 10**9, "reopened_365d": 0}},
            "body.rw_context.cases_365d",
            "from 0 to 100000",
        ),
        ({"reported_at": "1990-01-10"}, "body.reported_at", "from 2000-01-01 to"),
        ({"events": [{"event": "closed", "at": "2150-03-01"}]}, "body.events.0.at", "from 2000-01-01 to"),
        (
            {"events": [{"event": "closed", "at": "2024-02-01"}, {"event": "closed", "at": "2024-03-01"}]},
            "body.events",
            "already closed",
        ),
        ({"events": [{"event": "closed", "at": "2024-03-01"}] * 101}, "body.events", "at most 100 items"),
        ({"case_id": "K" * 200}, "body.case_id", "at most 128 characters"),
    ],
)
def test_out_of_range_payloads_are_422_naming_the_field_and_range(
    app_client: TestClient, world: Any, changes: dict[str, Any], field: str, words: str
) -> None:
    body = {**CASE_PAYLOAD, **changes}
    response = app_client.post("/v1/cases/reopen-risk", json=body, headers=world.headers("case_system"))
    assert response.status_code == 422
    answer = response.json()
    assert [e["field"] for e in answer["errors"]] == [field]
    assert words in answer["errors"][0]["message"]
    assert field in answer["detail"]


def test_features_outside_the_training_range_are_named_in_the_response(
    app_client: TestClient, world: Any, reopen_scorer: Any
) -> None:
    headers = world.headers("case_system")
    # The fixture model saw standard-normal features: 0 earlier cases is inside its range, 1000 is not.
    inside = app_client.post("/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=headers).json()
    assert "victim_earlier_cases" not in inside["clipped"]
    body = {**CASE_PAYLOAD, "victim_earlier_cases": 1000}
    outside = app_client.post("/v1/cases/reopen-risk", json=body, headers=headers).json()
    assert "victim_earlier_cases" in outside["clipped"]
    assert outside["clipped"] == reopen_scorer.score(CasePayload.model_validate(body)).clipped


def test_without_a_model_live_scores_are_503(world: Any) -> None:
    with TestClient(create_app(ServeSettings(database_url=world.url), model_loader=no_models)) as client:
        response = client.post(
            "/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=world.headers("case_system")
        )
        assert response.status_code == 503
        assert client.get("/v1/flags", headers=world.headers("analyst")).status_code == 200


def test_reload_swaps_models_without_blocking_requests(world: Any, reopen_scorer: Any) -> None:
    loads: list[LiveModels] = []
    release = threading.Event()

    def loader(_settings: ServeSettings) -> LiveModels:
        if loads:  # every reload after start-up waits until the test lets it finish
            assert release.wait(timeout=30)
        loads.append(live_models(reopen_scorer, version=str(len(loads) + 1)))
        return loads[-1]

    def version(client: TestClient) -> str:
        response = client.post("/v1/cases/reopen-risk", json=CASE_PAYLOAD, headers=world.headers("analyst"))
        return str(response.json()["model"]["version"])

    with TestClient(create_app(ServeSettings(database_url=world.url), model_loader=loader)) as client:
        results: list[int] = []
        admin = world.headers("admin")
        reload = threading.Thread(
            target=lambda: results.append(client.post("/v1/admin/reload", headers=admin).status_code)
        )
        reload.start()
        assert version(client) == "1"  # served by the old model while the new one loads
        release.set()
        reload.join(timeout=30)
        assert results == [200]
        assert version(client) == "2"
        assert client.get("/v1/models", headers=admin).json()["live"][0]["version"] == "2"
