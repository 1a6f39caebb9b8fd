"""`ews score` reasons: signal and area sentences compare each RW with the other RWs of its kelurahan."""

from __future__ import annotations

import json
import re

import pytest

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.features.describe import describe
from ews.features.describe_reference import compared, kelurahan_reference
from ews.models.backtest_fold import fit_on_matured
from ews.models.backtest_types import month_rows
from ews.models.estimator import RiskClassifier
from ews.models.rw import rw_spec
from ews.models.scoring import score_rws

SETTINGS = TrainSettings(backtest_folds=2, top_factors=8)


@pytest.fixture(scope="module")
def logit(small_folder: DataFolder) -> RiskClassifier:
    as_of = small_folder.last_month + 1
    return fit_on_matured(rw_spec(small_folder, as_of, SETTINGS), as_of, {"kind": "logit"})


def test_signal_reasons_carry_the_kelurahan_reference(
    small_folder: DataFolder, logit: RiskClassifier
) -> None:
    from ews.features.rw import build_rw_features

    as_of = small_folder.last_month + 1
    table = score_rws(small_folder, as_of, logit, SETTINGS)
    X = month_rows(build_rw_features(small_folder, [as_of]), as_of)
    kelurahan = small_folder.regions.set_index("rw_code").reindex(X.index)["kelurahan_code"]
    reference = kelurahan_reference(X, kelurahan.to_numpy())
    factors = {row.rw_code: json.loads(row.top_factors) for row in table.itertuples()}
    checked = 0
    for rw, listed in factors.items():
        for factor in (f for f in listed if compared(f["feature"]) and f["value"] is not None):
            value, expected = X.at[rw, factor["feature"]], reference.at[rw, factor["feature"]]
            assert factor["text"] == describe(factor["feature"], value, expected)[0], (
                value,
                expected,
                factor,
            )
            checked += "rata-rata RW lain di kelurahan ini" in factor["text"]
        for factor in listed:
            assert not re.search(r"\b(nan|inf)\b|\b36 bulan", factor["text"]), factor["text"]
    assert checked > 0
