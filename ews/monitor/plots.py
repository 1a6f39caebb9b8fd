"""The realised-performance figure logged to MLflow (matplotlib, no pyplot global state)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ews.monitor.result import RealisedMonth


def realised_figure(months: Sequence[RealisedMonth]) -> Any:
    """Realised precision of each matured month's flags against the backtest's expected range."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 4.0), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    x = list(range(len(months)))
    ranged = [(i, m) for i, m in zip(x, months, strict=True) if m.expected_low is not None]
    if ranged:
        low = [m.expected_low or 0.0 for _, m in ranged]
        high = [m.expected_high or 0.0 for _, m in ranged]
        axes.fill_between([i for i, _ in ranged], low, high, color="#ddd", label="expected (backtest)")
    points = [(i, m.precision) for i, m in zip(x, months, strict=True) if m.precision is not None]
    axes.plot([i for i, _ in points], [p for _, p in points], marker="o", label="realised precision of flags")
    outside = [
        (i, m.precision) for i, m in zip(x, months, strict=True) if m.outside and m.precision is not None
    ]
    if outside:
        axes.scatter(
            [i for i, _ in outside], [p for _, p in outside], color="#b00020", zorder=3, label="outside"
        )
    axes.set_xticks(x, [m.month for m in months], rotation=45, ha="right")
    axes.set(ylabel="precision of the flag list", title="Realised performance of published flags")
    axes.legend(loc="best")
    return figure
