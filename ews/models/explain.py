"""Reason codes: exact additive contributions to a RiskClassifier's raw margin.

For ``hgb`` the contributions are SHAP values from ``shap.TreeExplainer``
(exact for trees); for ``logit`` they are the exact linear terms ``w * z``
per original feature (its missingness indicator folded in). Either way
``base_value + contributions.sum(axis=1) == model.raw_margin(X)``; the
calibrated score is a monotone map of that margin, so the factors that raise
the margin raise the score. An :class:`Explainer` is set up once per model;
batch tables and the live case scorer both compute with it.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pandera.pandas as pa

from ews.features.describe import describe
from ews.models.distill import log_space
from ews.models.estimator import RiskClassifier

FloatArray = npt.NDArray[np.float64]
Describer = Callable[[str, float], tuple[str, str]]
"""feature name, value -> (Indonesian sentence, English sentence)."""
Cache = dict[tuple[str, float, float | None], tuple[str, str]]


class ReferenceDescriber(Protocol):
    """A :data:`Describer` that also takes an optional reference point (``describe`` is one).

    ``reference`` is the mean of the same feature over the other RWs of the kelurahan in the same
    month; :func:`top_factors` passes it only to describers with a ``reference`` parameter, so a
    plain two-argument describer (the case features') keeps working.
    """

    def __call__(self, feature: str, value: float, reference: float | None = None) -> tuple[str, str]: ...


Terms = Callable[[FloatArray], tuple[FloatArray, float]]
"""Model matrix -> (contributions, base value)."""


class Explainer:
    """Exact contributions to one fitted model's raw margin, set up once and reused.

    Batch reason codes (:func:`contributions`) and the live case scorer
    (``ews.models.reopen_scorer``) both call this, so a case's reason codes
    are the same numbers either way. Setting up (the SHAP tree walk, the
    linear folding matrix) is the expensive part; a call on one row is
    numpy only, without sklearn's per-call input checks.
    """

    def __init__(self, model: RiskClassifier) -> None:
        self._terms = _tree_terms(model) if model.kind == "hgb" else _linear_terms(model)

    def explain(self, matrix: FloatArray) -> tuple[FloatArray, float]:
        """Per-row, per-feature contributions to the raw margin of ``matrix``, and the base value.

        ``matrix`` is what the base model sees, not checked again: the
        training column order, left-out columns held at zero
        (``RiskClassifier.model_matrix`` or ``model_rows``).
        """
        return self._terms(matrix)


def contributions(model: RiskClassifier, X: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Per-row, per-feature contributions to the raw margin, and the base value."""
    values, base = Explainer(model).explain(model.model_matrix(X))
    frame = pd.DataFrame(values, index=X.index, columns=list(model.feature_names_in_))
    return _contribution_schema(frame.columns).validate(frame), base


def _tree_terms(model: RiskClassifier) -> Terms:
    """SHAP values of the tree model; a distilled student's rescaled to its log-space margin."""
    import shap

    explainer = shap.TreeExplainer(model.base_model_, model_output="raw")
    base = float(np.ravel(explainer.expected_value)[-1])
    distilled = bool(getattr(model, "distilled_", False))  # models pickled before distillation lack it

    def terms(matrix: FloatArray) -> tuple[FloatArray, float]:
        values = np.asarray(explainer.shap_values(matrix, check_additivity=False), dtype=np.float64)
        if values.ndim == 3:  # some shap versions return one slice per class
            values = values[..., -1]
        if distilled:
            # SHAP splits the student's output (a chance); its margin is that output's log.
            return log_space(values, base, base + values.sum(axis=1))
        return values, base

    return terms


def _linear_terms(model: RiskClassifier) -> Terms:
    """The exact linear terms ``w * z`` of the logit pipeline, folded back onto the input features.

    Log copies and missingness indicators belong to the feature they come
    from, so one number per feature. The folding adds each row's own terms
    elementwise, in a fixed order, rather than by a matrix product: a BLAS
    product rounds differently with the number of rows, and a row's reason
    codes must not depend on which other rows are explained with it (the
    live scorer explains one row, ``ews.distributed`` one area at a time).
    """
    *transforms, logit = (step for _, step in model.base_model_.steps)
    augment, imputer = transforms[0], transforms[1]
    indicated = imputer.indicator_.features_ if imputer.indicator_ is not None else np.array([], dtype=int)
    owner = np.concatenate([augment.source_, augment.source_[indicated]]).astype(np.int64)
    rounds = _fold_rounds(owner)
    coef = np.asarray(logit.coef_[0], dtype=np.float64)
    n_features = int(model.n_features_in_)
    steps = [_fast_transform(step) for step in transforms]
    base = float(logit.intercept_[0])

    def terms(matrix: FloatArray) -> tuple[FloatArray, float]:
        z = matrix
        for step in steps:
            z = step(z)
        weighted = z * coef
        out = np.zeros((len(z), n_features))
        for columns in rounds:
            out[:, owner[columns]] += weighted[:, columns]
        return out, base

    return terms


def _fold_rounds(owner: npt.NDArray[np.int64]) -> list[npt.NDArray[np.int64]]:
    """Model-matrix columns grouped so no feature owns two columns of a group (its 1st, 2nd, ... copy)."""
    seen: dict[int, int] = {}
    occurrence = np.empty(len(owner), dtype=np.int64)
    for column, feature in enumerate(owner.tolist()):
        occurrence[column] = seen.get(feature, 0)
        seen[feature] = occurrence[column] + 1
    return [np.flatnonzero(occurrence == k) for k in range(int(occurrence.max()) + 1 if len(owner) else 0)]


def _fast_transform(step: Any) -> Callable[[FloatArray], FloatArray]:
    """``step.transform`` without sklearn's per-call input validation for the imputer and scaler.

    sklearn's checks cost about 0.5 ms per step on one row; the arithmetic is
    the same (tests compare the contributions with ``raw_margin``).
    """
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import StandardScaler

    if isinstance(step, StandardScaler) and step.with_mean and step.with_std:
        mean, scale = step.mean_, step.scale_
        return lambda z: np.asarray((z - mean) / scale, dtype=np.float64)
    if isinstance(step, SimpleImputer) and step.strategy != "constant":
        fill = np.nan_to_num(np.asarray(step.statistics_, dtype=np.float64))  # all-empty columns become 0
        flagged = step.indicator_.features_ if step.indicator_ is not None else np.array([], dtype=np.int64)
        return lambda z: np.hstack(
            [np.where(np.isnan(z), fill, z), np.isnan(z[:, flagged]).astype(np.float64)]
        )
    return lambda z: np.asarray(step.transform(z), dtype=np.float64)


def _contribution_schema(columns: pd.Index) -> pa.DataFrameSchema:
    """Every contribution is a finite float: a NaN here would silently drop a reason code."""
    check = pa.Check(lambda s: np.isfinite(s), element_wise=False, error="contribution is not finite")
    return pa.DataFrameSchema(
        {str(c): pa.Column(float, checks=check, nullable=False) for c in columns},
        strict=True,
        ordered=True,
    )


def default_describer() -> Describer:
    """``ews.features.describe.describe``: the sentences of the RW features (cases pass their own)."""
    return describe


def top_factors(
    X: pd.DataFrame,
    contrib: pd.DataFrame,
    n: int,
    describer: Describer | None = None,
    reference: pd.DataFrame | None = None,
) -> list[list[dict[str, Any]]]:
    """For each row, the ``n`` features with the largest absolute contribution, largest first.

    ``reference`` (optional, rows aligned with ``X``, any subset of columns) holds each row's
    reference point per feature, e.g. :func:`ews.features.describe_reference.kelurahan_reference`;
    it reaches the describer when the describer takes one and the value is finite.
    """
    describe_one = describer or default_describer()
    values = contrib.to_numpy(dtype=np.float64)
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :n]
    names = list(contrib.columns)
    raw = X[names].to_numpy(dtype=np.float64)
    refs = _reference_matrix(reference, names, X.index, describe_one)
    cache: Cache = {}
    return [
        [_factor(names[j], raw[i, j], values[i, j], refs[i, j], describe_one, cache) for j in row]
        for i, row in enumerate(order)
    ]


