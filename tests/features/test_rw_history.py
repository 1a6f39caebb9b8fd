"""Past-case features on a hand-built folder: windows, categories, repeats, recency, pooling."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ews.data.folder import DataFolder
from ews.data.schema import VIOLENCE_TYPES
from ews.exceptions import TimeRuleError
from ews.features.rw import build_rw_features, rw_feature_columns
from ews.months import parse_month as pm

A1, A2 = "31.71.01.1001.001", "31.71.01.1001.002"
B1 = "31.71.01.1002.001"
C1 = "31.71.02.1001.001"


@pytest.fixture
def folder(folder_factory: Any, rows: Any) -> DataFolder:
    cases = [
        rows.case("x", A1, "2023-01-15"),
        rows.case("r1", A1, "2023-06-30", victim_key="v1"),
        rows.case("r2", A1, "2023-07-01", victim_key="v1"),
        rows.case("p", A1, "2024-01-31", violence_type="psikis", victim_group="anak_perempuan"),
        rows.case("edge", A1, "2024-02-01"),
        rows.case("r3", A2, "2024-01-10", victim_key="v1", violence_type="siber"),
        rows.case("c", C1, "2024-01-20"),
    ]
    events = [
        {"case_id": "x", "event": "closed", "at": "2023-02-10"},
        {"case_id": "x", "event": "reopened", "at": "2024-01-05"},
        {"case_id": "x", "event": "closed", "at": "2024-02-15"},
        {"case_id": "r1", "event": "closed", "at": "2023-07-01"},
        {"case_id": "r2", "event": "closed", "at": "2023-08-01"},
        {"case_id": "p", "event": "closed", "at": "2024-03-03"},
        {"case_id": "edge", "event": "closed", "at": "2024-02-20"},
    ]
    regions = [rows.region(A1), rows.region(A2), rows.region(B1), rows.region(C1, population=2000)]
    return folder_factory(regions, cases=cases, events=events)


def at(frame: pd.DataFrame, month: str, rw: str) -> pd.Series:
    return frame.loc[(pm(month), rw)]


def test_case_windows_count_by_report_month_before_the_as_of(folder: DataFolder) -> None:
    row = at(build_rw_features(folder, [pm("2024-02")]), "2024-02", A1)
    # The case reported on 2024-02-01 is not known as of 2024-02.
    assert [row[f"cases_{w}m"] for w in (1, 3, 6, 12, 24)] == [1, 1, 1, 3, 4]
    later = at(build_rw_features(folder, [pm("2024-03")]), "2024-03", A1)
    assert later["cases_1m"] == 1


def test_category_counts_keep_unknown_categories_in_the_total_only(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02")])
    a1, a2 = at(features, "2024-02", A1), at(features, "2024-02", A2)
    assert (a1["cases_12m_fisik"], a1["cases_12m_psikis"], a1["cases_12m_anak_perempuan"]) == (2, 1, 1)
    assert a1["cases_12m_perempuan_dewasa"] == 2
    # A2's one case is of a type the contract does not list yet ("siber").
    assert a2["cases_12m"] == 1
    assert sum(a2[f"cases_12m_{t}"] for t in VIOLENCE_TYPES) == 0


def test_repeat_victims_count_across_rws(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02")])
    assert at(features, "2024-02", A1)["repeat_cases_12m"] == 1
    assert at(features, "2024-02", A2)["repeat_cases_12m"] == 1
    assert at(features, "2024-02", C1)["repeat_cases_24m"] == 0


def test_months_since_case_counts_from_the_report_month_and_is_capped(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02"), pm("2024-04")])
    assert at(features, "2024-02", A1)["months_since_case"] == 1
    assert at(features, "2024-04", A1)["months_since_case"] == 2
    assert at(features, "2024-04", B1)["months_since_case"] == 36


def test_open_cases_follow_close_and_reopen_events(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2023-03"), pm("2024-02"), pm("2024-03"), pm("2024-04")])
    # 2023-03: x closed; 2024-02: x reopened and p open; 2024-03: x, edge closed; 2024-04: p closed.
    assert [at(features, m, A1)["open_cases"] for m in ("2023-03", "2024-02", "2024-03", "2024-04")] == [
        0,
        2,
        1,
        0,
    ]
    assert at(features, "2024-02", A1)["reopened_12m"] == 1


def test_kelurahan_and_kecamatan_totals_pool_their_rws(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02")])
    for rw in (A1, A2):
        assert at(features, "2024-02", rw)["kel_cases_12m"] == 4
    assert at(features, "2024-02", B1)["kel_cases_12m"] == 0
    assert at(features, "2024-02", B1)["kec_cases_12m"] == 4
    assert at(features, "2024-02", C1)["kec_cases_12m"] == 1
    assert at(features, "2024-02", A1)["kel_cases_12m_per_1000"] == pytest.approx(4 * 1000 / 2000)


def test_one_row_per_rw_and_as_of_in_a_fixed_order(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-03"), pm("2024-02"), pm("2024-03")])
    assert list(features.index.names) == ["as_of", "rw_code"]
    expected = [(m, rw) for m in (pm("2024-02"), pm("2024-03")) for rw in (A1, A2, B1, C1)]
    assert list(features.index) == expected
    assert list(features.columns) == rw_feature_columns(folder)
    assert (features.dtypes == np.float64).all()


def test_static_and_calendar_features(folder_factory: Any, rows: Any) -> None:
    regions = [rows.region(A1, kumuh=1, population=999, area_km2=0.25), rows.region(A2, kumuh="")]
    folder = folder_factory(regions)
    features = build_rw_features(folder, [pm("2024-01"), pm("2024-07")])
    assert at(features, "2024-01", A1)["region__kumuh"] == 1
    assert np.isnan(at(features, "2024-01", A2)["region__kumuh"])
    assert at(features, "2024-01", A1)["log_population"] == pytest.approx(np.log1p(999))
    assert at(features, "2024-01", A1)["log_density"] == pytest.approx(np.log1p(999 / 0.25))
    # January and July sit opposite on the yearly circle.
    assert at(features, "2024-01", A1)["month_cos"] == pytest.approx(1.0)
    assert at(features, "2024-07", A1)["month_cos"] == pytest.approx(-1.0)


def test_no_as_of_gives_an_empty_matrix_with_the_columns(folder: DataFolder) -> None:
    features = build_rw_features(folder, [])
    assert features.empty and list(features.columns) == rw_feature_columns(folder)


@pytest.mark.parametrize("bad", ["2024-02", 24289.5, True])
def test_as_of_must_be_a_month_index(folder: DataFolder, bad: Any) -> None:
    with pytest.raises(TimeRuleError, match="not a month index"):
        build_rw_features(folder, [bad])
