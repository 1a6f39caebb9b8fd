"""Columns that a fit cannot learn from: empty or constant inside its own rows.

Real folders hold sources that start late, lapse, pause or are announced as
columns that stay empty (contract section 1, "Real folders"). Inside one
fitting window (a backtest fold, the base model's months, the teacher's
rows) such a column may have no value at all, which HistGradientBoosting's
binning refuses with a bare numpy error, or one value only, which teaches
nothing. Each fit finds those columns on the very rows it learns from and
leaves them out: the column is held at zero while fitting and scoring, so
it gets no split, no coefficient and no reason code, and the feature order
the model checks at scoring stays the contract's. The fit lists them
(:func:`left_out_names`) so the CLI, MLflow and the model card can say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
LEFT_OUT_COLUMNS = ["fit", "feature", "reason"]
EMPTY = "empty"
UNUSED = "unused"  # a column the model's kind does not read (not a property of the data)
CONSTANT = "constant"


def inert_columns(matrix: FloatArray) -> dict[int, str]:
    """Positions of the columns of ``matrix`` that are empty (no value) or constant, with the reason.

    Constant means one value in every row and none missing: a column whose
    only variation is missing versus present still tells the model something.
    """
    if matrix.shape[0] == 0:
        return {j: EMPTY for j in range(matrix.shape[1])}
    low, high = column_bounds(matrix)
    empty = np.isnan(low)
    constant = ~empty & (low == high) & ~np.isnan(matrix).any(axis=0)
    found = {int(j): EMPTY for j in np.flatnonzero(empty)}
    found.update({int(j): CONSTANT for j in np.flatnonzero(constant)})
    return dict(sorted(found.items()))


def column_bounds(matrix: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each column's minimum and maximum, NaN ignored; NaN for a column with no value (or no rows).

    fmin/fmax skip NaN without nanmin's warning, whose silencing is not
    thread-safe (fits run on threads).
    """
    if matrix.shape[0] == 0:
        empty = np.full(matrix.shape[1], np.nan)
        return empty, empty.copy()
    return np.fmin.reduce(matrix, axis=0), np.fmax.reduce(matrix, axis=0)


def hold_at_zero(matrix: FloatArray, inert: IntArray) -> FloatArray:
    """``matrix`` with the ``inert`` columns set to 0 (a copy when there are any)."""
    if len(inert) == 0:
        return matrix
    held = matrix.copy()
    held[:, inert] = 0.0
    return held


def left_out_names(inert: Mapping[int, str], names: Sequence[str]) -> dict[str, str]:
    """``{feature name: reason}`` for the inert positions."""
    return {str(names[j]): reason for j, reason in inert.items()}


def left_out_frame(fit: str, left_out: Mapping[str, str]) -> pd.DataFrame:
    """One row per column a fit left out: ``fit`` (which fit), ``feature``, ``reason``."""
    rows = [{"fit": fit, "feature": name, "reason": reason} for name, reason in left_out.items()]
    return pd.DataFrame(rows, columns=LEFT_OUT_COLUMNS)
