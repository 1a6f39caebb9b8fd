"""Monthly signal totals per area: the province, each kota and each kecamatan.

For every signal, area and month the monitor keeps two numbers: how many of
the area's RWs reported (a non-empty cell) and the sum of what they reported.
An empty cell or a missing row is "not reported", never zero (contract
section 1), so a source's *coverage* (who reports) and its *level* (the mean
per reporting RW) are read apart: a roll-out that adds RWs moves coverage,
not the level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.monitor.result import AreaLevel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class AreaBlock:
    """The areas of one level: ``counts`` and ``sums`` have shape (areas, months, signals)."""

    level: AreaLevel
    codes: tuple[str, ...]
    parents: tuple[str | None, ...]
    n_rws: IntArray
    counts: FloatArray
    sums: FloatArray


@dataclass(frozen=True)
class AreaTotals:
    """Every level's totals over the months ``months`` for the signals ``signals``."""

    months: IntArray
    signals: tuple[str, ...]
    blocks: tuple[AreaBlock, ...]


def province_code(kota_code: str) -> str:
    """``31.71`` -> ``31``."""
    return kota_code.split(".")[0]


def area_totals(
    signals: pd.DataFrame, regions: pd.DataFrame, names: Sequence[str], first: int, last: int
) -> AreaTotals:
    """Totals of ``names`` per kecamatan, kota and province for months ``first..last``."""
    months = np.arange(first, last + 1, dtype=np.int64)
    kec = regions[["rw_code", "kecamatan_code", "kota_code"]].drop_duplicates("rw_code")
    kec_codes = np.sort(kec["kecamatan_code"].astype(str).unique())
    inside = signals["month"].between(first, last)
    frame = signals.loc[inside, ["rw_code", "month", *names]]
    area = frame["rw_code"].map(pd.Series(kec["kecamatan_code"].to_numpy(), index=kec["rw_code"].to_numpy()))
    keys = [area.astype(str).to_numpy(), frame["month"].to_numpy()]
    grouped = frame[list(names)].groupby(keys)
    index = pd.MultiIndex.from_product([kec_codes, months])
    shape = (len(kec_codes), len(months), len(names))
    counts = grouped.count().reindex(index, fill_value=0).to_numpy(np.float64).reshape(shape)
    sums = grouped.sum().reindex(index, fill_value=0.0).to_numpy(np.float64).reshape(shape)
    per_kec = kec.groupby("kecamatan_code")["rw_code"].count().reindex(kec_codes)
    rws_per_kec: IntArray = np.asarray(per_kec.to_numpy(), dtype=np.int64)
    kota_of = kec.drop_duplicates("kecamatan_code").set_index("kecamatan_code")["kota_code"].astype(str)
    kec_parents = tuple(str(kota_of[c]) for c in kec_codes)
    kec_block = AreaBlock(
        "kecamatan", tuple(str(c) for c in kec_codes), kec_parents, rws_per_kec, counts, sums
    )
    kota_block = _roll_up(kec_block, "kota", kec_parents, with_parent=True)
    province = _roll_up(kota_block, "province", tuple(province_code(c) for c in kota_block.codes))
    return AreaTotals(months, tuple(names), (province, kota_block, kec_block))


def _roll_up(
    block: AreaBlock, level: AreaLevel, keys: tuple[str, ...], with_parent: bool = False
) -> AreaBlock:
    """Sum ``block``'s areas into their parents ``keys`` (one per area)."""
    codes = tuple(sorted(set(keys)))
    position = np.array([codes.index(k) for k in keys], dtype=np.int64)
    counts = np.zeros((len(codes), *block.counts.shape[1:]))
    sums = np.zeros_like(counts)
    n_rws = np.zeros(len(codes), dtype=np.int64)
    np.add.at(counts, position, block.counts)
    np.add.at(sums, position, block.sums)
    np.add.at(n_rws, position, block.n_rws)
    parents = tuple(province_code(c) if with_parent else None for c in codes)
    return AreaBlock(level, codes, parents, n_rws, counts, sums)
