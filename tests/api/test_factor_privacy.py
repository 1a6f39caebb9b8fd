"""Reason codes to lurah and camat: a small case count is withheld as value null + value_text "<3"."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_world import AS_OF, BUSY_RW, case_scores, folder, rw_scores

from ews.api.app import create_app
from ews.api.live import no_models
from ews.config import ServeSettings
from ews.features.describe import describe

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
def test_officials_never_receive_a_small_count_value(counted: Any, who: str) -> None:
    factors = {f["feature"]: f for f in _get(counted, who, f"/v1/rw/{BUSY_RW}")["factors"]}
    for feature in ("cases_3m", "nbr_cases_12m", "repeat_cases_12m"):
        assert (factors[feature]["value"], factors[feature]["value_text"]) == (None, "<3"), feature
        assert factors[feature]["text"].endswith(": <3") and factors[feature]["text_en"].endswith(": <3")
    assert factors["cases_3m"]["text"] == "Kasus yang dilaporkan dari RW ini dalam 3 bulan terakhir: <3"
    assert (factors["kel_cases_12m"]["value"], factors["kel_cases_12m"]["value_text"]) == (4.0, None)
    assert factors["kel_cases_12m"]["text"].endswith(": 4")
    signal = factors["signal__kontak_pos_pengaduan__ratio_3_12"]
    assert (signal["value"], signal["value_text"]) == (0.5, None)


@pytest.mark.parametrize("who", ["lurah", "camat"])
def test_officials_never_learn_when_the_last_case_was(counted: Any, who: str) -> None:
    timing = {f["feature"]: f for f in _get(counted, who, f"/v1/rw/{BUSY_RW}")["factors"]}[
        "months_since_case"
    ]
    assert timing["value"] is None
    assert "2" not in timing["text"] and "2" not in timing["text_en"]
    assert "tidak ditampilkan" in timing["text"]


@pytest.mark.parametrize("who", ["lurah", "camat"])
def test_officials_never_receive_a_case_rate(counted: Any, who: str) -> None:
    # 0.07 per 1,000 in a kelurahan of 43,000 people is 3 cases; exp(-1.5) * 12 is 2.7 a year.
    factors = {f["feature"]: f for f in _get(counted, who, f"/v1/rw/{BUSY_RW}")["factors"]}
    for feature, stored in (("kel_cases_12m_per_1000", "0,07"), ("log_case_rate_longrun", "2,7")):
        rate = factors[feature]
        assert (rate["value"], rate["value_text"]) == (None, "-"), feature
        assert "tidak ditampilkan" in rate["text"] and "withheld" in rate["text_en"]
        assert stored not in rate["text"] and stored.replace(",", ".") not in rate["text_en"]
        assert rate["contribution"] != 0  # the official still learns that the rate mattered


@pytest.mark.parametrize("who", ["analyst"])
def test_analysts_see_exact_values(counted: Any, who: str) -> None:
    factors = {f["feature"]: f for f in _get(counted, who, f"/v1/rw/{BUSY_RW}")["factors"]}
    assert [factors[f]["value"] for f, _ in FACTORS] == [v for _, v in FACTORS]
    assert all(factors[f]["value_text"] is None for f, _ in FACTORS)


def test_the_serving_threshold_rewrites_stored_sentences(counted: Any) -> None:
    # Stored with threshold 3, the kelurahan count 4 reads ": 4"; served with threshold 5 it must not.
    factors = {f["feature"]: f for f in _get(counted, "lurah", f"/v1/rw/{BUSY_RW}", threshold=5)["factors"]}
    kel = factors["kel_cases_12m"]
    assert (kel["value"], kel["value_text"]) == (None, "<5")
    assert kel["text"].endswith(": <5") and "4" not in kel["text"].replace("12", "")


def test_the_flag_lists_main_reason_is_withheld_too(counted: Any) -> None:
    # The main reason is the RW count of 1: "<3" to officials, the stored sentence (also "<3") to analysts.
    for who in ("lurah", "camat", "analyst"):
        items = _get(counted, who, "/v1/flags")["items"]
        assert items and all(item["top_factor"].endswith(": <3") for item in items), who
    items = _get(counted, "camat", "/v1/flags", threshold=2)["items"]
    assert all(item["top_factor"].endswith(": <2") for item in items)
