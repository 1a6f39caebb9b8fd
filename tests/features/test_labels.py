"""RW labels: incident month (else report month) in [as_of, as_of + horizon), maturity with known_at."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ews.data.folder import DataFolder
from ews.exceptions import TimeRuleError
from ews.features.labels import label_window_signals, rw_labels
from ews.features.rw import build_rw_features
from ews.months import parse_month as pm

A1, A2, A3 = "31.71.01.1001.001", "31.71.01.1001.002", "31.71.01.1001.003"


@pytest.fixture
def folder(folder_factory: Any, rows: Any) -> DataFolder:
    cases = [
        # Incident in March, reported in May: a March label, known only from June.
        rows.case("late", A1, "2024-05-20", incident_date="2024-03-10"),
        # No incident date: the report month stands in.
        rows.case("undated", A2, "2024-04-30"),
        rows.case("prompt", A3, "2024-03-31", incident_date="2024-03-31"),
    ]
    return folder_factory([rows.region(A1), rows.region(A2), rows.region(A3)], cases=cases)


def labels_at(labels: Any, month: str) -> list[int]:
    return labels.xs(pm(month), level="as_of").tolist()


def test_label_uses_incident_date_else_reported_at(folder: DataFolder) -> None:
    labels = rw_labels(folder, [pm("2024-03"), pm("2024-04"), pm("2024-05")])
    assert labels.dtype == np.int8
    assert labels_at(labels, "2024-03") == [1, 0, 1]
    assert labels_at(labels, "2024-04") == [0, 1, 0]
    assert labels_at(labels, "2024-05") == [0, 0, 0]


def test_horizon_widens_the_window(folder: DataFolder) -> None:
    labels = rw_labels(folder, [pm("2024-02"), pm("2024-03")], horizon=2)
    assert labels_at(labels, "2024-02") == [1, 0, 1]
    assert labels_at(labels, "2024-03") == [1, 1, 1]


def test_known_at_keeps_matured_labels_and_cases_reported_before_it(folder: DataFolder) -> None:
    months = [pm("2024-02"), pm("2024-03"), pm("2024-04"), pm("2024-05")]
    labels = rw_labels(folder, months, known_at=pm("2024-05"))
    # 2024-05's window ends after known_at; the late March case is not known yet.
    assert sorted(set(labels.index.get_level_values("as_of"))) == months[:3]
    assert labels_at(labels, "2024-03") == [0, 0, 1]
    assert labels_at(labels, "2024-04") == [0, 1, 0]
    matured = rw_labels(folder, months, known_at=pm("2024-06"))
    assert labels_at(matured, "2024-03") == [1, 0, 1]


def test_known_at_with_a_long_horizon_drops_unfinished_windows(folder: DataFolder) -> None:
    labels = rw_labels(
        folder, [pm("2024-02"), pm("2024-03"), pm("2024-04")], horizon=3, known_at=pm("2024-06")
    )
    assert sorted(set(labels.index.get_level_values("as_of"))) == [pm("2024-02"), pm("2024-03")]
    empty = rw_labels(folder, [pm("2024-04")], horizon=3, known_at=pm("2024-06"))
    assert empty.empty and list(empty.index.names) == ["as_of", "rw_code"]


def test_labels_share_the_feature_index(folder: DataFolder) -> None:
    months = [pm("2024-04"), pm("2024-03")]
    assert rw_labels(folder, months).index.equals(build_rw_features(folder, months).index)


@pytest.mark.parametrize("horizon", [0, -1, 1.5])
def test_horizon_must_be_a_positive_whole_number(folder: DataFolder, horizon: Any) -> None:
    with pytest.raises(TimeRuleError, match="horizon"):
        rw_labels(folder, [pm("2024-03")], horizon=horizon)


def _signal_folder(folder_factory: Any, rows: Any) -> DataFolder:
    signals = [
        {"rw_code": A1, "month": "2024-03", "panggilan_112_kdrt": 4, "laporan_kader_rw": 1},
        {"rw_code": A1, "month": "2024-04", "panggilan_112_kdrt": 2},
        {"rw_code": A2, "month": "2024-04", "panggilan_112_kdrt": 6, "laporan_kader_rw": 3},
    ]
    return folder_factory([rows.region(A1), rows.region(A2)], signals=signals)


def test_label_window_signals_are_the_label_months_own_figures(folder_factory: Any, rows: Any) -> None:
    window = label_window_signals(_signal_folder(folder_factory, rows), [pm("2024-03"), pm("2024-04")])
    assert list(window.columns) == ["label_window_panggilan_112_kdrt", "label_window_laporan_kader_rw"]
    assert window.index.equals(
        rw_labels(_signal_folder(folder_factory, rows), [pm("2024-03"), pm("2024-04")]).index
    )
    march, april = window.xs(pm("2024-03"), level="as_of"), window.xs(pm("2024-04"), level="as_of")
    assert march.loc[A1].tolist() == [4.0, 1.0]
    # No row for A2 in March, no cadre figure for A1 in April: not reported, never zero.
    assert march.loc[A2].isna().all()
    assert april.loc[A1, "label_window_panggilan_112_kdrt"] == 2.0
    assert np.isnan(april.loc[A1, "label_window_laporan_kader_rw"])


def test_label_window_signals_average_the_horizon_and_hide_what_is_not_known(
    folder_factory: Any, rows: Any
) -> None:
    folder = _signal_folder(folder_factory, rows)
    two = label_window_signals(folder, [pm("2024-03")], horizon=2).xs(pm("2024-03"), level="as_of")
    assert two.loc[A1, "label_window_panggilan_112_kdrt"] == 3.0  # mean of March (4) and April (2)
    assert two.loc[A2, "label_window_panggilan_112_kdrt"] == 6.0
    # Known at 2024-04: April's figures arrive only in May, so April's window is still empty.
    known = label_window_signals(folder, [pm("2024-03"), pm("2024-04")], known_at=pm("2024-04"))
    assert known.xs(pm("2024-03"), level="as_of").loc[A1].tolist() == [4.0, 1.0]
    assert known.xs(pm("2024-04"), level="as_of").isna().all().all()
