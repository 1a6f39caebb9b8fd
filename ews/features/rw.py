"""RW feature matrix: one function for training (many as-of) and scoring (one).

``build_rw_features(folder, as_of_months)`` returns one row per RW in regions
for every as-of month, indexed ``(as_of, rw_code)`` (as-of ascending, RWs in
regions order), with float64 columns in the order of
:func:`rw_feature_columns`. Each row uses only what was known as of its month
(contract section 2): cases reported before the as-of's first day, events
and officials' checks dated before it, signals for earlier months. So the
rows for ``M`` are equal, exactly, to those built from
``known_as_of(folder, M)``, and do not depend on which other as-of months
were asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.folder import DataFolder
from ews.exceptions import DataError
from ews.features import names
from ews.features.checks import check_features
from ews.features.history import case_features, pooled_features
from ews.features.neighbors import neighbor_pairs
from ews.features.panel import FloatArray, Grid, as_of_array, code_positions, make_grid
from ews.features.signals import signal_features

__all__ = [
    "RowSample",
    "build_rw_feature_sample",
    "build_rw_features",
    "check_rw_features",
    "neighbor_pairs",
    "rw_feature_columns",
    "rw_index",
]

INDEX_NAMES = ("as_of", "rw_code")


def rw_feature_columns(folder: DataFolder) -> list[str]:
    """The feature columns, in order, for this folder's signal and static columns and checks file."""
    return names.feature_columns(folder.signal_columns, folder.static_columns, folder.checks is not None)


def rw_index(as_of: Sequence[int] | np.ndarray, rw_codes: pd.Index) -> pd.MultiIndex:
    """The ``(as_of, rw_code)`` index shared by features and labels."""
    months = pd.Index(np.asarray(as_of, dtype=np.int64), dtype="int64")
    return pd.MultiIndex.from_product([months, rw_codes], names=list(INDEX_NAMES))


def region_codes(folder: DataFolder) -> pd.Index:
    """RW codes in regions order, as plain strings."""
    codes: pd.Index = pd.Index(folder.regions["rw_code"].astype(str).to_numpy(dtype=object), dtype="str")
    return codes


def build_rw_features(folder: DataFolder, as_of_months: Sequence[int]) -> pd.DataFrame:
    """The RW feature matrix for every as-of month (see the module docstring)."""
    as_of = as_of_array(as_of_months)
    grid = make_grid(region_codes(folder), as_of, back=names.LONG_LOOKBACK)
    columns = rw_feature_columns(folder)
    if len(as_of) == 0:
        empty = pd.DataFrame(
            np.empty((0, len(columns))), columns=columns, index=rw_index(as_of, grid.rw_codes)
        )
        return empty
    blocks = _feature_blocks(folder, grid)
    # Column-major fill: the frame then wraps the array without another copy.
    values = np.empty((len(as_of) * grid.n_rw, len(columns)), dtype=np.float64, order="F")
    for position, column in enumerate(columns):
        values[:, position].reshape(len(as_of), grid.n_rw)[:] = blocks.pop(column).T
    frame = pd.DataFrame(values, columns=columns, index=rw_index(as_of, grid.rw_codes), copy=False)
    check_rw_features(frame, columns)
    return frame


def _feature_blocks(folder: DataFolder, grid: Grid) -> dict[str, FloatArray]:
    """Every feature column as an RW x as-of array."""
    own = case_features(folder, grid)
    blocks = own | pooled_features(folder, grid, own) | signal_features(folder, grid)
    return blocks | static_features(folder, grid) | check_features(folder, grid)


