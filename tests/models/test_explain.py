"""Reason codes: contributions add up to the raw margin exactly; top factors are the largest ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ews.models.estimator import RiskClassifier
from ews.models.explain import contributions, top_factors


@pytest.fixture(scope="module")
def fitted(panel: tuple[pd.DataFrame, pd.Series]) -> dict[str, RiskClassifier]:
    X, y = panel
    models = {k: RiskClassifier(kind=k, max_iter=40, min_samples_leaf=20).fit(X, y) for k in ("logit", "hgb")}
    return {**models, "logit_log": RiskClassifier(kind="logit", log_counts=True).fit(X, y)}


values = st.one_of(st.floats(-5, 5, allow_nan=False), st.just(float("nan")))


@pytest.mark.parametrize("kind", ["logit", "logit_log", "hgb"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=arrays(np.float64, st.tuples(st.integers(1, 8), st.just(3)), elements=values))
def test_contributions_plus_base_equal_the_raw_margin(
    kind: str, rows: np.ndarray, fitted: dict[str, RiskClassifier]
) -> None:
    model = fitted[kind]
    X = pd.DataFrame(rows, columns=["a", "b", "c"])
    contrib, base = contributions(model, X)
    assert list(contrib.columns) == ["a", "b", "c"]
    np.testing.assert_allclose(base + contrib.sum(axis=1).to_numpy(), model.raw_margin(X), atol=1e-6)


def test_logit_contribution_of_an_ignored_feature_is_small(
    fitted: dict[str, RiskClassifier], panel: tuple[pd.DataFrame, pd.Series]
) -> None:
    X, _ = panel
    contrib, _ = contributions(fitted["logit"], X.head(500))
    assert contrib["b"].abs().mean() < 0.3 * contrib["a"].abs().mean()


def test_top_factors_are_the_largest_in_absolute_value(fitted: dict[str, RiskClassifier]) -> None:
    X = pd.DataFrame({"a": [2.0, -2.0], "b": [0.1, 0.0], "c": [np.nan, 1.5]})
    contrib, _ = contributions(fitted["logit"], X)
    factors = top_factors(X, contrib, 2, lambda name, value: (f"id {name}", f"en {name}"))
    for row, listed in zip(contrib.to_numpy(), factors, strict=True):
        expected = [contrib.columns[j] for j in np.argsort(-np.abs(row))[:2]]
        assert [f["feature"] for f in listed] == expected
        assert set(listed[0]) == {"feature", "value", "contribution", "text", "text_en"}
    assert factors[0][0]["text"] == "id a" and factors[0][0]["text_en"] == "en a"
    gap = next(f for f in factors[0] + factors[1] if f["feature"] == "c" and f["value"] is None)
    assert gap["contribution"] != 0
