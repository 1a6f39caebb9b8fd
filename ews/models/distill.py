"""Learning from privileged information: a less noisy target for the RW base model.

Whether an RW gets a case in one month is a coin flip with a small chance,
so a model fitted to those 0/1 labels spends most of its data averaging the
noise away. The signals of the label month itself (112 calls, cadre reports,
complaint-post contacts during the month being predicted) say much about
that coin flip, but they are known only after the month: never a feature.
For past training rows they are in the data, so they can teach:

1. a :class:`Teacher` classifier learns the label from the features plus
   those label-month signals (``ews.features.labels.label_window_signals``);
2. its probability for each training row is a soft target: the chance of a
   case given what was known before the month *and* what the month showed;
3. a *student* regressor (``RiskClassifier(distill=True)``) learns those soft
   targets from the features alone.

One teacher serves a whole training run: it is fitted as of the first
backtest fold, on labels matured by then, so every fold and the final model
learn from targets that use nothing a fold could not have known (rows after
its own training window are out of its sample, which does no harm). One
fit instead of one per fold keeps ``ews train`` within its time budget.

The student's expected target is the same chance given the features alone
(the teacher's estimate averages back to it), reached from far less noisy
targets: on synthetic Jakarta the truth ratio at 5% rose from 0.944 to 0.954
(docs/model.md). Only the student is kept; scoring needs the features alone.
This is generalised distillation (Lopez-Paz et al., 2016, "Unifying
distillation and privileged information").

The teacher sees every positive and a sample of the negatives (as the plain
classifier does); the student sees every row of its window, since subsampling its rows
made the ranking depend on which rows were drawn (truth ratio 0.948 to 0.956
over seeds, against 0.955 from all rows). The student regresses
probabilities (squared error); regressing their log-odds ranked worse (the
mean of log-odds is not the log-odds of the mean). Its margin is the log of
its output, floored at :data:`FLOOR`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator

from ews.exceptions import FeatureMismatchError, ModelError
from ews.models.columns import inert_columns, left_out_names
from ews.models.sampling import negative_sample

FloatArray = npt.NDArray[np.float64]
# A student output below this (squared error can undershoot zero) reads as this chance.
FLOOR = 1e-4


class Teacher(BaseEstimator):  # type: ignore[misc]
    """A classifier of the label from the features plus privileged columns; it writes soft targets.

    Fitted on every positive and a seeded ``negative_share`` of the
    negatives (HistGradientBoosting, the RW model's tree settings).
    :meth:`soft_targets` undoes the sample's shift of the odds (``+
    log(negative_share)`` on the log-odds), so its output is on the label's
    own scale. After ``fit``: ``model_``, ``feature_names_in_``, ``used_``
    (positions of the columns it learns from) and ``left_out_`` (the others:
    empty or constant in its rows, ``ews.models.columns``).
    """

    def __init__(
        self,
        learning_rate: float = 0.04,
        max_iter: int = 250,
        max_leaf_nodes: int = 7,
        min_samples_leaf: int = 500,
        l2_regularization: float = 1.0,
        negative_share: float = 0.35,
        n_threads: int = 1,
        random_state: int = 0,
    ) -> None:
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.negative_share = negative_share
        self.n_threads = n_threads
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: pd.Series | npt.NDArray[Any]) -> Teacher:
        """Fit on ``X`` (features and privileged columns) and the 0/1 labels ``y``."""
        from threadpoolctl import threadpool_limits

        if not 0 < self.negative_share <= 1:
            raise ModelError(f"negative_share {self.negative_share!r} is outside (0, 1]")
        labels = np.asarray(y, dtype=np.int64)
        if len(np.unique(labels)) < 2:
            raise ModelError("the teacher's labels hold only one class; both 0 and 1 are needed")
        keep, _ = negative_sample(labels, self.negative_share, self.random_state)
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        matrix = X.to_numpy(dtype=np.float64)[keep]
        # A column empty or constant in these rows (a signal that starts later) teaches nothing,
        # and sklearn's binning fails on an empty one: leave it out here and when scoring.
        inert = inert_columns(matrix)
        self.used_ = np.asarray([j for j in range(matrix.shape[1]) if j not in inert], dtype=np.int64)
        self.left_out_ = left_out_names(inert, [str(c) for c in self.feature_names_in_])
        model = new_hgb(False, self.get_params())
        with threadpool_limits(self.n_threads):
            self.model_ = model.fit(matrix[:, self.used_], labels[keep])
        return self

    def soft_targets(self, X: pd.DataFrame) -> pd.Series:
        """The probability of each row's label given its features and privileged columns."""
        from threadpoolctl import threadpool_limits

        if [str(c) for c in X.columns] != list(self.feature_names_in_):
            raise FeatureMismatchError("the teacher's columns differ from those it was fitted on")
        with threadpool_limits(self.n_threads):
            matrix = X.to_numpy(dtype=np.float64)[:, self.used_]
            logit = binned_margin(self.model_, matrix) + np.log(self.negative_share)
        return pd.Series(1.0 / (1.0 + np.exp(-logit)), index=X.index, name="soft_target")