@dataclass(frozen=True)
class RowSample:
    """The rows a large training panel keeps: every RW in ``full_months``, the ``sampled`` RWs elsewhere.

    ``sampled`` is a boolean mask over the RWs in regions order.
    """

    sampled: npt.NDArray[np.bool_]
    full_months: frozenset[int]

    def rw_mask(self, month: int) -> npt.NDArray[np.bool_]:
        """The RWs kept for as-of ``month``."""
        return np.ones_like(self.sampled) if month in self.full_months else self.sampled

    def row_mask(self, as_of: Sequence[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """The kept rows of an ``(as_of, rw_code)`` product over ``as_of`` (as-of major)."""
        masks = [self.rw_mask(int(m)) for m in as_of]
        return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)


def build_rw_feature_sample(
    folder: DataFolder, as_of_months: Sequence[int], sample: RowSample
) -> pd.DataFrame:
    """The rows of :func:`build_rw_features` that ``sample`` keeps, equal to the full build's exactly.

    The ``full_months`` are built on the whole folder; the other months on a sub-folder holding
    the sampled RWs' kecamatan and their neighbours (``ews.features.partition``), which costs
    about the sample's share of a full build. Rows come as-of major, RWs in regions order.
    """
    from ews.features.partition import sample_partition

    as_of = as_of_array(as_of_months)
    keep = sample.row_mask(as_of)
    columns = rw_feature_columns(folder)
    full_months = [int(m) for m in as_of if int(m) in sample.full_months]
    other_months = [int(m) for m in as_of if int(m) not in sample.full_months]
    full = build_rw_features(folder, full_months).to_numpy()
    part = sample_partition(folder, sample.sampled)
    sub = build_rw_features(part.folder, other_months).to_numpy()
    own = code_positions(region_codes(part.folder), pd.Series(part.own, dtype="string"))
    n_rw, n_sub = len(folder.regions), len(part.folder.regions)
    values = np.empty((int(keep.sum()), len(columns)), dtype=np.float64, order="F")
    row = 0
    for month in as_of.tolist():
        if month in sample.full_months:
            at = full_months.index(month) * n_rw
            block = full[at : at + n_rw]
        else:
            block = sub[other_months.index(month) * n_sub + own]
        values[row : row + len(block)] = block
        row += len(block)
    frame = pd.DataFrame(
        values, columns=columns, index=rw_index(as_of, region_codes(folder))[keep], copy=False
    )
    check_rw_features(frame, columns)
    return frame


def static_features(folder: DataFolder, grid: Grid) -> dict[str, FloatArray]:
    """Region attributes (non-finite read as unknown), size, density and the calendar month."""
    regions = folder.regions
    n_as_of = len(grid.as_of)

    def per_rw(values: np.ndarray) -> FloatArray:
        column = np.asarray(values, dtype=np.float64).reshape(-1, 1)
        return np.repeat(np.where(np.isfinite(column), column, np.nan), n_as_of, axis=1)

    out = {f"{names.REGION_PREFIX}{c}": per_rw(regions[c].to_numpy()) for c in folder.static_columns}
    population = regions["population"].to_numpy(dtype=np.float64)
    area = regions["area_km2"].to_numpy(dtype=np.float64)
    density = np.divide(population, area, out=np.full_like(area, np.nan), where=area > 0)
    out["log_population"] = per_rw(np.log1p(np.maximum(population, 0)))
    out["log_density"] = per_rw(np.log1p(np.maximum(density, 0)))
    angle = 2 * np.pi * (grid.as_of % 12) / 12
    out["month_sin"] = np.repeat(np.sin(angle)[None, :], grid.n_rw, axis=0)
    out["month_cos"] = np.repeat(np.cos(angle)[None, :], grid.n_rw, axis=0)
    return out


def check_rw_features(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise ``DataError`` unless ``frame`` has the index names, column order, dtype and no inf promised."""
    if tuple(frame.index.names) != INDEX_NAMES:
        raise DataError(f"feature matrix index is {list(frame.index.names)}, expected {list(INDEX_NAMES)}")
    if list(frame.columns) != list(columns):
        raise DataError("feature matrix columns differ from the fixed order of rw_feature_columns")
    wrong = [c for c, dtype in frame.dtypes.items() if dtype != np.float64]
    if wrong:
        raise DataError(f"feature column {wrong[0]!r} is {frame[wrong[0]].dtype}, expected float64")
    infinite = np.isinf(frame.to_numpy(dtype=np.float64)).any(axis=0)
    if infinite.any():
        raise DataError(f"feature column {frame.columns[infinite.argmax()]!r} holds an infinite value")
