"""Generic backtest: kind selection on the latest folds, label maturity, RW delay correction."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from ews.data.folder import DataFolder
from ews.models.backtest import BacktestSetup, fold_months, run_backtest, select_and_backtest
from ews.models.backtest_types import BacktestSpec, FlagRule
from ews.models.rw import label_completeness

Toy = tuple[BacktestSpec, int]


def test_selection_on_fewer_folds_gives_the_full_report_of_the_winner(toy_backtest: Toy) -> None:
    spec, end = toy_backtest
    params = {"max_iter": 20, "min_samples_leaf": 20}
    report = select_and_backtest(spec, end, BacktestSetup(4, FlagRule(0.1, 2), params, ("logit", "hgb"), 2))
    assert set(report.candidates["kind"]) == {"logit", "hgb"}
    months = fold_months(spec, end, 4)
    assert sorted(report.folds["as_of"].unique()) == months
    alone = run_backtest(spec, end, 4, FlagRule(0.1, 2), {**params, "kind": report.kind})
    pd.testing.assert_frame_equal(report.folds, alone.folds)


def test_folds_fitted_on_two_threads_give_the_same_report(toy_backtest: Toy) -> None:
    spec, end = toy_backtest
    params = {"max_iter": 20, "min_samples_leaf": 20}
    steps: list[str] = []
    setup = BacktestSetup(4, FlagRule(0.1, 2), params, ("logit", "hgb"), selection_folds=2)
    one = select_and_backtest(spec, end, setup)
    two = select_and_backtest(spec, end, replace(setup, workers=2), steps.append)
    assert two.kind == one.kind
    pd.testing.assert_frame_equal(two.folds, one.folds)
    pd.testing.assert_frame_equal(two.predictions, one.predictions)
    pd.testing.assert_frame_equal(two.candidates, one.candidates)
    # Progress names every fold as it finishes: 2 kinds x 2 selection folds, then the winner's other 2.
    assert len(steps) == 6 and all(step.endswith(" done") for step in steps)


def test_maturity_moves_the_folds_back(toy_backtest: Toy) -> None:
    spec, end = toy_backtest
    plain = fold_months(spec, end, 3)
    matured = fold_months(replace(spec, maturity=4), end, 3)
    assert matured == [m - 4 for m in plain]


def test_label_completeness_counts_reports_arriving_later(small_folder: DataFolder) -> None:
    as_of = small_folder.last_month + 1
    soon, later = label_completeness(small_folder, as_of, [1]), label_completeness(small_folder, as_of, [12])
    # Some cases reach the service months after the incident: a label one month old is less complete.
    assert 0 < soon < later <= 1
    assert label_completeness(small_folder, as_of, [1, 12]) == pytest.approx((soon + later) / 2)
