"""Signal features: whatever the column names, gaps are "not reported", never zero."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ews.features.rw import build_rw_features
from ews.months import format_month
from ews.months import parse_month as pm

A1, A2 = "31.71.01.1001.001", "31.71.01.1001.002"


def col(signal: str, stat: str) -> str:
    return f"signal__{signal}__{stat}"


def monthly(rw: str, start: str, values: list[Any], name: str) -> list[dict[str, Any]]:
    first = pm(start)
    return [{"rw_code": rw, "month": format_month(first + i), name: v} for i, v in enumerate(values)]


def features_at(folder: Any, month: str) -> pd.DataFrame:
    return build_rw_features(folder, [pm(month)]).xs(pm(month), level="as_of")


def test_a_missing_row_is_not_reported_but_a_zero_is_a_value(folder_factory: Any, rows: Any) -> None:
    signals = monthly(A1, "2024-01", [4, 0, 2], "kontak_pos_pengaduan")
    signals += [
        {"rw_code": A2, "month": "2024-01", "kontak_pos_pengaduan": 4},
        {"rw_code": A2, "month": "2024-03", "kontak_pos_pengaduan": 2},
    ]
    folder = folder_factory([rows.region(A1), rows.region(A2)], signals=signals)
    a1, a2 = features_at(folder, "2024-03").loc[A1], features_at(folder, "2024-03").loc[A2]
    # As of 2024-03 the latest known month is 2024-02.
    assert (a1[col("kontak_pos_pengaduan", "last")], a1[col("kontak_pos_pengaduan", "missing_last")]) == (
        0,
        0,
    )
    assert np.isnan(a2[col("kontak_pos_pengaduan", "last")])
    assert a2[col("kontak_pos_pengaduan", "missing_last")] == 1
    later = features_at(folder, "2024-04")
    assert later.loc[A1, col("kontak_pos_pengaduan", "mean3")] == pytest.approx(2.0)
    assert later.loc[A2, col("kontak_pos_pengaduan", "mean3")] == pytest.approx(3.0)
    assert later.loc[A2, col("kontak_pos_pengaduan", "reported_share12")] == pytest.approx(2 / 12)


def test_an_empty_cell_is_not_reported(folder_factory: Any, rows: Any) -> None:
    signals = monthly(A1, "2024-01", [5, "", 7], "panggilan_112_kdrt")
    folder = folder_factory([rows.region(A1)], signals=signals)
    row = features_at(folder, "2024-04").loc[A1]
    assert row[col("panggilan_112_kdrt", "mean3")] == pytest.approx(6.0)
    assert row[col("panggilan_112_kdrt", "reported_share12")] == pytest.approx(2 / 12)


def test_a_signal_starting_mid_history_just_works(folder_factory: Any, rows: Any) -> None:
    signals = monthly(A1, "2023-01", [3] * 18, "kontak_pos_pengaduan")
    signals += [
        {"rw_code": A1, "month": format_month(pm("2024-03") + i), "laporan_kader_rw": 2 + i} for i in range(3)
    ]
    folder = folder_factory([rows.region(A1)], signals=signals)
    before = features_at(folder, "2024-02").loc[A1]
    assert np.isnan(
        before[[col("laporan_kader_rw", s) for s in ("last", "mean3", "ratio_3_12", "trend")]]
    ).all()
    assert before[col("laporan_kader_rw", "reported_share12")] == 0
    assert np.isnan(before[col("laporan_kader_rw", "months_since_start")])
    after = features_at(folder, "2024-05").loc[A1]
    assert after[col("laporan_kader_rw", "last")] == 3
    assert after[col("laporan_kader_rw", "mean3")] == pytest.approx(2.5)
    assert after[col("laporan_kader_rw", "months_since_start")] == 2
    assert after[col("kontak_pos_pengaduan", "months_since_start")] == 16


def test_ratio_compares_the_last_3_months_with_the_12_before(folder_factory: Any, rows: Any) -> None:
    signals = monthly(A1, "2023-01", [2] * 12 + [4, 4, 4], "kontak_pos_pengaduan")
    signals += monthly(A2, "2023-01", [0] * 12 + [0, 1, 0], "kontak_pos_pengaduan")
    folder = folder_factory([rows.region(A1, population=2000), rows.region(A2)], signals=signals)
    features = features_at(folder, "2024-04")
    assert features.loc[A1, col("kontak_pos_pengaduan", "ratio_3_12")] == pytest.approx(2.0)
    assert features.loc[A1, col("kontak_pos_pengaduan", "trend")] == pytest.approx(2.0)
    assert features.loc[A1, col("kontak_pos_pengaduan", "per_1000")] == pytest.approx(2.0)
    # A rise from an empty baseline is capped rather than infinite.
    assert features.loc[A2, col("kontak_pos_pengaduan", "ratio_3_12")] == 10.0


def test_any_signal_name_and_non_finite_values(folder_factory: Any, rows: Any) -> None:
    signals = monthly(A1, "2024-01", [1.5, "inf", 2.5], "sinyal_baru_dari_dinas")
    signals.append({"rw_code": "31.99.99.9999.001", "month": "2024-02", "sinyal_baru_dari_dinas": 9})
    folder = folder_factory([rows.region(A1)], signals=signals)
    features = features_at(folder, "2024-04")
    assert list(features.index) == [A1]
    assert features.loc[A1, col("sinyal_baru_dari_dinas", "mean3")] == pytest.approx(2.0)
    assert not np.isinf(features.to_numpy()).any()


def test_months_since_last_counts_from_the_latest_report(folder_factory: Any, rows: Any) -> None:
    """A source that lapses says so: months since its latest report, NaN once 36 months have none."""
    signals = monthly(A1, "2023-01", [1, 2, 3, "", "", ""], "laporan_kader_rw")
    signals += monthly(A2, "2023-01", [5] * 6, "laporan_kader_rw")
    folder = folder_factory([rows.region(A1), rows.region(A2)], signals=signals)
    # Reports for 2023-01..03 only: as of 2023-07 the latest is 2023-03, four months back.
    lapsed = features_at(folder, "2023-07")
    assert lapsed.loc[A1, col("laporan_kader_rw", "months_since_last")] == 4
    assert lapsed.loc[A2, col("laporan_kader_rw", "months_since_last")] == 1
    assert np.isnan(features_at(folder, "2023-01").loc[A1, col("laporan_kader_rw", "months_since_last")])
    assert np.isnan(features_at(folder, "2026-05").loc[A1, col("laporan_kader_rw", "months_since_last")])
    assert features_at(folder, "2026-03").loc[A1, col("laporan_kader_rw", "months_since_last")] == 36
