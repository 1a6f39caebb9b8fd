"""RiskClassifier(monotone=...): named features never lower the risk; every fit keeps its training range."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.base import clone

from ews.exceptions import ModelError
from ews.models.estimator import RiskClassifier
from ews.models.linear import new_logit

FAR = np.array([0, 1, 2, 3, 5, 8, 13, 20, 50, 100, 1_000, 10_000, 1_000_000], dtype=np.float64)


def rise_then_fall(n_units: int = 300, n_months: int = 24, seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    """A count ``n`` whose true log-odds term ``1.5 log1p(n) - 0.4 n`` rises, then falls past n = 2.75.

    A logit with raw and log1p copies of ``n`` fits it with a positive log and a negative raw
    coefficient, so unconstrained it scores a huge ``n`` as almost no risk.
    """
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [np.arange(100, 100 + n_months), [f"u{i:03d}" for i in range(n_units)]], names=["as_of", "key"]
    )
    a, n = rng.normal(size=len(index)), rng.poisson(2.0, size=len(index)).astype(np.float64)
    y = (rng.random(len(index)) < expit(-2.5 + 0.8 * a + 1.5 * np.log1p(n) - 0.4 * n)).astype(np.int64)
    return pd.DataFrame({"a": a, "n": n}, index=index), pd.Series(y, index=index, name="label")


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.Series]:
    return rise_then_fall()


def _scores_along_n(model: RiskClassifier, X: pd.DataFrame, rows: int = 25) -> np.ndarray:
    """Scores of ``rows`` training rows with ``n`` set to each of :data:`FAR`, one row per base row."""
    base = X.iloc[:rows]
    grid = pd.concat([base.assign(n=value) for value in FAR])
    return model.predict_proba(grid)[:, 1].reshape(len(FAR), rows).T


def _logit_terms(model: RiskClassifier, feature: str) -> np.ndarray:
    """Coefficients of ``feature``'s raw and log1p copies in a fitted logit pipeline."""
    augment, logit = model.base_model_.steps[0][1], model.base_model_.steps[-1][1]
    position = list(model.feature_names_in_).index(feature)
    own = np.flatnonzero(augment.source_ == position)
    return np.asarray(logit.coef_[0][own])


def test_unconstrained_logit_inverts_on_this_data(data: tuple[pd.DataFrame, pd.Series]) -> None:
    # The premise of the tests below: without the constraint the score falls as n grows.
    X, y = data
    model = RiskClassifier(kind="logit", log_counts=True, C=1.0).fit(X, y)
    scores = _scores_along_n(model, X)
    assert (scores[:, -1] < scores[:, 1]).all()


@pytest.mark.parametrize("calibration", ["sigmoid", "isotonic"])
def test_monotone_logit_never_falls_and_keeps_coefficients_nonnegative(
    data: tuple[pd.DataFrame, pd.Series], calibration: str
) -> None:
    X, y = data
    model = RiskClassifier(
        kind="logit", log_counts=True, C=1.0, calibration=calibration, monotone=("n",)
    ).fit(X, y)
    assert (_logit_terms(model, "n") >= 0).all()
    assert len(_logit_terms(model, "n")) == 2  # raw and log1p copy both bounded
    assert (np.diff(_scores_along_n(model, X), axis=1) >= -1e-12).all()
    # The rise at small counts is still learnt (the log term carries it).
    assert _logit_terms(model, "n").max() > 0


@pytest.mark.parametrize("distill", [False, True])
def test_monotone_hgb_never_falls(data: tuple[pd.DataFrame, pd.Series], distill: bool) -> None:
    X, y = data
    params = {"kind": "hgb", "max_iter": 40, "min_samples_leaf": 40, "monotone": ("n",)}
    soft = None
    if distill:  # the student regressor gets the same constraint
        soft = pd.Series(np.clip(y * 0.6 + 0.2, 0, 1), index=X.index)
        params |= {"distill": True}
    model = RiskClassifier(**params).fit(X, y, soft_targets=soft)  # type: ignore[arg-type]
    assert list(model.base_model_.monotonic_cst) == [0, 1]
    assert (np.diff(_scores_along_n(model, X), axis=1) >= -1e-12).all()


def test_bounded_logit_is_the_constrained_optimum(data: tuple[pd.DataFrame, pd.Series]) -> None:
    """KKT: a free coefficient has zero gradient; one held at its bound has a gradient pushing below it."""
    from ews.models.linear import bound_logit

    X, y = data
    matrix, labels = X.to_numpy(), y.to_numpy()
    weight = np.ones(len(labels))
    pipeline = bound_logit(
        new_logit(1.0, True).fit(matrix, labels, logisticregression__sample_weight=weight),
        matrix,
        labels,
        weight,
        [1],
    )
    logit = pipeline.steps[-1][1]
    z = pipeline[:-1].transform(matrix)
    w, b = logit.coef_[0], logit.intercept_[0]
    residual = expit(z @ w + b) - labels
    grad = np.r_[z.T @ residual + w / logit.C, residual.sum()] / len(labels)
    source = pipeline.steps[0][1].source_  # raw and log copies; indicators and the intercept follow
    held = np.r_[np.isin(source, [1]), np.zeros(len(w) - len(source) + 1, dtype=bool)]
    at_bound = held & (np.r_[w, b] <= 1e-10)
    assert at_bound.any()  # the constraint binds on this data
    assert np.abs(grad[~at_bound]).max() < 1e-5
    assert (grad[at_bound] > -1e-6).all()


def test_a_plain_fit_that_already_satisfies_the_bounds_is_kept(data: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = data
    plain = RiskClassifier(kind="logit", log_counts=True).fit(X, y)
    bounded = RiskClassifier(kind="logit", log_counts=True, monotone=("a",)).fit(X, y)
    assert (_logit_terms(plain, "a") > 0).all()
    np.testing.assert_array_equal(plain.raw_margin(X), bounded.raw_margin(X))


def test_unknown_monotone_features_are_model_errors(data: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = data
    with pytest.raises(ModelError, match="'nope'"):
        RiskClassifier(kind="logit", monotone=("nope",)).fit(X, y)
    with pytest.raises(ModelError, match="tuple of feature names"):
        RiskClassifier(kind="logit", monotone="n").fit(X, y)  # type: ignore[arg-type]


def test_monotone_is_an_sklearn_param(data: tuple[pd.DataFrame, pd.Series]) -> None:
    model = RiskClassifier(monotone=("n",))
    assert model.get_params()["monotone"] == ("n",)
    assert clone(model).monotone == ("n",)
    assert RiskClassifier().get_params()["monotone"] == ()


def test_feature_range_is_the_training_min_and_max(data: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = data
    empty = X.assign(gone=np.nan)
    model = RiskClassifier(kind="logit").fit(empty, y)
    expected = [[X["a"].min(), X["n"].min(), -np.inf], [X["a"].max(), X["n"].max(), np.inf]]
    np.testing.assert_array_equal(model.feature_range_, expected)


def test_models_pickled_before_monotone_and_feature_range_still_load_and_score(
    data: tuple[pd.DataFrame, pd.Series],
) -> None:
    X, y = data
    model = RiskClassifier(kind="hgb", max_iter=20).fit(X, y)
    expected = model.predict_proba(X)
    old = pickle.loads(pickle.dumps(model))
    del old.__dict__["monotone"], old.__dict__["feature_range_"]  # what an older ews saved
    loaded = pickle.loads(pickle.dumps(old))
    assert loaded.get_params()["monotone"] == ()
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)
