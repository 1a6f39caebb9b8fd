"""The feature-matrix check: index names, float64, no inf, fixed column order."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ews.data.folder import DataFolder
from ews.exceptions import DataError
from ews.features.rw import build_rw_features, check_rw_features, rw_feature_columns
from ews.months import parse_month as pm

A1, A2 = "31.71.01.1001.001", "31.71.01.1001.002"


@pytest.fixture
def folder(folder_factory: Any, rows: Any) -> DataFolder:
    signals = [{"rw_code": A1, "month": "2024-01", "zeta": 1, "alpha": ""}]
    return folder_factory([rows.region(A1, kumuh=1), rows.region(A2, kumuh=0)], signals=signals)


def test_columns_follow_the_folder_order_of_signals_and_static_columns(folder: DataFolder) -> None:
    columns = rw_feature_columns(folder)
    signal_order = [c.split("__")[1] for c in columns if c.startswith("signal__")]
    assert signal_order[0] == "zeta" and signal_order[-1] == "alpha"
    assert "region__kumuh" in columns and len(columns) == len(set(columns))


def test_built_matrix_passes_the_check(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02")])
    check_rw_features(features, rw_feature_columns(folder))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: f[list(reversed(f.columns))], "fixed order"),
        (lambda f: f.assign(cases_1m=f["cases_1m"].astype("int64")), "float64"),
        (lambda f: f.assign(cases_3m=np.inf), "infinite"),
        (lambda f: f.rename_axis(["month", "rw"]), "index"),
    ],
)
def test_check_refuses_a_damaged_matrix(folder: DataFolder, damage: Any, message: str) -> None:
    features = build_rw_features(folder, [pm("2024-02")])
    broken: pd.DataFrame = damage(features)
    with pytest.raises(DataError, match=message):
        check_rw_features(broken, rw_feature_columns(folder))
