"""Dense RW x month panels and window sums over them.

A :class:`Grid` spans the months ``lo .. lo + n_months - 1`` for every RW.
Features for an as-of month ``M`` read columns ``< M - lo`` only, and never
more than ``LOOKBACK`` of them, so one grid serves many as-of months and the
result for ``M`` does not depend on which other months were asked for.
Count windows come from int64 prefix sums (exact); float windows are summed
lag by lag in a fixed order so their rounding is the same in every grid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.exceptions import TimeRuleError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Grid:
    """RWs (rows, regions order) x months ``lo ..`` (columns), and the as-of months asked for."""

    rw_codes: pd.Index
    lo: int
    n_months: int
    as_of: IntArray

    @property
    def n_rw(self) -> int:
        """Number of RWs (panel rows)."""
        return len(self.rw_codes)

    @property
    def t(self) -> IntArray:
        """Panel column of each as-of month: windows ``[t - w, t)`` lie before it."""
        return self.as_of - self.lo

    def rw_positions(self, codes: pd.Series) -> IntArray:
        """Row of each RW code (-1 for codes not in regions or missing)."""
        return code_positions(self.rw_codes, codes)


def code_positions(rw_codes: pd.Index, codes: pd.Series) -> IntArray:
    """Position of each of ``codes`` in ``rw_codes`` (-1 when absent or missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Arrow's hash lookup is ~20x faster than Index.get_indexer on Arrow-backed strings.
    values = pa.array(codes.astype("string"), from_pandas=True).cast(pa.string())
    known = pa.array([str(code) for code in rw_codes], type=pa.string())
    found = pc.index_in(values, value_set=known).fill_null(-1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def date_months(dates: pd.Series | npt.NDArray[np.datetime64]) -> IntArray:
    """Month index of each date (NaT gives -1), in numpy: no per-call pandas overhead."""
    stamps = np.asarray(dates, dtype="datetime64[ns]")
    months = stamps.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return np.where(np.isnat(stamps), -1, months)


def as_of_array(as_of_months: Iterable[int]) -> IntArray:
    """Sorted unique as-of months; raise ``TimeRuleError`` on a value that is not a whole month index."""
    values = list(as_of_months)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TimeRuleError(f"as-of month {value!r} is not a month index (an int such as 24291)")
    return np.unique(np.asarray(values, dtype=np.int64))


def make_grid(rw_codes: pd.Index, as_of: IntArray, *, back: int, ahead: int = 0) -> Grid:
    """A grid covering ``back`` months before the first as-of to ``ahead`` months after the last."""
    lo = int(as_of.min()) - back if len(as_of) else 0
    hi = int(as_of.max()) + ahead if len(as_of) else 0
    return Grid(rw_codes=rw_codes, lo=lo, n_months=max(hi - lo, 0), as_of=as_of)


def prefix_counts(
    grid: Grid,
    rows: IntArray,
    months: IntArray,
    weights: FloatArray | None = None,
    *,
    clip_early: bool = False,
) -> FloatArray:
    """Prefix sums ``P[:, j]`` = total over months ``lo .. lo + j - 1`` (shape n_rw x n_months+1).

    With ``clip_early`` the months before the grid add into its first column,
    so ``P`` is a running total over all history (open-case stock).
    """
    cols = months - grid.lo
    if clip_early:
        cols = np.maximum(cols, 0)
    keep = (rows >= 0) & (cols >= 0) & (cols < grid.n_months)
    flat = rows[keep] * grid.n_months + cols[keep]
    w = None if weights is None else weights[keep]
    counts = np.bincount(flat, weights=w, minlength=grid.n_rw * grid.n_months)
    counts = counts.reshape(grid.n_rw, grid.n_months)
    prefix = np.zeros((grid.n_rw, grid.n_months + 1), dtype=np.float64)
    # Integer-valued sums are exact in float64 far beyond any case count.
    np.cumsum(counts, axis=1, out=prefix[:, 1:])
    return prefix


def window_sum(prefix: FloatArray, grid: Grid, width: int, *, start: int = -1) -> FloatArray:
    """Sum over ``width`` months ending before each as-of (``start=-1``), or from it (``start=0``).

    Returns shape n_rw x n_as_of.
    """
    t = grid.t
    if start < 0:
        return prefix[:, t] - prefix[:, t - width]
    return prefix[:, t + width] - prefix[:, t]


def months_since(prefix: FloatArray, grid: Grid, cap: int) -> FloatArray:
    """Months from the last month with a positive count to each as-of (1 = the month before), capped."""
    occurred = np.diff(prefix, axis=1) > 0
    marks = np.where(occurred, np.arange(grid.n_months), -(cap + 1) * 4)
    last = np.maximum.accumulate(marks, axis=1) if grid.n_months else marks
    since = grid.t[None, :] - last[:, grid.t - 1]
    return np.minimum(since, cap).astype(np.float64)


def value_panel(grid: Grid, rows: IntArray, months: IntArray, values: FloatArray) -> FloatArray:
    """A float panel (NaN where nothing was reported); non-finite values count as not reported."""
    panel = np.full((grid.n_rw, grid.n_months), np.nan)
    cols = months - grid.lo
    keep = (rows >= 0) & (cols >= 0) & (cols < grid.n_months) & np.isfinite(values)
    panel[rows[keep], cols[keep]] = values[keep]
    return panel


def lagged(panel: FloatArray, grid: Grid, lag: int) -> FloatArray:
    """The panel's values ``lag`` months before each as-of (n_rw x n_as_of)."""
    return panel[:, grid.t - lag]


def lag_sum_count(
    panel: FloatArray, grid: Grid, first: int, last: int, decay: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Sum and number of reported values over lags ``first..last`` (1 = the month before the as-of).

    With ``decay`` < 1 each lag further back weighs ``decay`` times the one before, in both
    the sum and the count (their ratio is then a weighted mean of the reported months).
    """
    total = np.zeros((grid.n_rw, len(grid.as_of)))
    count = np.zeros_like(total)
    for lag in range(first, last + 1):
        values = lagged(panel, grid, lag)
        seen = ~np.isnan(values)
        weight = decay ** (lag - first)
        total += weight * np.where(seen, values, 0.0)
        count += weight * seen
    return total, count
