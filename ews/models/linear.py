"""The ``logit`` kind's pipeline: log copies of counts, imputation with indicators, scaling, L2 logit."""

from __future__ import annotations

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
