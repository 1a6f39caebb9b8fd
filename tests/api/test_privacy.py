"""What lurah and camat receive: suppressed small counts, the official view, no victim or case identifiers."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from service_world import BUSY_RW, CASE_IDS, QUIET_RW, STALE_RW

from ews.app import create_app
from ews.config import ServeSettings


def test_small_counts_are_suppressed_for_officials_only(app_client: TestClient, world: Any) -> None:
    # QUIET_RW: 1 case in the last 3 and 12 months, 1 open (the reopened one); the June case is in the future.
    for who in ("lurah", "camat"):
        cases = app_client.get(f"/v1/rw/{QUIET_RW}", headers=world.headers(who)).json()["cases"]
        assert cases == {"last_3_months": "<3", "last_12_months": None, "open": None}, who
    exact = app_client.get(f"/v1/rw/{QUIET_RW}", headers=world.headers("analyst")).json()["cases"]
    assert exact == {"last_3_months": 1, "last_12_months": 1, "open": 1}


def test_counts_at_or_above_threshold_are_shown(app_client: TestClient, world: Any) -> None:
    # BUSY_RW: 4 cases reported 2024-03..05; two closed, so 2 open.
    cases = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()["cases"]
    assert cases == {"last_3_months": 4, "last_12_months": None, "open": None}
    exact = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()["cases"]
    assert exact == {"last_3_months": 4, "last_12_months": 4, "open": 2}


def test_threshold_comes_from_settings(world: Any) -> None:
    settings = ServeSettings(database_url=world.url, small_count_threshold=5)
    from fastapi.testclient import TestClient as Client

    from ews.service.live import no_models

    with Client(create_app(settings, model_loader=no_models)) as client:
        cases = client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("lurah")).json()["cases"]
    assert cases["last_3_months"] == "<5"


def test_officials_never_receive_case_or_victim_identifiers(app_client: TestClient, world: Any) -> None:
    for who, rw in (("lurah", BUSY_RW), ("camat", STALE_RW), ("camat", QUIET_RW)):
        texts = [
            app_client.get("/v1/flags", headers=world.headers(who)).text,
            app_client.get(f"/v1/rw/{rw}", headers=world.headers(who)).text,
        ]
        for text in texts:
            assert not any(case_id in text for case_id in CASE_IDS), who
            assert not [key for key in _keys(json.loads(text)) if "victim" in key], who


def _keys(value: Any) -> list[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return [*value, *(k for v in value.values() for k in _keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_stale_signals_show_in_freshness(app_client: TestClient, world: Any) -> None:
    # STALE_RW last reported 2024-02 (an empty 2024-04 row does not count): 3 months behind 2024-05.
    freshness = app_client.get(f"/v1/rw/{STALE_RW}", headers=world.headers("camat")).json()["freshness"]
    assert freshness == {
        "last_signal_month": "2024-02",
        "months_behind": 3,
        "stale_sources": [{"signal": "kontak_pos_pengaduan", "last_month": "2024-02", "months_behind": 3}],
    }


def test_officials_get_no_score_rank_or_contribution(app_client: TestClient, world: Any) -> None:
    # BUSY_RW is flagged: the official view keeps tier, flag and reasons, drops the numbers.
    for who in ("lurah", "camat"):
        detail = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers(who)).json()
        assert detail["view"] == "official" and detail["flagged"] is True, who
        assert (detail["score"], detail["rank"]) == (None, None), who
        assert all(f["contribution"] is None for f in detail["factors"]), who
        assert detail["factors"][-1]["feature"] == "riwayat_kasus", who
        assert all(p["score"] is None and p["tier"] for p in detail["trend"]), who
        items = app_client.get("/v1/flags", headers=world.headers(who)).json()["items"]
        assert items and all(i["score"] is None and i["rank"] is None for i in items), who
    full = app_client.get(f"/v1/rw/{BUSY_RW}", headers=world.headers("analyst")).json()
    assert full["view"] == "full" and full["score"] > 0 and full["rank"] >= 1
    assert any(p["score"] is not None for p in full["trend"])


def test_unflagged_rw_shows_officials_no_reasons_or_trend(app_client: TestClient, world: Any) -> None:
    detail = app_client.get(f"/v1/rw/{STALE_RW}", headers=world.headers("camat")).json()
    assert detail["flagged"] is False and detail["view"] == "official"
    assert (detail["factors"], detail["trend"]) == ([], [])
    full = app_client.get(f"/v1/rw/{STALE_RW}", headers=world.headers("analyst")).json()
    assert full["factors"] and full["trend"]