def _reference_matrix(
    reference: pd.DataFrame | None, names: list[str], rows: pd.Index, describer: Describer
) -> FloatArray:
    """``reference`` as a (rows, features) array in ``names`` order; NaN where there is none."""
    if reference is None or not _takes_reference(describer):
        return np.full((len(rows), len(names)), np.nan)
    if not reference.index.equals(rows):
        raise ValueError("the reference rows must be the frame's rows, in the same order")
    return reference.reindex(columns=names).to_numpy(dtype=np.float64)


def _takes_reference(describer: Describer) -> bool:
    """Whether ``describer`` accepts a ``reference`` argument (a :class:`ReferenceDescriber`)."""
    try:
        return "reference" in inspect.signature(describer).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False


def _factor(
    name: str,
    value: float,
    contribution: float,
    reference: float,
    describe: Describer,
    cache: Cache,
) -> dict[str, Any]:
    known = float(reference) if math.isfinite(reference) else None
    key = (name, value, known)
    if key not in cache:
        if known is None:
            cache[key] = describe(name, value)
        else:
            cache[key] = cast(ReferenceDescriber, describe)(name, value, reference=known)
    text, text_en = cache[key]
    shown = None if np.isnan(value) else round(float(value), 4)
    return {
        "feature": name,
        "value": shown,
        "contribution": round(float(contribution), 4),
        "text": text,
        "text_en": text_en,
    }
