"""The reference point of a reason: the mean of a feature over the other RWs of the same kelurahan.

Pure and vectorised: one pass over the scoring frame (every RW of one
month) with group sums and counts, then each RW's own value taken back out,
so an RW is never compared with itself. Missing values are left out of the
mean; an RW alone in its kelurahan, or whose peers all lack the value, gets
NaN (its sentence then has no comparison). ``log1p`` columns (population,
density) are averaged in people, not in logs, and logged back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.features import names

FloatArray = npt.NDArray[np.float64]
LOG1P_COLUMNS: Final = ("log_population", "log_density")


def compared(feature: str) -> bool:
    """Whether ``feature``'s sentence compares with the other RWs (signals and area attributes)."""
    return feature.startswith((names.SIGNAL_PREFIX, names.REGION_PREFIX)) or feature in LOG1P_COLUMNS


def kelurahan_reference(
    frame: pd.DataFrame, kelurahan: Iterable[object], columns: Iterable[str] | None = None
) -> pd.DataFrame:
    """For each row and compared column of ``frame``, the mean of that column over the *other* rows
    with the same ``kelurahan`` code (NaN where there are none); same index as ``frame``.

    ``frame`` holds one month (one row per RW); ``kelurahan`` is aligned with its rows (a missing code
    gets NaN). ``columns`` defaults to every column :func:`compared` accepts.
    """
    chosen = [c for c in (frame.columns if columns is None else columns) if compared(str(c))]
    values = frame[chosen].to_numpy(dtype=np.float64, copy=True)
    logged = np.array([c in LOG1P_COLUMNS for c in chosen], dtype=bool)
    values[:, logged] = np.expm1(values[:, logged])
    codes, _ = pd.factorize(pd.Series(list(kelurahan), dtype=object), use_na_sentinel=True)
    reference = others_mean(values, np.asarray(codes, dtype=np.int64))
    reference[:, logged] = np.log1p(reference[:, logged])
    return pd.DataFrame(reference, index=frame.index, columns=chosen)


def others_mean(values: FloatArray, groups: npt.NDArray[np.int64]) -> FloatArray:
    """Per row, the mean of each column over the other rows of its group, NaN ignored.

    ``groups`` holds a group number per row (negative: no group, NaN out).
    """
    known = ~np.isnan(values)
    filled = np.where(known, values, 0.0)
    grouped = groups >= 0
    size = max(int(groups.max(initial=-1)) + 1, 1)  # one spare row when nothing is grouped
    sums = np.zeros((size, values.shape[1]))
    counts = np.zeros((size, values.shape[1]))
    np.add.at(sums, groups[grouped], filled[grouped])
    np.add.at(counts, groups[grouped], known[grouped].astype(np.float64))
    row = np.where(grouped, groups, 0)
    total, count = sums[row] - filled, counts[row] - known
    mean = np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)
    mean[~grouped] = np.nan
    return mean
