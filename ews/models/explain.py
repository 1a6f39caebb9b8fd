"""Reason codes: exact additive contributions to a RiskClassifier's raw margin.

For ``hgb`` the contributions are SHAP values from ``shap.TreeExplainer``
(exact for trees); for ``logit`` they are the exact linear terms ``w * z``
per original feature (its missingness indicator folded in). Either way
``base_value + contributions.sum(axis=1) == model.raw_margin(X)``; the
calibrated score is a monotone map of that margin, so the factors that raise
the margin raise the score.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ews.models.distill import log_space
from ews.models.estimator import RiskClassifier

Describer = Callable[[str, float], tuple[str, str]]
"""feature name, value -> (Indonesian sentence, English sentence)."""


def contributions(model: RiskClassifier, X: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Per-row, per-feature contributions to the raw margin, and the base value."""
    model.check_features(X)
    if model.kind == "hgb":
        values, base = _tree_contributions(model, X)
    else:
        values, base = _linear_contributions(model, X)
    frame = pd.DataFrame(values, index=X.index, columns=list(model.feature_names_in_))
    return _contribution_schema(frame.columns).validate(frame), base


def _tree_contributions(model: RiskClassifier, X: pd.DataFrame) -> tuple[np.ndarray[Any, Any], float]:
    import shap

    matrix = model.model_matrix(X)
    explainer = shap.TreeExplainer(model.base_model_, model_output="raw")
    values = np.asarray(explainer.shap_values(matrix, check_additivity=False))
    if values.ndim == 3:  # some shap versions return one slice per class
        values = values[..., -1]
    base = float(np.ravel(explainer.expected_value)[-1])
    if getattr(model, "distilled_", False):
        # SHAP splits the student's output (a chance); its margin is that output's log.
        values = values.astype(np.float64)
        return log_space(values, base, base + values.sum(axis=1))
    return values.astype(np.float64), base


def _linear_contributions(model: RiskClassifier, X: pd.DataFrame) -> tuple[np.ndarray[Any, Any], float]:
    augment, imputer, scaler, logit = (step for _, step in model.base_model_.steps)
    z = scaler.transform(imputer.transform(augment.transform(model.model_matrix(X))))
    terms = z * logit.coef_[0]
    # Log copies and missingness indicators belong to the feature they come from: one number per feature.
    indicated = imputer.indicator_.features_ if imputer.indicator_ is not None else np.array([], dtype=int)
    owner = np.concatenate([augment.source_, augment.source_[indicated]])
    values = np.zeros((len(X), X.shape[1]))
    for column, feature in enumerate(owner):
        values[:, feature] += terms[:, column]
    return values, float(logit.intercept_[0])


def _contribution_schema(columns: pd.Index) -> pa.DataFrameSchema:
    """Every contribution is a finite float: a NaN here would silently drop a reason code."""
    check = pa.Check(lambda s: np.isfinite(s), element_wise=False, error="contribution is not finite")
    return pa.DataFrameSchema(
        {str(c): pa.Column(float, checks=check, nullable=False) for c in columns},
        strict=True,
        ordered=True,
    )


def default_describer() -> Describer:
    """``ews.features.describe.describe``, or a plain fallback for tasks without sentences."""
    try:
        from ews.features.describe import describe
    except ImportError:
        return _plain_describer
    return describe


def _plain_describer(name: str, value: float) -> tuple[str, str]:
    shown = "tidak dilaporkan" if np.isnan(value) else f"{value:.3g}"
    shown_en = "not reported" if np.isnan(value) else f"{value:.3g}"
    return f"{name}: {shown}", f"{name}: {shown_en}"


def top_factors(
    X: pd.DataFrame,
    contrib: pd.DataFrame,
    n: int,
    describer: Describer | None = None,
) -> list[list[dict[str, Any]]]:
    """For each row, the ``n`` features with the largest absolute contribution, largest first."""
    describe = describer or default_describer()
    values = contrib.to_numpy(dtype=np.float64)
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :n]
    names = list(contrib.columns)
    raw = X[names].to_numpy(dtype=np.float64)
    cache: dict[tuple[str, float], tuple[str, str]] = {}
    return [
        [_factor(names[j], raw[i, j], values[i, j], describe, cache) for j in row]
        for i, row in enumerate(order)
    ]


def _factor(
    name: str,
    value: float,
    contribution: float,
    describe: Describer,
    cache: dict[tuple[str, float], tuple[str, str]],
) -> dict[str, Any]:
    key = (name, value)
    if key not in cache:
        cache[key] = describe(name, value)
    text, text_en = cache[key]
    shown = None if np.isnan(value) else round(float(value), 4)
    return {
        "feature": name,
        "value": shown,
        "contribution": round(float(contribution), 4),
        "text": text,
        "text_en": text_en,
    }
