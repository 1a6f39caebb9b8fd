"""Backtest metrics at the case managers' follow-up capacity (top 20% of recently closed cases).

The generic backtest reports precision at 5% and 10%, sized for RW flag
lists; follow-up of closed cases works at a larger share, so the reopen task
re-judges the same fold predictions, baselines and truth at that share with
the generic :mod:`ews.models.metrics`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.models import metrics as m
from ews.models.backtest_types import MODEL, TRUTH, BacktestReport, BacktestSpec


def _fold_rows(spec: BacktestSpec, month: int, part: pd.DataFrame, share: float) -> list[dict[str, object]]:
    index = pd.Index(part["key"].astype(str), name="case_id")
    labels = pd.Series(part["label"].to_numpy(dtype=np.int64), index=index)
    scorers = {MODEL: pd.Series(part["score"].to_numpy(dtype=np.float64), index=index)}
    for name in spec.baselines.columns:
        base = spec.baselines[name].xs(month, level="as_of")
        scorers[str(name)] = base.set_axis(base.index.astype(str)).reindex(index).fillna(0.0)
    truth = spec.truth(month).reindex(index).fillna(0.0) if spec.truth is not None else None
    if truth is not None:
        scorers[TRUTH] = truth
    rows: list[dict[str, object]] = []
    for name, scores in scorers.items():
        row: dict[str, object] = {"as_of": month, "scorer": name}
        row |= m.ranking_metrics(scores, labels, (share,))
        if truth is not None:
            row |= m.truth_metrics(scores, truth, share)
        rows.append(row)
    return rows


def capacity_metrics(spec: BacktestSpec, report: BacktestReport, share: float) -> pd.DataFrame:
    """Per fold and scorer: precision/recall at ``share``, ROC-AUC, PR-AUC, truth ratio at ``share``."""
    rows: list[dict[str, object]] = []
    predictions = report.predictions
    for month in sorted(int(v) for v in predictions["as_of"].unique()):
        rows += _fold_rows(spec, month, predictions[predictions["as_of"] == month], share)
    return pd.DataFrame(rows)


def capacity_overall(capacity: pd.DataFrame) -> pd.DataFrame:
    """Mean of every capacity metric over folds, one row per scorer."""
    return (
        capacity.drop(columns=["as_of"]).groupby("scorer", sort=False).mean(numeric_only=True).reset_index()
    )


def capacity_summary(capacity: pd.DataFrame, share: float) -> dict[str, float]:
    """Flat ``{"backtest.<scorer>.<metric>": mean}`` for MLflow (only the metrics at ``share``)."""
    suffix = m.pct(share)
    out: dict[str, float] = {}
    for row in capacity_overall(capacity).to_dict("records"):
        scorer = row.pop("scorer")
        out |= {
            f"backtest.{scorer}.{k}": float(v) for k, v in row.items() if suffix in str(k) and pd.notna(v)
        }
    return out


def capacity_markdown(capacity: pd.DataFrame, share: float) -> str:
    """A Markdown section for the model card: the capacity metrics per scorer."""
    table = capacity_overall(capacity)
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    lines = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    title = f"## Follow-up capacity: top {share:.0%} of recently closed cases (mean over folds)"
    return "\n".join(["", title, "", header, rule, *lines, ""])


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
