"""Case features: numeric category encoding, history counts, and no leakage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ews.data.folder import DataFolder, known_as_of
from ews.data.load import read_folder
from ews.data.schema import PERPETRATOR_RELATIONS, PLACES
from ews.features.cases import build_case_features, reopen_labels
from ews.features.cases_encode import CASE_FEATURES, CATEGORY_GROUPS, OTHER, category_column, one_hot
from ews.months import parse_month as pm

RW1, RW2 = "31.71.01.1001.001", "31.71.01.1001.002"


@pytest.fixture
def folder(folder_factory: Any, rows: Any) -> DataFolder:
    cases = [
        rows.case("v1-first", RW1, "2024-01-10", victim_key="v1"),
        rows.case(
            "v1-second", RW1, "2024-03-05", victim_key="v1", incident_date="2024-03-01", victim_age="31"
        ),
        rows.case("v1-third", RW2, "2024-04-20", victim_key="v1"),
        rows.case(
            "new-cat", RW2, "2024-02-01", channel="aplikasi_baru", place="kos", perpetrator_relation="guru"
        ),
    ]
    events = [
        {"case_id": "v1-first", "event": "closed", "at": "2024-02-01"},
        {"case_id": "v1-second", "event": "closed", "at": "2024-03-20"},
        {"case_id": "v1-second", "event": "reopened", "at": "2024-04-02"},
        {"case_id": "v1-second", "event": "closed", "at": "2024-04-12"},
        {"case_id": "new-cat", "event": "closed", "at": "2024-02-15"},
    ]
    return folder_factory([rows.region(RW1), rows.region(RW2)], cases=cases, events=events)


def test_columns_are_fixed_and_float(folder: DataFolder) -> None:
    features = build_case_features(folder, [pm("2024-05")])
    assert tuple(features.columns) == CASE_FEATURES
    assert (features.dtypes == "float64").all()
    assert features.index.names == ["as_of", "case_id"]


def test_history_counts_of_one_case(folder: DataFolder) -> None:
    row = build_case_features(folder, [pm("2024-05")]).loc[(pm("2024-05"), "v1-second")]
    assert row["days_since_closed"] == 19  # 2024-04-12 -> 2024-05-01
    assert row["days_open"] == 15 + 10  # report -> first closing, then reopened -> closed again
    assert row["times_reopened"] == 1
    assert row["report_delay_days"] == 4
    assert row["victim_age"] == 31
    assert row["victim_earlier_cases"] == 1  # v1-first
    assert row["victim_cases_since"] == 1  # v1-third, reported before the as-of day
    assert row["rw_cases_90d"] == 1  # RW1: only v1-second in [2024-02-01, 2024-05-01)
    assert row["rw_cases_365d"] == 2


def test_unknown_category_goes_to_other_and_missing_sets_nothing(folder: DataFolder) -> None:
    features = build_case_features(folder, [pm("2024-03")])
    new = features.loc[(pm("2024-03"), "new-cat")]
    assert new[category_column("channel", OTHER)] == 1
    assert new[[category_column("channel", c) for c in CATEGORY_GROUPS[4][1]]].sum() == 0
    assert new[category_column("place", "kos")] == 1
    old = features.loc[(pm("2024-03"), "v1-first")]
    assert old[[category_column("place", p) for p in (*PLACES, OTHER)]].sum() == 0  # place left empty
    assert np.isnan(old["report_delay_days"])


@given(
    st.lists(st.one_of(st.none(), st.sampled_from(PERPETRATOR_RELATIONS), st.text(max_size=6)), max_size=20)
)
def test_one_hot_sets_at_most_one_column_and_other_only_for_unknown(values: list[str | None]) -> None:
    encoded = one_hot(np.asarray(values, dtype=object), PERPETRATOR_RELATIONS)
    assert encoded.shape == (len(values), len(PERPETRATOR_RELATIONS) + 1)
    for value, row in zip(values, encoded, strict=True):
        present = isinstance(value, str) and value != ""
        assert row.sum() == (1.0 if present else 0.0)
        assert row[-1] == (1.0 if present and value not in PERPETRATOR_RELATIONS else 0.0)


def test_a_month_alone_equals_that_month_among_many(folder: DataFolder) -> None:
    many = build_case_features(folder, [pm("2024-03"), pm("2024-05"), pm("2024-06")])
    one = build_case_features(folder, [pm("2024-05")])
    pd.testing.assert_frame_equal(many.loc[[pm("2024-05")]], one)


@pytest.fixture(scope="module")
def tiny(tiny_world: Path) -> DataFolder:
    return read_folder(tiny_world)


@pytest.mark.parametrize("month", ["2023-06", "2024-03"])
def test_no_leakage_features_match_the_cut_folder(tiny: DataFolder, month: str) -> None:
    as_of = pm(month)
    full = build_case_features(tiny, [as_of])
    assert len(full) > 0
    cut = build_case_features(known_as_of(tiny, as_of), [as_of])
    pd.testing.assert_frame_equal(full, cut)


def test_no_leakage_training_labels_match_the_cut_folder(tiny: DataFolder) -> None:
    known_at = pm("2024-06")
    months = list(range(pm("2023-01"), known_at + 1))
    full = reopen_labels(tiny, months, known_at=known_at)
    assert full.sum() > 0
    pd.testing.assert_series_equal(
        full, reopen_labels(known_as_of(tiny, known_at), months, known_at=known_at)
    )
