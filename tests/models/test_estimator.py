"""RiskClassifier: sklearn contract, calibration held out in time, feature checks, determinism."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from ews.exceptions import FeatureMismatchError, ModelError
from ews.models.estimator import RiskClassifier
from ews.models.sampling import calibration_mask, negative_sample


@pytest.mark.parametrize("kind", ["logit", "hgb"])
def test_probabilities_are_valid_and_rank_the_signal(
    kind: str, panel: tuple[pd.DataFrame, pd.Series]
) -> None:
    X, y = panel
    model = RiskClassifier(kind=kind, max_iter=40, min_samples_leaf=20).fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert ((proba >= 0) & (proba <= 1)).all()
    high = proba[X["a"].to_numpy() > 1, 1].mean()
    low = proba[X["a"].to_numpy() < -1, 1].mean()
    assert high > 2 * low


def test_calibrated_mean_matches_the_label_rate_on_new_months(make_panel: Callable[..., Any]) -> None:
    X, y = make_panel(n_units=150, n_months=30, seed=1)
    later_X, later_y = make_panel(n_units=150, n_months=6, seed=2)
    model = RiskClassifier(kind="logit").fit(X, y)
    predicted = model.predict_proba(later_X)[:, 1].mean()
    assert abs(predicted / later_y.mean() - 1) < 0.15


def test_calibration_holds_out_the_latest_months(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, _ = panel
    held = calibration_mask(X, 6)
    months = X.index.get_level_values("as_of")
    assert set(months[held]) == set(sorted(set(months))[-6:])


def test_calibration_gap_skips_the_immature_latest_months(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, _ = panel
    held = calibration_mask(X, 6, gap=4)
    months = sorted(set(X.index.get_level_values("as_of")))
    assert set(X.index.get_level_values("as_of")[held]) == set(months[-10:-4])


def test_negative_sample_keeps_every_positive_and_restores_the_balance() -> None:
    labels = (np.arange(10_000) % 20 == 0).astype(np.int64)
    keep, weight = negative_sample(labels, 0.25, seed=5)
    assert labels[keep].sum() == labels.sum()
    assert weight[labels[keep] == 1].tolist() == [1.0] * int(labels.sum())
    # The weighted negatives stand for all of them, within sampling noise.
    assert abs(weight[labels[keep] == 0].sum() / (labels == 0).sum() - 1) < 0.05
    again, _ = negative_sample(labels, 0.25, seed=5)
    assert np.array_equal(keep, again)


def test_subsampled_fit_still_ranks_and_stays_calibrated(make_panel: Callable[..., Any]) -> None:
    X, y = make_panel(n_units=150, n_months=30, seed=1)
    later_X, later_y = make_panel(n_units=150, n_months=6, seed=2)
    model = RiskClassifier(kind="logit", negative_share=0.3).fit(X, y)
    predicted = model.predict_proba(later_X)[:, 1]
    assert abs(predicted.mean() / later_y.mean() - 1) < 0.15
    a = later_X["a"].to_numpy()
    assert predicted[a > 1].mean() > 2 * predicted[a < -1].mean()


def test_label_completeness_raises_the_odds_by_the_missing_share(
    panel: tuple[pd.DataFrame, pd.Series],
) -> None:
    X, y = panel
    full = RiskClassifier(kind="logit").fit(X, y).predict_proba(X)[:, 1]
    partial = RiskClassifier(kind="logit", label_completeness=0.8).fit(X, y).predict_proba(X)[:, 1]
    odds = partial / (1 - partial) / (full / (1 - full))
    assert np.allclose(odds, 1 / 0.8)
    with pytest.raises(ModelError, match="label_completeness"):
        RiskClassifier(label_completeness=0.0).fit(X, y)


@pytest.mark.parametrize("calibration", ["sigmoid", "isotonic"])
def test_calibration_map_is_the_fitted_calibrator_with_the_completeness_correction(
    calibration: str, panel: tuple[pd.DataFrame, pd.Series]
) -> None:
    """The numpy map equals sklearn's own calibrator output, corrected as the module doc says."""
    X, y = panel
    model = RiskClassifier(kind="logit", calibration=calibration, label_completeness=0.8).fit(X, y)
    margin = model.raw_margin(X)
    if calibration == "isotonic":
        expected = np.minimum(model.calibrator_.predict(margin) / 0.8, 1.0)
    else:
        logit = model.calibrator_.decision_function(margin.reshape(-1, 1)) - np.log(0.8)
        expected = 1.0 / (1.0 + np.exp(-logit))
    np.testing.assert_allclose(model.calibration_map()(margin), expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(model.predict_proba(X)[:, 1], model.calibration_map()(margin))


def test_a_model_pickled_before_label_completeness_scores_as_complete(
    panel: tuple[pd.DataFrame, pd.Series],
) -> None:
    X, y = panel
    model = RiskClassifier(kind="logit").fit(X, y)
    expected = model.predict_proba(X)
    del model.label_completeness  # what unpickling a model saved before the parameter gives
    np.testing.assert_array_equal(model.calibration_map()(model.raw_margin(X)), expected[:, 1])


def test_same_seed_same_model_and_scores(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = panel
    first = RiskClassifier(kind="hgb", max_iter=30, random_state=3).fit(X, y)
    second = clone(first).fit(X, y)
    assert first.model_id_ == second.model_id_
    assert np.array_equal(first.predict_proba(X), second.predict_proba(X))
    other = RiskClassifier(kind="hgb", max_iter=30, random_state=4).fit(X, y)
    assert other.model_id_ != first.model_id_


def test_model_id_depends_on_the_data(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = panel
    base = RiskClassifier(kind="logit").fit(X, y)
    changed = RiskClassifier(kind="logit").fit(X.assign(b=X["b"] + 1), y)
    assert base.model_id_ != changed.model_id_


def test_reordered_columns_are_refused_naming_the_position(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = panel
    model = RiskClassifier(kind="logit").fit(X, y)
    with pytest.raises(FeatureMismatchError, match=r"position 0 is 'b'.*expects 'a'"):
        model.predict_proba(X[["b", "a", "c"]])


def test_missing_and_extra_columns_are_named(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = panel
    model = RiskClassifier(kind="logit").fit(X, y)
    with pytest.raises(FeatureMismatchError, match=r"missing \['c'\], unexpected \['d'\]"):
        model.predict_proba(X.rename(columns={"c": "d"}))


def test_unknown_kind_and_single_class_are_model_errors(panel: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = panel
    with pytest.raises(ModelError, match="'forest' is unknown"):
        RiskClassifier(kind="forest").fit(X, y)
    with pytest.raises(ModelError, match="only the class"):
        RiskClassifier().fit(X, np.zeros(len(X)))


def test_sklearn_params_roundtrip() -> None:
    model = RiskClassifier(kind="logit", C=0.5, random_state=9)
    assert clone(model).get_params() == model.get_params()
