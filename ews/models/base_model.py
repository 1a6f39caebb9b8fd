"""The base model under a RiskClassifier: what each kind builds and how it is fitted.

Separate from :mod:`ews.models.estimator` (the sklearn face: fit, calibrate,
score, check features) because this is the part that differs between the
model kinds: the ``logit`` pipeline (its coefficients held >= 0 on the
``monotone`` features), the ``hgb`` classifier (``monotonic_cst``), the
``counts`` logit on the case counts alone, and the distilled ``hgb``
regressor of a teacher's soft targets (``ews.models.distill``); with the
negative sampling and the columns a fit leaves out (``ews.models.columns``).
The functions take the classifier's hyperparameters
(``RiskClassifier.get_params()``) and its training column names, never the
classifier itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.exceptions import ModelError
from ews.models import distill as d
from ews.models.columns import UNUSED, hold_at_zero, inert_columns
from ews.models.monotone import monotone_positions, monotonic_cst
from ews.models.sampling import negative_sample

# The columns a ``counts`` model looks at: the baseline-like case counts (``ews.models.estimator.ALL_KINDS``).
COUNT_FEATURES = ("cases_3m", "cases_12m", "cases_36m", "log_population")
FloatArray = npt.NDArray[np.float64]
Params = dict[str, Any]
"""A RiskClassifier's hyperparameters, as ``get_params()`` gives them."""
Base = tuple[Any, dict[int, str]]
"""A fitted base model and the columns it left out (position -> ``empty`` or ``constant``)."""


def positions(inert: dict[int, str]) -> npt.NDArray[np.int64]:
    """The left-out positions of ``inert``, sorted."""
    return np.asarray(sorted(inert), dtype=np.int64)


def margin_of(model: Any, matrix: FloatArray, inert: npt.NDArray[np.int64], distilled: bool) -> FloatArray:
    """The base model's log-odds of ``matrix`` with the ``inert`` columns held at zero."""
    held = hold_at_zero(matrix, inert)
    if distilled:
        return d.margin(np.asarray(model.predict(held), dtype=np.float64))
    return np.asarray(model.decision_function(held), dtype=np.float64)


def check_soft_targets(
    params: Params, X: pd.DataFrame, given: pd.Series | npt.NDArray[Any] | None
) -> FloatArray | None:
    """The soft targets this fit regresses (None: it classifies the labels), checked against ``X``."""
    if not params["distill"] or params["kind"] != "hgb":
        return None
    if given is None:
        raise ModelError("distill=True needs a teacher's soft targets: fit(X, y, soft_targets=...)")
    if isinstance(given, pd.Series) and not given.index.equals(X.index):
        raise ModelError("soft_targets are indexed differently from the feature rows")
    soft = np.asarray(given, dtype=np.float64)
    if soft.shape != (len(X),) or not np.all((soft >= 0) & (soft <= 1)):
        raise ModelError(
            f"soft_targets must be {len(X)} probabilities in [0, 1], one per feature row; "
            f"got shape {soft.shape}"
        )
    return soft


def unused(kind: str, names: Sequence[str]) -> dict[int, str]:
    """Columns this kind never looks at (``counts``: all but ``COUNT_FEATURES``), held at zero too."""
    if kind != "counts":
        return {}
    return {j: UNUSED for j, name in enumerate(names) if name not in COUNT_FEATURES}


def constrained(hgb: Any, params: Params, names: Sequence[str]) -> Any:
    """``hgb`` non-decreasing in the ``monotone`` features (unchanged when there are none)."""
    found = monotone_positions(names, params["monotone"])
    if len(found) == 0:
        return hgb
    return hgb.set_params(monotonic_cst=monotonic_cst(len(names), found))


def new_base(params: Params, names: Sequence[str]) -> Any:
    """An unfitted base model of ``params["kind"]``: the logit pipeline or the HGB classifier."""
    if params["kind"] != "hgb":
        from ews.models.linear import new_logit

        return new_logit(params["C"], params["log_counts"])
    return constrained(d.new_hgb(False, params), params, names)


def fit_base(
    params: Params,
    names: Sequence[str],
    matrix: FloatArray,
    labels: npt.NDArray[np.int64],
    calibrated: bool,
    soft: FloatArray | None = None,
) -> Base:
    """The base model and the columns it left out (empty or constant in the rows it learnt from).

    The last base fitted is the one kept, so its left-out columns are the model's.
    """
    if soft is not None:  # the student learns from every row
        inert = {**inert_columns(matrix), **unused(params["kind"], names)}
        return fit_student(params, names, hold_at_zero(matrix, positions(inert)), soft), inert
    keep, weight = negative_sample(labels, params["negative_share"], params["random_state"])
    rows = matrix if params["negative_share"] >= 1 else matrix[keep]
    inert = {**inert_columns(rows), **unused(params["kind"], names)}
    fitted = hold_at_zero(rows, positions(inert))
    return fit_model(params, names, fitted, labels[keep], weight, calibrated), inert


def fit_student(params: Params, names: Sequence[str], matrix: FloatArray, soft: FloatArray) -> Any:
    """A regressor on the teacher's soft targets, from every row (``ews.models.distill``)."""
    rounds = {"max_iter": params["student_max_iter"], "learning_rate": params["student_learning_rate"]}
    student = {**params, **{name: value for name, value in rounds.items() if value is not None}}
    return constrained(d.new_hgb(True, student), params, names).fit(matrix, soft)


def fit_model(
    params: Params,
    names: Sequence[str],
    matrix: FloatArray,
    labels: npt.NDArray[np.int64],
    weight: FloatArray,
    calibrated: bool,
) -> Any:
    """The base model on the sampled rows (every positive, a seeded ``negative_share`` of negatives).

    Cases are rare, so most rows are negatives that teach little: keeping
    a third of them cuts fit time about threefold at almost no cost in
    ranking; the calibrator sees every row. The logit weights the kept
    negatives up to count for all. HGB is left unweighted when a
    calibrator follows (which maps its shifted margins back): with
    weights, its binning takes weighted percentiles, 10x slower than the fit.
    """
    base = new_base(params, names)
    if params["kind"] != "hgb":
        from ews.models.linear import bound_logit

        base.fit(matrix, labels, logisticregression__sample_weight=weight)
        return bound_logit(base, matrix, labels, weight, monotone_positions(names, params["monotone"]))
    if calibrated or params["negative_share"] >= 1:
        return base.fit(matrix, labels)
    return base.fit(matrix, labels, sample_weight=weight)
