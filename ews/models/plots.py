"""Figures logged with every trained task (matplotlib, no pyplot global state).

Figures are built with ``matplotlib.figure.Figure`` directly, so nothing opens
a window or leaks between runs; they are saved by ``ews.tracking``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ews.models.backtest_types import MODEL, TRUTH, BacktestReport
from ews.models.estimator import RiskClassifier


def task_figures(report: BacktestReport, model: RiskClassifier, current: pd.DataFrame) -> dict[str, Any]:
    """Reliability curve, precision@5% by fold vs baselines, and the SHAP summary."""
    return {
        "reliability.png": reliability_figure(report),
        "precision_at_k_by_fold.png": precision_figure(report, "precision_at_5pct"),
        "shap_summary.png": shap_summary_figure(model, current),
    }


def _figure(width: float = 6.0, height: float = 4.5) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def reliability_figure(report: BacktestReport) -> Any:
    """Observed rate against mean predicted score per equal-count bin, pooled over folds."""
    table = report.reliability()
    figure = _figure()
    axes = figure.add_subplot()
    top = max(float(table["mean_predicted"].max()), float(table["observed"].max()), 1e-3) * 1.05
    axes.plot([0, top], [0, top], linestyle="--", color="grey", label="perfect calibration")
    axes.plot(table["mean_predicted"], table["observed"], marker="o", label=f"model ({report.kind})")
    axes.set(
        xlabel="mean predicted probability", ylabel="observed rate", title="Reliability (backtest folds)"
    )
    axes.legend()
    return figure


def precision_figure(report: BacktestReport, metric: str) -> Any:
    """One line per scorer: ``metric`` at each fold's as-of month."""
    from ews.months import format_month

    figure = _figure(7.0, 4.5)
    axes = figure.add_subplot()
    for scorer, part in report.folds.groupby("scorer", sort=False):
        style = "-" if scorer == MODEL else ":" if scorer == TRUTH else "--"
        labels = [format_month(int(m)) for m in part["as_of"]]
        axes.plot(labels, part[metric], linestyle=style, marker="o", label=str(scorer))
    axes.set(
        xlabel="as-of month", ylabel=metric.replace("_", " "), title="Backtest by fold: model vs baselines"
    )
    axes.tick_params(axis="x", rotation=45)
    axes.legend(fontsize="small")
    return figure


def shap_summary_figure(model: RiskClassifier, current: pd.DataFrame, top: int = 15) -> Any:
    """Mean absolute contribution to the raw margin of the ``top`` features at the latest as-of month."""
    from ews.models.explain import contributions

    contrib, _ = contributions(model, current)
    importance = contrib.abs().mean().sort_values().tail(top)
    figure = _figure(7.0, 0.3 * len(importance) + 1.5)
    axes = figure.add_subplot()
    axes.barh([str(i) for i in importance.index], importance.to_numpy())
    axes.set(xlabel="mean |contribution| to the log-odds", title="Reason-code summary (SHAP / linear)")
    return figure
