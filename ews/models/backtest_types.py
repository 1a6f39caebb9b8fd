"""What a backtest takes and gives: the task's spec, the flag rule and the report.

Separate from :mod:`ews.models.backtest` (choosing folds and model kinds,
running the fits) and :mod:`ews.models.backtest_fold` (one fold's fit and
metrics) because every task, the model card, the plots and the scorers
read these types and :func:`month_rows` without running a backtest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.models import metrics as m

MODEL = "model"
TRUTH = "truth"


@dataclass(frozen=True)
class BacktestSpec:
    """What a task hands the backtest; see docs/architecture.md ("Trained tasks")."""

    features: pd.DataFrame
    labels: Callable[[int], pd.Series]
    baselines: pd.DataFrame
    horizon: int = 1
    capacity_groups: pd.Series | None = None
    audit_groups: pd.DataFrame | None = None
    truth: Callable[[int], pd.Series] | None = None
    # Months a label needs after its window to be (nearly) complete: folds are
    # taken that much before the backtest end, so "observed" means near-final.
    maturity: int = 0
    # A teacher's probability of each feature row's label (``ews.models.distill``),
    # which distilled models fit instead of the labels; None for tasks without one.
    soft_targets: pd.Series | None = None
    # Rows (aligned with ``features`` and with every ``labels`` answer) that fits may learn from;
    # None: all. A large panel keeps every RW only in the months it scores (``ews.features.rw.RowSample``).
    fit_rows: npt.NDArray[np.bool_] | None = None


@dataclass(frozen=True)
class FlagRule:
    """The flag list: top ``share`` of units, at most ``capacity`` per capacity group."""

    share: float = 0.05
    capacity: int | None = None


@dataclass(frozen=True)
class BacktestReport:
    """Per-fold metrics for the model, each baseline and the truth; audit; reliability."""

    kind: str
    folds: pd.DataFrame
    audit: pd.DataFrame
    predictions: pd.DataFrame
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Columns each fold's fit left out (``ews.models.columns``): fit, feature, reason.
    left_out: pd.DataFrame = field(default_factory=pd.DataFrame)

    def overall(self) -> pd.DataFrame:
        """Mean of every metric over folds, one row per scorer (model, baselines, truth)."""
        numeric = self.folds.drop(columns=["as_of"]).groupby("scorer", sort=False).mean(numeric_only=True)
        return numeric.reset_index()

    def reliability(self, bins: int = 10) -> pd.DataFrame:
        """The model's reliability curve pooled over folds."""
        return m.reliability_table(self.predictions["score"], self.predictions["label"], bins)

    def summary(self) -> dict[str, float]:
        """Flat ``{"backtest.<scorer>.<metric>": mean}`` for MLflow, plus the pooled calibration ratio."""
        out: dict[str, float] = {}
        for row in self.overall().to_dict("records"):
            scorer = row.pop("scorer")
            out.update({f"backtest.{scorer}.{k}": float(v) for k, v in row.items() if pd.notna(v)})
        observed = float(self.predictions["label"].mean())
        if observed > 0:
            out["backtest.model.calibration_ratio"] = float(self.predictions["score"].mean()) / observed
        out["backtest.folds"] = float(self.folds["as_of"].nunique())
        return out

    def best_baseline(self, metric: str = "precision_at_5pct") -> tuple[str, float]:
        """The baseline with the highest mean ``metric``."""
        table = self.overall()
        rows = table[~table["scorer"].isin([MODEL, TRUTH])]
        best = rows.iloc[int(np.argmax(rows[metric].to_numpy()))]
        return str(best["scorer"]), float(best[metric])


FoldResult = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]
"""Per fold: metrics per scorer, audit, predictions, columns left out."""


def month_rows(frame: pd.DataFrame, month: int) -> pd.DataFrame:
    """The rows of one as-of month, indexed by key alone."""
    return cast(pd.DataFrame, frame.xs(month, level="as_of"))
