"""Known directions and the training range: what keeps a model sane away from its training data.

``RiskClassifier(monotone=(...))`` names features whose effect on the risk can
only be non-decreasing (more earlier cases of the victim never lower it). The
``hgb`` kind passes them to HistGradientBoosting as ``monotonic_cst``; the
``logit`` kind holds the coefficients of their raw and ``log1p`` copies at or
above zero (:func:`ews.models.linear.bound_logit`). Every fit also keeps each
feature's training minimum and maximum (``feature_range_``, :func:`feature_range`),
which the live scorer clips a payload's features to: outside that range a
model only extrapolates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ews.exceptions import ModelError
from ews.models.columns import column_bounds

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def check_monotone(monotone: Any) -> None:
    """Raise ``ModelError`` unless ``monotone`` is a sequence of feature names (not one string)."""
    if isinstance(monotone, str) or not all(isinstance(name, str) for name in monotone):
        raise ModelError(f"monotone must be a tuple of feature names, got {monotone!r}")


def monotone_positions(names: Sequence[str], monotone: Iterable[str]) -> IntArray:
    """Positions in ``names`` of the ``monotone`` features; ``ModelError`` naming any that is absent."""
    wanted = list(dict.fromkeys(monotone))
    missing = [name for name in wanted if name not in names]
    if missing:
        raise ModelError(f"monotone feature(s) {missing} are not among the model's columns")
    return np.asarray(sorted(list(names).index(name) for name in wanted), dtype=np.int64)


def monotonic_cst(n_features: int, positions: IntArray) -> IntArray:
    """HistGradientBoosting's ``monotonic_cst``: 1 (non-decreasing) at ``positions``, 0 elsewhere."""
    cst = np.zeros(n_features, dtype=np.int64)
    cst[positions] = 1
    return cst


def feature_range(matrix: FloatArray) -> FloatArray:
    """Each column's training minimum (row 0) and maximum (row 1), NaN ignored.

    A column with no value at all gets ``-inf .. inf``: there is no range to
    clip to (the fit leaves such a column out anyway).
    """
    low, high = column_bounds(matrix)
    return np.vstack([np.where(np.isnan(low), -np.inf, low), np.where(np.isnan(high), np.inf, high)])
