"""One fold of the rolling-origin backtest: fit on matured labels, score the month, measure it.

:func:`fit_on_matured` fits a RiskClassifier on every row whose label had
matured by a month (also the final model of ``ews train``); the fold scores
that month and measures the model, each baseline and (on synthetic data) the
truth against the labels as known at the end of the backtest. Separate from
:mod:`ews.models.backtest`, which decides which folds and kinds run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from ews.models import metrics as m
from ews.models.backtest_types import MODEL, TRUTH, BacktestSpec, FlagRule, FoldResult, month_rows
from ews.models.columns import left_out_frame
from ews.models.estimator import RiskClassifier
from ews.models.tiers import flag_top

KS = (0.05, 0.10)


def fit_on_matured(spec: BacktestSpec, known_at: int, model_params: Mapping[str, Any]) -> RiskClassifier:
    """Fit a RiskClassifier on every row whose label had matured by ``known_at``."""
    labels = spec.labels(known_at)
    matured = np.asarray(labels.index.get_level_values("as_of") < known_at)
    if spec.fit_rows is not None and _aligned(spec, labels):
        # Positional: labels are the features' leading rows (a .loc on millions of rows is slow).
        keep = matured & spec.fit_rows[: len(labels)]
        labels, X = labels[keep], spec.features.iloc[: len(keep)][keep]
        soft = None if spec.soft_targets is None else spec.soft_targets.iloc[: len(keep)][keep]
    else:
        if spec.fit_rows is not None:
            sampled = pd.Series(spec.fit_rows, index=spec.features.index)
            matured &= sampled.reindex(labels.index, fill_value=False).to_numpy(dtype=bool)
        labels = labels[matured]
        X = spec.features.loc[labels.index]
        soft = None if spec.soft_targets is None else spec.soft_targets.reindex(labels.index)
    return RiskClassifier(**model_params).fit(X, labels.to_numpy(), soft_targets=soft)


def _aligned(spec: BacktestSpec, labels: pd.Series) -> bool:
    """Whether ``labels`` are the leading rows of ``spec.features`` (same keys, same order)."""
    n, rows, given = len(labels), spec.features.index, labels.index
    same = n <= len(rows) and isinstance(rows, pd.MultiIndex) and isinstance(given, pd.MultiIndex)
    if same:  # compare level codes: MultiIndex.equals builds tuples, slow on millions of rows
        rows, given = cast(pd.MultiIndex, rows), cast(pd.MultiIndex, given)
        same = all(a.equals(b) for a, b in zip(rows.levels, given.levels, strict=True)) and all(
            np.array_equal(a[:n], b) for a, b in zip(rows.codes, given.codes, strict=True)
        )
    return same


def evaluate_fold(
    spec: BacktestSpec,
    month: int,
    final_labels: pd.Series,
    flag_rule: FlagRule,
    model_params: Mapping[str, Any],
) -> FoldResult:
    model = fit_on_matured(spec, month, model_params)
    X = month_rows(spec.features, month)
    labels = final_labels.xs(month, level="as_of").reindex(X.index).fillna(0).astype(np.int64)
    scores = pd.Series(model.predict_proba(X)[:, 1], index=X.index)
    truth = spec.truth(month) if spec.truth is not None else None
    flags = flag_top(scores, flag_rule.share, spec.capacity_groups, flag_rule.capacity)
    rows = [
        {
            "scorer": MODEL,
            **_score_metrics(scores, labels, truth, flags),
            **m.calibration_metrics(scores, labels),
        }
    ]
    for name in spec.baselines.columns:
        base = spec.baselines[name].xs(month, level="as_of").reindex(X.index).fillna(0.0)
        base_flags = flag_top(base, flag_rule.share, spec.capacity_groups, flag_rule.capacity)
        rows.append({"scorer": str(name), **_score_metrics(base, labels, truth, base_flags)})
    if truth is not None:
        best = truth.reindex(X.index).fillna(0.0)
        best_flags = flag_top(best, flag_rule.share, spec.capacity_groups, flag_rule.capacity)
        rows.append({"scorer": TRUTH, **_score_metrics(best, labels, truth, best_flags)})
    table = pd.DataFrame(rows)
    table.insert(0, "as_of", month)
    predictions = pd.DataFrame(
        {
            "as_of": month,
            "key": X.index.astype(str),
            "score": scores.to_numpy(),
            "label": labels.to_numpy(),
            "flagged": flags.to_numpy(),
        }
    )
    left_out = left_out_frame(f"fold {_month(month)}", model.left_out_)
    return table, _audit(spec, month, flags, labels), predictions, left_out


def _score_metrics(
    scores: pd.Series, labels: pd.Series, truth: pd.Series | None, flags: pd.Series
) -> dict[str, float]:
    out = {**m.ranking_metrics(scores, labels, KS), **m.flag_metrics(flags, labels)}
    if truth is not None:
        for k in KS:
            out.update(m.truth_metrics(scores, truth, k))
    return out


def _audit(spec: BacktestSpec, month: int, flags: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Flag rate, precision and recall of the flag list within each audit group."""
    if spec.audit_groups is None:
        return pd.DataFrame()
    return m.audit_table(month_rows(spec.audit_groups, month).reindex(flags.index), month, flags, labels)


def _month(month: int) -> str:
    from ews.months import format_month

    return format_month(month)
