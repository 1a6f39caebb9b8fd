"""Features of the monthly signals, whatever their names.

Figures for month ``m`` are known from ``m + 1``, so as of ``M`` the latest
usable month is ``M - 1`` (lag 1). An empty cell or a missing row is "not
reported": it is left out of means rather than read as zero, and the share
of reported months is a feature of its own. A signal that starts mid-history
is simply NaN before it starts, and ``months_since_start`` says how long it
has been reported: for complaint-post contacts that is the time since a post
began serving the RW (post sites and opening dates are not in the contract,
so this is the closest derivable "network changed near the RW" feature).
A source that lapses or pauses shows in ``months_since_last``: the months
since its latest report, so a model can tell "stopped reporting" from "quiet".
"""

from __future__ import annotations

import numpy as np

from ews.data.folder import DataFolder
from ews.features import names
from ews.features.panel import FloatArray, Grid, lag_sum_count, lagged, value_panel

Block = dict[str, FloatArray]


def signal_features(folder: DataFolder, grid: Grid) -> Block:
    """Every statistic of :data:`ews.features.names.SIGNAL_STATS` for every signal column."""
    signals = folder.signals
    rows = grid.rw_positions(signals["rw_code"])
    months = signals["month"].to_numpy(dtype=np.int64)
    population = folder.regions["population"].to_numpy(dtype=np.float64).reshape(-1, 1)
    out: Block = {}
    for signal in folder.signal_columns:
        panel = value_panel(grid, rows, months, signals[signal].to_numpy(dtype=np.float64))
        stats = _stats(panel, grid, population)
        out |= {names.signal_column(signal, stat): stats[stat] for stat in names.SIGNAL_STATS}
    return out


def _mean(parts: list[tuple[FloatArray, FloatArray]]) -> tuple[FloatArray, FloatArray]:
    """Mean over lag blocks (NaN where none reported), and the number reported.

    Blocks are added in a fixed order, so the rounding is the same for every grid.
    """
    total, count = parts[0][0].copy(), parts[0][1].copy()
    for block_total, block_count in parts[1:]:
        total += block_total
        count += block_count
    return np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0), count


def _stats(panel: FloatArray, grid: Grid, population: FloatArray) -> Block:
    last = lagged(panel, grid, 1)
    lags_1_3, lags_4_6, lags_7_12, lags_13_15, lags_16_36 = (
        lag_sum_count(panel, grid, first, end) for first, end in ((1, 3), (4, 6), (7, 12), (13, 15), (16, 36))
    )
    mean3, _ = _mean([lags_1_3])
    mean12, count12 = _mean([lags_1_3, lags_4_6, lags_7_12])
    before3, _ = _mean([lags_4_6])
    # "Usual" is the year before the recent 3 months, so a rise cannot dilute its own baseline.
    usual, _ = _mean([lags_4_6, lags_7_12, lags_13_15])
    people = np.where(population > 0, population, np.nan)
    return {
        "last": last,
        "mean3": mean3,
        "mean12": mean12,
        # Three years average out the month-to-month noise: a view of the RW's persistent level.
        "mean36": _mean([lags_1_3, lags_4_6, lags_7_12, lags_13_15, lags_16_36])[0],
        "ratio_3_12": ratio_3_12(mean3, usual),
        "trend": mean3 - before3,
        "decay": _decayed_mean(panel, grid),
        "per_1000": mean3 * 1000.0 / people,
        "reported_share12": count12 / 12.0,
        "missing_last": np.isnan(last).astype(np.float64),
        "months_since_start": _months_since_start(panel, grid),
        "months_since_last": _months_since_last(panel, grid),
    }


def _decayed_mean(panel: FloatArray, grid: Grid) -> FloatArray:
    """Mean of the last ``DECAY_LAGS`` months, each month back weighing ``DECAY`` times less.

    It mirrors the near-repeat weighting of cases: a signal that reacts to
    incidents (reported or not) says most about the months right after them.
    Unreported months drop out of both the sum and the weights.
    """
    return _mean([lag_sum_count(panel, grid, 1, names.DECAY_LAGS, decay=names.DECAY)])[0]


def ratio_3_12(recent: FloatArray, usual: FloatArray) -> FloatArray:
    """Recent level over the usual level, capped at ``RATIO_CAP``.

    An empty baseline gives 1 when the recent level is empty too and the cap
    when it is not (the strongest rise there is); NaN when either is unknown
    or the baseline is negative.
    """
    safe = np.where(usual > 0, usual, 1.0)
    ratio = np.where(usual > 0, recent / safe, np.nan)
    ratio = np.where((usual == 0) & (recent == 0), 1.0, ratio)
    ratio = np.where((usual == 0) & (recent > 0), names.RATIO_CAP, ratio)
    return np.minimum(ratio, names.RATIO_CAP)


def _months_since_start(panel: FloatArray, grid: Grid) -> FloatArray:
    """Months since the signal was first reported within ``LOOKBACK`` (NaN if not at all)."""
    n_months = grid.n_months
    cols = np.arange(n_months)
    marks = np.where(~np.isnan(panel), cols, n_months)
    # next_seen[:, j]: first reported column at or after j.
    next_seen = np.minimum.accumulate(marks[:, ::-1], axis=1)[:, ::-1]
    first = next_seen[:, grid.t - names.LOOKBACK]
    since = (grid.t[None, :] - first).astype(np.float64)
    return np.where(first < grid.t[None, :], since, np.nan)


def _months_since_last(panel: FloatArray, grid: Grid) -> FloatArray:
    """Months from the latest reported month within ``LOOKBACK`` to the as-of month (1 = last month).

    NaN when the RW has no report in the window at all (then ``months_since_start`` is NaN too).
    """
    n_months = grid.n_months
    cols = np.arange(n_months)
    marks = np.where(~np.isnan(panel), cols, -1)
    # last_seen[:, j]: latest reported column at or before j.
    last_seen = np.maximum.accumulate(marks, axis=1)
    latest = last_seen[:, grid.t - 1]
    since = (grid.t[None, :] - latest).astype(np.float64)
    return np.where((latest >= 0) & (latest >= grid.t[None, :] - names.LOOKBACK), since, np.nan)
