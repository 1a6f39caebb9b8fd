"""Long-run and near-repeat RW features: shrunk case rates, incident-month decay, 36-month signal means."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ews.data.folder import DataFolder
from ews.features import names
from ews.features.rw import build_rw_features
from ews.months import parse_month as pm

A1, A2 = "31.71.01.1001.001", "31.71.01.1001.002"


@pytest.fixture
def folder(folder_factory: Any, rows: Any) -> DataFolder:
    cases = [
        rows.case("old1", A1, "2023-01-15"),
        rows.case("old2", A1, "2023-06-10"),
        rows.case("fresh", A1, "2024-01-20", incident_date="2024-01-05"),
        rows.case("late", A1, "2024-02-05", incident_date="2023-12-10"),
    ]
    return folder_factory([rows.region(A1), rows.region(A2)], cases=cases)


def at(frame: pd.DataFrame, month: str, rw: str) -> pd.Series:
    return frame.loc[(pm(month), rw)]


def test_near_repeat_weighs_cases_by_incident_month_once_reported(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02"), pm("2024-03")])
    # As of 2024-02 the late report is unknown; the fresh case happened last month.
    assert at(features, "2024-02", A1)["cases_decay"] == 1.0
    # A month on, the fresh case halves and the late one counts from its incident three months back.
    assert at(features, "2024-03", A1)["cases_decay"] == pytest.approx(0.5 + 0.25)
    # Without lat/lon the kelurahan-mate is the neighbour: it borrows A1's near-repeat weight.
    assert at(features, "2024-03", A2)["nbr_cases_decay"] == pytest.approx(0.75)


def test_long_run_rate_is_shrunk_between_own_and_kelurahan_rate(folder: DataFolder) -> None:
    features = build_rw_features(folder, [pm("2024-02")])
    a1, a2 = at(features, "2024-02", A1), at(features, "2024-02", A2)
    history = pm("2024-02") - pm("2023-01")
    assert a1["history_months"] == history
    own, kelurahan = 3 / history, 3 / 2 / history  # two RWs of equal population share the kelurahan
    rate_a1, rate_a2 = np.exp(a1["log_case_rate_longrun"]) - 1e-3, np.exp(a2["log_case_rate_longrun"]) - 1e-3
    assert kelurahan < rate_a1 < own
    # An RW without cases reads below its kelurahan's rate but well above zero.
    assert 0.1 * kelurahan < rate_a2 < kelurahan
    assert a1["log_kel_rate_longrun"] == pytest.approx(a2["log_kel_rate_longrun"])


def test_history_is_capped_at_the_long_lookback(folder: DataFolder) -> None:
    late = build_rw_features(folder, [pm("2023-01") + names.LONG_LOOKBACK + 5])
    assert (late["history_months"] == names.LONG_LOOKBACK).all()


def test_signal_mean36_skips_unreported_months(folder_factory: Any, rows: Any) -> None:
    signals = [{"rw_code": A1, "month": f"2021-{m:02d}", "calls": str(m)} for m in (1, 2, 3)]
    signals += [{"rw_code": A1, "month": "2023-12", "calls": "10"}]
    folder = folder_factory([rows.region(A1)], signals=signals)
    row = at(build_rw_features(folder, [pm("2024-01")]), "2024-01", A1)
    # 2021-01 is 36 months back and counts; 2021-02, -03 too; the empty months do not.
    assert row[names.signal_column("calls", "mean36")] == pytest.approx((1 + 2 + 3 + 10) / 4)
