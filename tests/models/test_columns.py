"""Columns a fit cannot learn from (empty or constant in its rows) are left out, listed, never explained."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ews.models.columns import CONSTANT, EMPTY, hold_at_zero, inert_columns
from ews.models.estimator import RiskClassifier
from ews.models.explain import contributions


def test_inert_columns_names_empty_and_constant_but_not_present_versus_missing() -> None:
    matrix = np.array(
        [
            [np.nan, 1.0, 2.0, np.nan, 0.0],
            [np.nan, 1.0, 3.0, 1.0, 0.0],
            [np.nan, 1.0, 4.0, 1.0, 0.0],
        ]
    )
    # Column 3 is 1 or missing: missing-versus-present still carries information.
    assert inert_columns(matrix) == {0: EMPTY, 1: CONSTANT, 4: CONSTANT}
    assert inert_columns(np.empty((0, 2))) == {0: EMPTY, 1: EMPTY}


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.integers(1, 5)),
              elements=st.one_of(st.just(np.nan), st.sampled_from([0.0, 1.0, 2.5]))))  # fmt: skip
def test_a_column_is_inert_exactly_when_it_holds_fewer_than_two_states(matrix: np.ndarray) -> None:
    found = inert_columns(matrix)
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        states = set(column[~np.isnan(column)].tolist()) | ({"missing"} if np.isnan(column).any() else set())
        values = column[~np.isnan(column)]
        expected = EMPTY if len(values) == 0 else (CONSTANT if len(states) == 1 else None)
        assert found.get(j) == expected
    held = hold_at_zero(matrix, np.asarray(list(found), dtype=np.int64))
    assert np.all(held[:, list(found)] == 0.0)


def _late_source_panel(seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """60 RWs x 30 months; ``late`` has values only in the last 4 months (a source that started late)."""
    rng = np.random.default_rng(seed)
    months, units = np.arange(30), [f"rw{i:03d}" for i in range(60)]
    index = pd.MultiIndex.from_product([months, units], names=["as_of", "rw_code"])
    signal = rng.normal(size=len(index))
    late = np.where(index.get_level_values("as_of") >= 26, rng.normal(size=len(index)), np.nan)
    y = (rng.random(len(index)) < 1 / (1 + np.exp(-(signal * 1.5 - 2.5)))).astype(np.int64)
    X = pd.DataFrame({"signal": signal, "late": late, "flat": 1.0}, index=index)
    return X, pd.Series(y, index=index)


@pytest.mark.parametrize("kind", ["logit", "hgb"])
def test_a_source_empty_in_the_fitting_window_is_left_out_and_gets_no_reason(kind: str) -> None:
    X, y = _late_source_panel()
    # The last 6 months calibrate, so the base model's rows (months 0..23) never see ``late``.
    model = RiskClassifier(kind=kind, calibration_months=6, max_iter=30, min_samples_leaf=20).fit(X, y)
    assert model.left_out_ == {"late": EMPTY, "flat": CONSTANT}
    current = X[X.index.get_level_values("as_of") == 29]
    values, _ = contributions(model, current)
    assert (values[["late", "flat"]] == 0.0).all().all()
    assert (values["signal"] != 0.0).any()
    # Scoring a month in which the source reports works, and its values do not move the score.
    shifted = current.assign(late=current["late"] * 100)
    assert np.allclose(model.predict_proba(shifted), model.predict_proba(current))
