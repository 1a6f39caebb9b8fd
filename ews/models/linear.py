"""The ``logit`` kind's pipeline: log copies of counts, imputation with indicators, scaling, L2 logit.

:func:`bound_logit` refits the pipeline's last step with some coefficients
held at or above zero, so a count whose effect can only raise the risk never
lowers it (``RiskClassifier(monotone=...)``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin

FloatArray = npt.NDArray[np.float64]


def new_logit(C: float, log_counts: bool) -> Any:
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        LogAugment(enabled=log_counts),
        # The mean, not the median: sklearn's masked median costs seconds on 150k rows, and
        # with a missingness indicator beside it the fill value barely matters to a logit.
        SimpleImputer(strategy="mean", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
        LogisticRegression(C=C, max_iter=2000),
    )


class LogAugment(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Append ``log1p(x)`` for every column that is never negative in training.

    Risk is roughly log-linear in counts and sizes (a tenth case matters less
    than the first), which a linear logit cannot bend to on its own; keeping
    the raw column too lets it use either. ``source_`` maps each output column
    to the input column it came from, so reason codes fold both into one.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def fit(self, X: FloatArray, y: Any = None) -> LogAugment:
        """Find the columns that are never negative (NaN ignored)."""
        n = X.shape[1]
        lowest = np.nanmin(np.where(np.isnan(X), 0.0, X), axis=0) if len(X) else np.zeros(n)
        self.logged_ = np.flatnonzero(lowest >= 0) if self.enabled else np.array([], dtype=np.int64)
        self.source_ = np.concatenate([np.arange(n), self.logged_]).astype(np.int64)
        self.n_features_in_ = n
        return self

    def transform(self, X: FloatArray) -> FloatArray:
        """The input columns, then ``log1p`` of the never-negative ones (negatives clipped to 0)."""
        extra = np.log1p(np.maximum(X[:, self.logged_], 0.0))
        return np.hstack([X, extra])


def bound_logit(
    pipeline: Any,
    matrix: FloatArray,
    labels: npt.NDArray[Any],
    weight: FloatArray,
    nonnegative: Sequence[int] | npt.NDArray[np.int64],
) -> Any:
    """Make the fitted ``pipeline``'s logit non-decreasing in the input columns ``nonnegative``.

    Each such column enters through its raw copy and (with ``log_counts``) its
    ``log1p`` copy; their coefficients must both be >= 0 (the scaler keeps
    signs), else the sum can fall as the count grows: a positive log term
    with a negative raw one rises, then falls forever. When the plain fit
    already has them >= 0 it is the constrained optimum too (the objective
    is convex) and is kept as it is; otherwise the same penalised objective
    (sklearn's: weighted log-loss + ``||w||^2 / (2 C)``, intercept free) is
    minimised by L-BFGS-B with those coefficients bounded below by zero,
    from the plain fit's coefficients clipped to the bounds. Missingness
    indicators stay free: being unknown is not a count.
    """
    augment, logit = pipeline.steps[0][1], pipeline.steps[-1][1]
    source = np.asarray(augment.source_, dtype=np.int64)
    bounded = np.flatnonzero(np.isin(source, np.asarray(nonnegative, dtype=np.int64)))
    coef = np.asarray(logit.coef_[0], dtype=np.float64)
    if len(bounded) == 0 or np.all(coef[bounded] >= 0):
        return pipeline
    z = np.asarray(pipeline[:-1].transform(matrix), dtype=np.float64)
    lower = np.full(z.shape[1], -np.inf)
    lower[bounded] = 0.0
    start = np.r_[np.maximum(coef, lower), float(logit.intercept_[0])]
    solved = _bounded_logit(z, np.asarray(labels, dtype=np.float64), weight, float(logit.C), lower, start)
    logit.coef_ = solved[None, :-1]
    logit.intercept_ = solved[-1:]
    return pipeline


def _bounded_logit(
    z: FloatArray, y: FloatArray, weight: FloatArray, C: float, lower: FloatArray, start: FloatArray
) -> FloatArray:
    """Coefficients then intercept of the L2 logit on ``z`` with ``coef >= lower`` (L-BFGS-B)."""
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit
    from sklearn.exceptions import ConvergenceWarning

    sign = 2.0 * y - 1.0
    total = float(weight.sum())

    def loss(theta: FloatArray) -> tuple[float, FloatArray]:
        w, b = theta[:-1], theta[-1]
        signed = sign * (z @ w + b)
        slope = -sign * expit(-signed) * weight
        value = -(weight @ log_expit(signed)) + 0.5 * (w @ w) / C
        grad = np.r_[z.T @ slope + w / C, slope.sum()]
        return float(value) / total, np.asarray(grad / total, dtype=np.float64)

    bounds = [(None if np.isinf(low) else float(low), None) for low in lower] + [(None, None)]
    result = minimize(
        loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 5000, "gtol": 1e-8}
    )
    if not result.success:
        warnings.warn(
            f"the bounded logit did not converge: {result.message}", ConvergenceWarning, stacklevel=3
        )
    return np.asarray(result.x, dtype=np.float64)
