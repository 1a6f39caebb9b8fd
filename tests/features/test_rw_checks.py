"""Features from officials' checks: columns follow the file, values count visits before the month."""

from __future__ import annotations

from typing import Any

import numpy as np

from ews.features.names import LOOKBACK, check_columns, feature_columns
from ews.features.rw import build_rw_features, rw_feature_columns
from ews.months import parse_month as pm

CODES = ("31.71.01.1001.001", "31.71.01.1001.002")


def _check(code: str, day: str, outcome: str) -> dict[str, str]:
    return {"rw_code": code, "visit_date": day, "outcome": outcome, "role": "lurah"}


def test_columns_follow_the_file_not_its_rows(folder_factory: Any, rows: Any) -> None:
    regions = [rows.region(c) for c in CODES]
    plain = folder_factory(regions)
    assert rw_feature_columns(plain) == feature_columns((), ())
    assert not any(c.startswith("checks__") for c in rw_feature_columns(plain))
    empty = folder_factory(regions, checks=[])
    assert rw_feature_columns(empty) == [*feature_columns((), ()), *check_columns()]
    features = build_rw_features(empty, [pm("2024-01")])
    assert list(features.columns) == rw_feature_columns(empty)
    assert (features[check_columns()[:3]].to_numpy() == 0).all()
    assert (features["checks__months_since_concern"] == LOOKBACK).all()


def test_values_count_checks_visited_before_the_month(folder_factory: Any, rows: Any) -> None:
    checks = [
        _check(CODES[0], "2023-02-10", "ada_indikasi"),  # 13 months before 2024-03: outside the window
        _check(CODES[0], "2023-09-05", "dirujuk_uptd_ppa"),
        _check(CODES[0], "2024-01-20", "sudah_dicek_aman"),
        _check(CODES[0], "2024-02-29", "tidak_dapat_dicek"),
        _check(CODES[0], "2024-03-01", "ada_indikasi"),  # on the as-of's first day: not known yet
        _check(CODES[1], "2024-02-03", "sudah_dicek_aman"),
    ]
    folder = folder_factory([rows.region(c) for c in CODES], checks=checks)
    features = build_rw_features(folder, [pm("2024-03")]).loc[pm("2024-03")]
    got = features[check_columns()].to_numpy()
    # checked (not tidak_dapat_dicek), concern, safe, months since concern
    np.testing.assert_array_equal(got, [[2, 1, 1, 6], [1, 0, 1, LOOKBACK]])
