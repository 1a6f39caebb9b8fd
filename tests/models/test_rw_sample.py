"""Large folders: fits learn from a seeded sample of RWs; the backtest still scores every RW."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.models import backtest_fold as bt
from ews.models.backtest_types import BacktestSpec
from ews.models.rw import backtest_rw, build_rw_spec, fit_sample

SMALL = TrainSettings(backtest_folds=2, max_fit_rows=10_000)


KECAMATAN = pd.Series([f"31.71.{k:02d}" for k in range(100) for _ in range(50)])


def test_no_sample_while_every_row_fits_the_budget() -> None:
    assert fit_sample(KECAMATAN[:100], list(range(50)), [49], TrainSettings(max_fit_rows=10_000)) is None


def test_sample_is_whole_kecamatan_filling_the_budget_and_follows_the_seed() -> None:
    months = list(range(40))
    one = fit_sample(KECAMATAN, months, [39], TrainSettings(max_fit_rows=20_000, seed=1))
    again = fit_sample(KECAMATAN, months, [39], TrainSettings(max_fit_rows=20_000, seed=1))
    other = fit_sample(KECAMATAN, months, [39], TrainSettings(max_fit_rows=20_000, seed=2))
    assert one is not None and again is not None and other is not None
    assert one.sampled.sum() == 20_000 // 40  # ten kecamatan of 50 RWs
    taken = set(KECAMATAN[one.sampled])
    assert KECAMATAN.isin(taken).sum() == one.sampled.sum()  # every RW of a drawn kecamatan
    assert np.array_equal(one.sampled, again.sampled) and not np.array_equal(one.sampled, other.sampled)
    assert one.full_months == frozenset({39})


def _months(folder: DataFolder) -> list[int]:
    return list(range(folder.first_month + 12, folder.last_month + 1))


def test_spec_keeps_every_rw_in_evaluated_months_only(small_folder: DataFolder) -> None:
    months = _months(small_folder)
    evaluated = months[-8:-6]
    spec = build_rw_spec(small_folder, months, SMALL, None, evaluated)
    per_month = spec.features.groupby(level="as_of").size()
    n_rw, budget = len(small_folder.regions), SMALL.max_fit_rows // len(months)
    sampled = int(per_month.iloc[0])
    assert (per_month.loc[evaluated] == n_rw).all()
    assert budget <= sampled < n_rw and (per_month.drop(index=evaluated) == sampled).all()
    assert spec.fit_rows is not None and spec.fit_rows.sum() == sampled * len(months)
    labels = spec.labels(months[-3])
    assert labels.index.equals(spec.features.index[: len(labels)])


def test_fits_learn_only_from_sampled_rws_and_folds_score_every_rw(
    small_folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[str]] = []
    original = bt.RiskClassifier.fit

    def recording_fit(self: Any, X: pd.DataFrame, y: Any, soft_targets: Any = None) -> Any:
        seen.append(set(X.index.get_level_values("rw_code")))
        return original(self, X, y, soft_targets=soft_targets)

    monkeypatch.setattr(bt.RiskClassifier, "fit", recording_fit)
    as_of = small_folder.last_month + 1
    spec, report = backtest_rw(small_folder, as_of, SMALL, kinds=["logit"])
    assert spec.fit_rows is not None
    sampled = set(spec.features.index.get_level_values("rw_code")[spec.fit_rows])
    assert SMALL.max_fit_rows // spec.features.index.get_level_values("as_of").nunique() <= len(sampled)
    assert len(sampled) < len(small_folder.regions)
    assert seen and all(codes <= sampled for codes in seen)
    per_fold = report.predictions.groupby("as_of")["key"].nunique()
    assert (per_fold == len(small_folder.regions)).all()


def test_labels_out_of_row_order_still_fit_on_the_sample_only(
    small_folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    months = _months(small_folder)
    spec = build_rw_spec(small_folder, months, SMALL, None, months[-2:])
    shuffled = spec.labels(months[-1]).sample(frac=1.0, random_state=0)
    broken = BacktestSpec(
        features=spec.features, labels=lambda _k: shuffled, baselines=spec.baselines, fit_rows=spec.fit_rows
    )
    seen: list[pd.Index] = []
    original = bt.RiskClassifier.fit

    def recording_fit(self: Any, X: pd.DataFrame, y: Any, soft_targets: Any = None) -> Any:
        seen.append(X.index)
        return original(self, X, y, soft_targets=soft_targets)

    monkeypatch.setattr(bt.RiskClassifier, "fit", recording_fit)
    bt.fit_on_matured(broken, months[-1], {"kind": "logit"})
    assert spec.fit_rows is not None
    allowed = spec.features.index[spec.fit_rows]
    assert len(seen) == 1 and seen[0].isin(allowed).all()
    assert len(seen[0]) == len(allowed[allowed.get_level_values("as_of") < months[-1]])


def test_reopen_fits_on_whole_cases_when_rows_exceed_the_budget(small_folder: DataFolder) -> None:
    from ews.models.reopen import build_reopen_spec, case_sample

    months = _months(small_folder)
    spec = build_reopen_spec(small_folder, months, TrainSettings())
    assert spec.fit_rows is None
    budget = TrainSettings(max_fit_rows=len(spec.features) // 3)
    mask = case_sample(spec.features, budget)
    assert mask is not None
    cases = spec.features.index.get_level_values(-1)
    chosen = set(cases[mask])
    assert not set(cases[~mask]) & chosen  # a case is in or out with all its months
    assert 0.15 < mask.mean() < 0.55