TREE_PARAMS = ("learning_rate", "max_iter", "max_leaf_nodes", "min_samples_leaf", "l2_regularization")


def new_hgb(regressor: bool, params: dict[str, Any]) -> Any:
    """An unfitted HistGradientBoosting classifier or regressor: ``TREE_PARAMS`` and seed from ``params``.

    Fixed rounds, no early stopping: with the seed, the data alone decides the model.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    kind = HistGradientBoostingRegressor if regressor else HistGradientBoostingClassifier
    chosen = {name: params[name] for name in TREE_PARAMS}
    return kind(**chosen, early_stopping=False, random_state=params["random_state"])


def binned_margin(model: Any, matrix: FloatArray) -> FloatArray:
    """A fitted HistGradientBoosting model's raw output on ``matrix``, computed on its own bins.

    The trees split on bins, so mapping the rows to bins once and walking
    the trees on small integers gives exactly ``decision_function``'s
    numbers (a test checks this) in about a quarter of the time: on the
    teacher's ~110k rows that is 1.5 s instead of 6 s. sklearn does the same
    for its early-stopping scores; without those internals, the public call.
    """
    if not all(hasattr(model, name) for name in ("_bin_mapper", "_predictors", "_predict_iterations")):
        return np.asarray(model.decision_function(matrix), dtype=np.float64)
    binned = model._bin_mapper.transform(matrix)
    raw = np.zeros((len(matrix), 1)) + np.asarray(model._baseline_prediction, dtype=np.float64).reshape(1, -1)
    model._predict_iterations(binned, model._predictors, raw, is_binned=True, n_threads=1)
    return np.asarray(raw[:, 0], dtype=np.float64)


def margin(output: FloatArray) -> FloatArray:
    """The student's margin: the log of its output (an estimated chance), floored at :data:`FLOOR`."""
    return np.asarray(np.log(np.maximum(output, FLOOR)), dtype=np.float64)


def log_space(values: FloatArray, base: float, output: FloatArray) -> tuple[FloatArray, float]:
    """Contributions to the student's output rescaled to its margin, and the margin's base value.

    Each row's contributions are scaled by ``(margin(out) - margin(base)) /
    (out - base)``, so they keep their signs and order and add up exactly to
    the margin; where ``out`` equals ``base`` the limit (``1 / out``) is used.
    """
    low = max(base, FLOOR)
    gap = output - base
    rise = margin(output) - np.log(low)
    same = np.abs(gap) < 1e-12
    scale = np.where(same, 1.0 / np.maximum(output, FLOOR), rise / np.where(same, 1.0, gap))
    return np.asarray(values * scale[:, None], dtype=np.float64), float(np.log(low))
