"""Freshness names each signal source that fell behind, even while the RW's other sources continue."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import service_world as sw
from fastapi.testclient import TestClient
from sqlalchemy import update

from ews.db.bundle import build_bundle
from ews.db.engine import Store
from ews.db.models import RwScore
from ews.db.publish import publish
from ews.months import parse_month


def _republish_with_lapsed_sources(url: str) -> None:
    # BUSY_RW keeps sending complaint-post contacts through 2024-05, but its cadre reports stop
    # after 2024-01 and a source nobody named (an unknown column) after 2023-12.
    folder = sw.folder()
    busy = (folder.signals["rw_code"] == sw.BUSY_RW).to_numpy()
    early = folder.signals["month"].to_numpy() <= parse_month("2024-01")
    signals = folder.signals.assign(
        laporan_kader_rw=np.where(busy & early, 1.0, np.nan), posyandu_baru=np.nan
    )
    december = pd.DataFrame(
        {"rw_code": pd.Series([sw.BUSY_RW], dtype="string"), "month": [parse_month("2023-12")]}
    ).assign(kontak_pos_pengaduan=np.nan, laporan_kader_rw=np.nan, posyandu_baru=4.0)
    columns = (*folder.signal_columns, "laporan_kader_rw", "posyandu_baru")
    lapsed = replace(
        folder, signals=pd.concat([signals, december], ignore_index=True), signal_columns=columns
    )
    bundle = build_bundle(lapsed, sw.AS_OF, sw.rw_scores(), sw.case_scores(), {}, {}, ("rw v2", "reopen v1"))
    store = Store.open(url)
    try:
        with store.session() as session:
            publish(session, bundle)
    finally:
        store.close()


def _freshness(client: TestClient, world: Any, rw_code: str) -> dict[str, Any]:
    response = client.get(f"/v1/rw/{rw_code}", headers=world.headers("lurah"))
    assert response.status_code == 200
    freshness: dict[str, Any] = response.json()["freshness"]
    return freshness


def test_a_lapsed_source_is_named_while_the_others_continue(app_client: TestClient, world: Any) -> None:
    before = _freshness(app_client, world, sw.BUSY_RW)
    assert before == {"last_signal_month": "2024-05", "months_behind": 0, "stale_sources": []}
    # A republish bumps the publications generation, so the cached body is not served again.
    _republish_with_lapsed_sources(world.url)
    after = _freshness(app_client, world, sw.BUSY_RW)
    assert after["last_signal_month"] == "2024-05" and after["months_behind"] == 0
    assert after["stale_sources"] == [
        {"signal": "posyandu_baru", "last_month": "2023-12", "months_behind": 5},
        {"signal": "laporan_kader_rw", "last_month": "2024-01", "months_behind": 4},
    ]


def test_rows_published_before_stale_sources_existed_show_none(app_client: TestClient, world: Any) -> None:
    store = Store.open(world.url)
    try:
        with store.session() as session:
            session.execute(update(RwScore).values(stale_sources=None))
    finally:
        store.close()
    freshness = _freshness(app_client, world, sw.BUSY_RW)
    assert freshness["stale_sources"] == [] and freshness["last_signal_month"] == "2024-05"


def test_openapi_documents_stale_sources(app_client: TestClient) -> None:
    schemas = app_client.get("/v1/openapi.json").json()["components"]["schemas"]
    stale = schemas["Freshness"]["properties"]["stale_sources"]
    assert stale["items"] == {"$ref": "#/components/schemas/StaleSource"}
    assert "24 months" in stale["description"] and stale["examples"]
    assert set(schemas["StaleSource"]["required"]) == {"signal", "last_month", "months_behind"}
