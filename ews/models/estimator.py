"""RiskClassifier: one sklearn estimator for every ews risk model.

Two kinds, chosen by the backtest: ``logit`` (mean imputation with
missingness indicators, scaling, L2 logistic regression) and ``hgb``
(HistGradientBoosting on plain numeric columns; no native categoricals,
because SHAP on native categoricals is silently wrong). Probabilities are
calibrated on the latest as-of months held out in time (never random CV,
which would let the calibrator see the future); the base model is fitted on
the earlier months only, so the calibrator maps exactly the margins it saw
(``refit=True`` refits on every month instead, at twice the cost).
With ``distill=True`` (RW default) and ``fit(..., soft_targets=...)`` an
``hgb`` base model is a regressor of a teacher's soft targets instead of a
classifier of the 0/1 labels (``ews.models.distill``); its margin is the
log of its output, and the calibrator maps that margin to the labels as usual.
Work runs on ``n_threads`` OpenMP threads: on a shared 2-core machine one
thread is several times faster than two fighting for the cores.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from ews.exceptions import FeatureMismatchError, ModelError
from ews.models import base_model as bm
from ews.models.base_model import Base
from ews.models.calibration import CALIBRATIONS, Calibration, calibration_map, fit_calibrator
from ews.models.columns import UNUSED, hold_at_zero, left_out_names
from ews.models.linear import LogAugment  # noqa: F401  (models saved before the split name it here)
from ews.models.monotone import check_monotone, feature_range
from ews.models.sampling import base_mask, calibration_mask

KINDS = ("logit", "hgb")
# ``counts``: the logit on the baseline-like case counts alone (``ews.models.base_model.COUNT_FEATURES``).
# A candidate where data are thin: it stays close to the best count baseline when a full model cannot be
# learnt.
ALL_KINDS = (*KINDS, "counts")
FloatArray = npt.NDArray[np.float64]


def data_fingerprint(
    X: pd.DataFrame, y: pd.Series | npt.NDArray[Any], soft_targets: FloatArray | None = None
) -> str:
    """A hex digest of the matrix (values, columns, index), the labels and any soft targets."""
    digest = hashlib.sha256()
    digest.update(json.dumps([str(c) for c in X.columns]).encode())
    digest.update(pd.util.hash_pandas_object(X, index=True).to_numpy().tobytes())
    digest.update(np.asarray(y, dtype=np.int64).tobytes())
    if soft_targets is not None:
        digest.update(np.asarray(soft_targets, dtype=np.float64).tobytes())
    return digest.hexdigest()


class RiskClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Calibrated binary risk classifier with explainable raw margins.

    After ``fit``: ``feature_names_in_``, ``base_model_`` (sklearn pipeline or
    HistGradientBoostingClassifier, or a HistGradientBoostingRegressor when
    ``distilled_``), ``calibrator_``, ``base_rate_`` (training label mean),
    ``inert_`` (positions the base model left out: empty or constant in its
    rows, held at zero; ``ews.models.columns``), ``left_out_`` (their names
    and reasons), ``feature_range_`` (each feature's training min and max,
    shape (2, n); ``ews.models.monotone``), ``data_fingerprint_`` and ``model_id_``.

    ``monotone``: features whose effect must be non-decreasing (``hgb``:
    ``monotonic_cst``; ``logit``: their coefficients held >= 0).
    """

    # Models pickled before the parameter existed read this default (get_params needs it).
    monotone: tuple[str, ...] = ()

    def __init__(
        self,
        kind: str = "hgb",
        calibration: str = "sigmoid",
        calibration_months: int = 6,
        calibration_gap: int = 0,
        label_completeness: float = 1.0,
        C: float = 0.1,
        learning_rate: float = 0.06,
        max_iter: int = 150,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 200,
        l2_regularization: float = 1.0,
        log_counts: bool = False,
        refit: bool = False,
        negative_share: float = 1.0,
        distill: bool = False,
        student_max_iter: int | None = None,
        student_learning_rate: float | None = None,
        n_threads: int = 1,
        random_state: int = 0,
        monotone: tuple[str, ...] = (),
    ) -> None:
        self.kind = kind
        self.calibration = calibration
        self.calibration_months = calibration_months
        self.calibration_gap = calibration_gap
        self.label_completeness = label_completeness
        self.C = C
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.log_counts = log_counts
        self.refit = refit
        self.negative_share = negative_share
        self.distill = distill
        self.student_max_iter = student_max_iter
        self.student_learning_rate = student_learning_rate
        self.n_threads = n_threads
        self.random_state = random_state
        self.monotone = monotone

    def fit(
        self,
        X: pd.DataFrame,
        y: pd.Series | npt.NDArray[Any],
        soft_targets: pd.Series | npt.NDArray[Any] | None = None,
    ) -> RiskClassifier:
        """Fit on the earlier months, calibrate on the held-out latest months (see the module doc).

        ``soft_targets``: a teacher's probability of each row's label (aligned
        with ``X``; ``ews.models.distill.Teacher``), which ``distill`` fits the
        base model to instead of the labels. Scoring never needs them.
        """
        from threadpoolctl import threadpool_limits

        self._check_params()
        labels = np.asarray(y, dtype=np.int64)
        if len(np.unique(labels)) < 2:
            raise ModelError(
                f"training labels hold only the class {labels[:1].tolist()}; both 0 and 1 are needed"
            )
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]
        self.classes_ = np.array([0, 1])
        matrix = X.to_numpy(dtype=np.float64)
        soft = bm.check_soft_targets(self.get_params(), X, soft_targets)
        self.distilled_ = soft is not None
        self.feature_range_ = feature_range(matrix)
        with threadpool_limits(self.n_threads):
            held = calibration_mask(X, self.calibration_months, self.calibration_gap)
            (self.base_model_, inert), self.calibrator_ = self._fit_calibrated(
                matrix, labels, held, base_mask(X, held, self.calibration_gap), soft
            )
        self.inert_ = bm.positions(inert)
        left_out = {j: reason for j, reason in inert.items() if reason != UNUSED}
        self.left_out_ = left_out_names(left_out, [str(c) for c in self.feature_names_in_])
        self.base_rate_ = float(labels.mean())
        self.data_fingerprint_ = data_fingerprint(X, labels, soft)
        self.model_id_ = self._model_id()
        return self

    def raw_margin(self, X: pd.DataFrame) -> FloatArray:
        """The base model's log-odds (what reason codes decompose), before calibration."""
        from threadpoolctl import threadpool_limits

        matrix = self._checked_matrix(X)
        with threadpool_limits(self.n_threads):
            return self._margin_of(self.base_model_, matrix, self.inert_columns)

    decision_function = raw_margin

    def predict_proba(self, X: pd.DataFrame) -> FloatArray:
        """Calibrated probabilities, shape (n, 2)."""
        positive = self._calibrate(self.raw_margin(X))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: pd.DataFrame) -> npt.NDArray[np.int64]:
        """1 where the calibrated probability is at least one half."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)

    def check_features(self, X: pd.DataFrame) -> None:
        """Raise ``FeatureMismatchError`` naming the difference from the training columns."""
        expected = [str(c) for c in self.feature_names_in_]
        given = [str(c) for c in X.columns]
        if given == expected:
            return
        missing = [c for c in expected if c not in given]
        extra = [c for c in given if c not in expected]
        if missing or extra:
            raise FeatureMismatchError(
                f"feature columns differ from the model's: missing {missing}, unexpected {extra}"
            )
        first = next(i for i, (a, b) in enumerate(zip(given, expected, strict=True)) if a != b)
        raise FeatureMismatchError(
            f"feature columns are in a different order: position {first} is {given[first]!r}, "
            f"the model expects {expected[first]!r}"
        )

    def _check_params(self) -> None:
        if self.kind not in ALL_KINDS:
            raise ModelError(f"model kind {self.kind!r} is unknown; allowed: {', '.join(ALL_KINDS)}")
        if self.calibration not in CALIBRATIONS:
            raise ModelError(
                f"calibration {self.calibration!r} is unknown; allowed: {', '.join(CALIBRATIONS)}"
            )
        if not 0 < self.label_completeness <= 1:
            raise ModelError(f"label_completeness {self.label_completeness!r} is outside (0, 1]")
        if not 0 < self.negative_share <= 1:
            raise ModelError(f"negative_share {self.negative_share!r} is outside (0, 1]")
        check_monotone(self.monotone)

    @property
    def inert_columns(self) -> npt.NDArray[np.int64]:
        """Positions the base model left out (held at zero); empty for models saved before ``inert_``."""
        return np.asarray(getattr(self, "inert_", ()), dtype=np.int64)

    def model_matrix(self, X: pd.DataFrame) -> FloatArray:
        """What the base model sees of ``X``: checked columns, the left-out ones held at zero.

        Explainers read this, so a left-out column never gets a reason code.
        """
        return self.model_rows(self._checked_matrix(X))

    def model_rows(self, matrix: FloatArray) -> FloatArray:
        """:meth:`model_matrix` of a float matrix already in the training column order.

        Numpy only, so the live scorer (which checked the names once, when it
        was built) pays no pandas per call; the column count is still checked.
        """
        if matrix.ndim != 2 or matrix.shape[1] != self.n_features_in_:
            raise FeatureMismatchError(
                f"the model expects rows of {self.n_features_in_} features, got shape {matrix.shape}"
            )
        return hold_at_zero(matrix, self.inert_columns)

    def _checked_matrix(self, X: pd.DataFrame) -> FloatArray:
        if not isinstance(X, pd.DataFrame):
            raise FeatureMismatchError(
                f"scoring needs a DataFrame with named columns, got {type(X).__name__}"
            )
        self.check_features(X)
        return X.to_numpy(dtype=np.float64)

    def _names(self) -> list[str]:
        return [str(c) for c in self.feature_names_in_]

    def _fit_calibrated(
        self,
        matrix: FloatArray,
        labels: npt.NDArray[np.int64],
        held: npt.NDArray[np.bool_],
        learn: npt.NDArray[np.bool_],
        soft: FloatArray | None = None,
    ) -> tuple[Base, Any]:
        """The base model (``learn`` rows) and a calibrator of its margins on the ``held`` rows.

        The base model is built and fitted by :mod:`ews.models.base_model`.
        """
        params, names = self.get_params(), self._names()
        usable = len(np.unique(labels[held])) == 2 and len(np.unique(labels[learn])) == 2
        if self.calibration == "none" or not usable:
            return bm.fit_base(params, names, matrix, labels, False, soft), None
        learnt = None if soft is None else soft[learn]
        base = bm.fit_base(params, names, matrix[learn], labels[learn], True, learnt)
        model, inert = base
        margin = self._margin_of(model, matrix[held], bm.positions(inert))
        calibrator = fit_calibrator(self.calibration, margin, labels[held])
        if self.refit:
            base = bm.fit_base(params, names, matrix, labels, True, soft)
        return base, calibrator

    def _margin_of(self, model: Any, matrix: FloatArray, inert: npt.NDArray[np.int64]) -> FloatArray:
        # Models pickled before distillation lack ``distilled_``.
        return bm.margin_of(model, matrix, inert, getattr(self, "distilled_", False))

    def _calibrate(self, margin: FloatArray) -> FloatArray:
        return self.calibration_map()(margin)

    def calibration_map(self) -> Calibration:
        """The fitted margin -> probability map, as numpy over the calibrator's fitted numbers.

        The one implementation (``ews.models.calibration``): ``predict_proba`` calls it, and the live
        scorer builds it once and skips sklearn's per-call input checks (half a
        millisecond on one row). The calibration labels miss the share of cases
        not yet reported when the model was fitted (``1 - label_completeness``),
        so the map raises the chance to what will eventually be seen: ``-
        log(label_completeness)`` on the logit, or ``/ label_completeness``
        (capped at 1) for isotonic. Without a calibrator it is the plain sigmoid.
        """
        # Models pickled before these parameters existed were fitted with these defaults.
        completeness = float(getattr(self, "label_completeness", 1.0))
        return calibration_map(self.calibrator_, getattr(self, "calibration", "sigmoid"), completeness)

    def _model_id(self) -> str:
        payload = json.dumps(
            [type(self).__qualname__, self.get_params(), self.data_fingerprint_, self.random_state],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
