"""Which rows a RiskClassifier fits its base model and its calibrator on."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]


def calibration_mask(X: pd.DataFrame, months: int, gap: int = 0) -> npt.NDArray[np.bool_]:
    """Rows of ``months`` as-of months ending ``gap`` months before the latest (or the last 20% of rows).

    Labels of the latest months still miss the cases that will be reported
    late; a calibrator fitted on them learns too low a rate. Skipping ``gap``
    months calibrates on labels that have (nearly) matured; the skipped months
    still train the base model, whose ranking does not suffer from the shortfall.
    """
    if "as_of" in (X.index.names or []):
        as_of = X.index.get_level_values("as_of").to_numpy()
        distinct = np.unique(as_of)
        if len(distinct) > months + gap:
            end = distinct[-gap] if gap > 0 else distinct[-1] + 1
            return np.asarray((as_of >= distinct[-months - gap]) & (as_of < end))
    cut = int(len(X) * 0.8)
    return np.arange(len(X)) >= cut


def base_mask(X: pd.DataFrame, held: npt.NDArray[np.bool_], gap: int = 0) -> npt.NDArray[np.bool_]:
    """Rows the base model learns from: those before the calibration window.

    With a ``gap``, the months after the window hold immature labels whose
    rate is still low; a tree model learns to tell those months apart (from
    features that grow with time, such as months on record) and then scores
    every later month too low, which no calibrator fitted on older months can
    undo. So the base model skips them as well.
    """
    if gap <= 0 or not held.any() or "as_of" not in (X.index.names or []):
        return ~held
    as_of = X.index.get_level_values("as_of").to_numpy()
    return np.asarray(as_of < as_of[held].min())


def negative_sample(
    labels: npt.NDArray[np.int64], share: float, seed: int
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Rows to fit on (every positive, about ``share`` of negatives) and weights restoring the balance."""
    if share >= 1:
        return np.arange(len(labels)), np.ones(len(labels))
    drawn = np.random.default_rng(seed).random(len(labels)) < share
    keep = np.flatnonzero((labels == 1) | drawn)
    weight = np.where(labels[keep] == 1, 1.0, 1.0 / share)
    return keep, weight
