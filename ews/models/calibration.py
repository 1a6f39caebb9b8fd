"""Calibration of a RiskClassifier's raw margins: fitting the calibrator and the numpy map.

Separate from :mod:`ews.models.estimator` because it is a self-contained
numeric step with its own rules: the calibrator is fitted on the held-out
latest months' margins (Platt ``sigmoid`` or ``isotonic``), and the map from
margin to probability is rebuilt as plain numpy over the calibrator's fitted
numbers, corrected for the share of cases not yet reported
(``label_completeness``). ``RiskClassifier.predict_proba`` and the live
scorer both use :func:`calibration_map`, so there is one implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

CALIBRATIONS = ("sigmoid", "isotonic", "none")
FloatArray = npt.NDArray[np.float64]
Calibration = Callable[[FloatArray], FloatArray]
"""Raw margins -> calibrated probabilities of the positive class (:meth:`RiskClassifier.calibration_map`)."""


def fit_calibrator(calibration: str, margin: FloatArray, labels: npt.NDArray[np.int64]) -> Any:
    """An isotonic regression (``isotonic``) or a Platt logistic regression of ``labels`` on ``margin``."""
    if calibration == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        return IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(margin, labels)
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1e6).fit(margin.reshape(-1, 1), labels)


def calibration_map(calibrator: Any, calibration: str, completeness: float) -> Calibration:
    """The margin -> probability map of a fitted ``calibrator`` (None: the plain sigmoid).

    See :meth:`ews.models.estimator.RiskClassifier.calibration_map` for the
    completeness correction.
    """
    if calibrator is None:
        return sigmoid
    if calibration == "isotonic":
        return isotonic_map(calibrator.X_thresholds_, calibrator.y_thresholds_, completeness)
    slope, intercept = float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])
    return platt_map(slope, intercept, float(np.log(completeness)))


def sigmoid(margin: FloatArray) -> FloatArray:
    """The logistic function of ``margin``."""
    return np.asarray(1.0 / (1.0 + np.exp(-margin)), dtype=np.float64)


def platt_map(slope: float, intercept: float, log_completeness: float) -> Calibration:
    """Platt scaling as sklearn's ``decision_function`` computes it, then the completeness shift."""

    def calibrate(margin: FloatArray) -> FloatArray:
        return sigmoid(slope * margin + intercept - log_completeness)

    return calibrate


def isotonic_map(xs: FloatArray, ys: FloatArray, completeness: float) -> Calibration:
    """Isotonic interpolation clipped at the ends (``out_of_bounds="clip"``), scaled up, capped at 1."""
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)

    def calibrate(margin: FloatArray) -> FloatArray:
        return np.asarray(np.minimum(np.interp(margin, xs, ys) / completeness, 1.0), dtype=np.float64)

    return calibrate
