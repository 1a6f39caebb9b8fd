"""Reason codes to lurah and camat: signal reasons only, the case history as one line (the official view)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import AS_OF, BUSY_RW, case_scores, folder, rw_scores

from ews.app import create_app
from ews.config import ServeSettings
from ews.features.describe import describe
from ews.service.live import no_models

# (feature, value): an RW count of 1, a neighbour count of 0, a kelurahan count of 4, a repeat-victim count
# of 2, a signal statistic of 0.5 (not a count: always shown), the last case 2 months ago, and two case
# rates from which a count could be worked back (kelurahan per 1,000; the RW's long-run rate).
FACTORS = [
    ("cases_3m", 1.0),
    ("nbr_cases_12m", 0.0),
    ("kel_cases_12m", 4.0),
    ("repeat_cases_12m", 2.0),
    ("signal__kontak_pos_pengaduan__ratio_3_12", 0.5),
    ("months_since_case", 2.0),
    ("kel_cases_12m_per_1000", 0.07),
    ("log_case_rate_longrun", -1.5),
]


def _factor_json(_rank: int) -> str:
    items = []
    for i, (feature, value) in enumerate(FACTORS):
        text, text_en = describe(feature, value)  # as `ews publish` stores them (threshold 3)
        items.append({"feature": feature, "value": value, "contribution": 0.3 - 0.05 * i, "text": text,
                      "text_en": text_en})  # fmt: skip
    return json.dumps(items, ensure_ascii=False)


@pytest.fixture
def counted(world: Any) -> Any:
    """The service world re-published with count reason codes on every RW."""
    from ews.db.bundle import build_bundle
    from ews.db.engine import Store
    from ews.db.publish import publish

    scores = rw_scores()
    scores["top_factors"] = [_factor_json(r) for r in scores["rank"]]
    bundle = build_bundle(folder(), AS_OF, scores, case_scores(), {}, {}, ("rw v1", "reopen v1"))
    store = Store.open(world.url)
    try:
        with store.session() as session:
            publish(session, bundle)
    finally:
        store.close()
    return world


def _get(world: Any, who: str, path: str, threshold: int = 3) -> Any:
    settings = ServeSettings(database_url=world.url, small_count_threshold=threshold)
    with TestClient(create_app(settings, model_loader=no_models)) as client:
        return client.get(path, headers=world.headers(who)).json()


@pytest.mark.parametrize("who", ["lurah", "camat"])
def test_officials_receive_no_case_derived_factor(counted: Any, who: str) -> None:
    # Counts, timing and rates all fold into one line without a direction or value.
    factors = _get(counted, who, f"/v1/rw/{BUSY_RW}")["factors"]
    assert [f["feature"] for f in factors] == ["signal__kontak_pos_pengaduan__ratio_3_12", "riwayat_kasus"]
    signal, history = factors
    assert (signal["value"], signal["value_text"], signal["contribution"]) == (0.5, None, None)
    assert (history["value"], history["value_text"], history["contribution"]) == (None, "-", None)
    assert "tidak ditampilkan" in history["text"] and "withheld" in history["text_en"]


def test_a_factor_that_lowered_the_score_is_not_shown_to_officials(counted: Any) -> None:
    # Its direction would say how the hidden case factors compare; only raising signals are listed.
    from ews.service.official import official_factors
    from ews.service.schemas import FactorOut

    down = FactorOut(feature="signal__x__last", value=1.0, contribution=-0.2, text="x")
    up = FactorOut(feature="region__y", value=2.0, contribution=0.1, text="y")
    shown = official_factors([down, up], flagged=True)
    assert [f.feature for f in shown] == ["region__y", "riwayat_kasus"]
    assert official_factors([down, up], flagged=False) == []


@pytest.mark.parametrize("who", ["analyst"])
def test_analysts_see_exact_values(counted: Any, who: str) -> None:
    factors = {f["feature"]: f for f in _get(counted, who, f"/v1/rw/{BUSY_RW}")["factors"]}
    assert [factors[f]["value"] for f, _ in FACTORS] == [v for _, v in FACTORS]
    assert all(factors[f]["value_text"] is None for f, _ in FACTORS)


def test_the_serving_threshold_rewrites_stored_sentences() -> None:
    # Defence in depth under the official view: stored with threshold 3, the kelurahan count 4 reads
    # ": 4"; suppressed with threshold 5 for an official it must not.
    from ews.service.privacy import shown_factors
    from ews.service.schemas import FactorOut
    from ews.service.security import Caller, Role

    text, text_en = describe("kel_cases_12m", 4.0)
    stored = FactorOut(feature="kel_cases_12m", value=4.0, contribution=0.2, text=text, text_en=text_en)
    (kel,) = shown_factors([stored], Caller("l", Role.LURAH, "31.71.01.1001"), 5)
    assert (kel.value, kel.value_text) == (None, "<5")
    assert kel.text.endswith(": <5") and "4" not in kel.text.replace("12", "")
    (exact,) = shown_factors([stored], Caller("a", Role.ANALYST), 5)
    assert exact == stored


def test_the_flag_lists_main_reason_is_a_signal_for_officials(counted: Any) -> None:
    # The stored first reason is the RW count; officials get the first signal that raised the score.
    signal_text = describe("signal__kontak_pos_pengaduan__ratio_3_12", 0.5)[0]
    for who in ("lurah", "camat"):
        items = _get(counted, who, "/v1/flags")["items"]
        assert items and all(item["top_factor"] == signal_text for item in items), who
    items = _get(counted, "analyst", "/v1/flags")["items"]
    assert items and all(item["top_factor"].endswith(": <3") for item in items)
