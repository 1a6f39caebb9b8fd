"""Split a data folder into areas that build their RW features alone, exactly as the whole folder would.

A :class:`Partition` is one area's own RWs (a province, kota or kecamatan:
codes nest, so whole kelurahan and kecamatan) plus a *halo*, and a sub-folder
holding what those RWs' features read. Features of an own RW then equal,
bit for bit, the ones built from the whole folder, because:

* neighbour sums read the neighbours' cases: the halo is every neighbour of
  an own RW, and the neighbour pairs are derived once over the whole folder
  (a folder without a neighbors file gets lat/lon or kelurahan pairs that
  depend on every RW) and handed over as an explicit neighbors frame;
* kelurahan and kecamatan totals read every RW of the area: the area holds
  them whole;
* the repeat-victim flag reads earlier cases of the same ``victim_key``,
  anywhere: every case sharing a key with the sub-folder's cases comes along;
* the long-run case rate divides by the months since the folder's
  ``first_month``: the earliest signal row and earliest case come along.

Rows of RWs outside the sub-folder's regions (the last two points) are read
by the feature code as "not one of these RWs" (``code_positions`` gives -1)
and counted nowhere; they only carry those folder-wide facts. Halo RWs' own
feature rows are not exact (their areas are cut) and are dropped after building.
Row order inside every frame is the whole folder's, so sums add in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.folder import DataFolder
from ews.exceptions import ConfigError
from ews.features.neighbors import neighbor_pairs
from ews.features.panel import IntArray, code_positions

Level = Literal["province", "kota", "kecamatan"]
LEVELS: tuple[Level, ...] = ("province", "kota", "kecamatan")
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Partition:
    """One area: its key (e.g. ``31.71``), its own RW codes (regions order) and its sub-folder."""

    key: str
    own: tuple[str, ...]
    folder: DataFolder

    @property
    def halo(self) -> int:
        """How many RWs of the sub-folder are neighbours from outside the area."""
        return len(self.folder.regions) - len(self.own)


def area_keys(regions: pd.DataFrame, by: Level) -> pd.Series:
    """Each RW's area code at level ``by`` (province: the first two characters of the kota code)."""
    if by == "province":
        return regions["kota_code"].astype(str).str[:2]
    if by in ("kota", "kecamatan"):
        return regions[f"{by}_code"].astype(str)
    raise ConfigError(f"partition level {by!r} is unknown; choose from {', '.join(LEVELS)}")


def split_folder(folder: DataFolder, by: Level = "kota") -> list[Partition]:
    """One :class:`Partition` per area of ``folder``, in area-code order."""
    return list(iter_partitions(folder, by))


def iter_partitions(folder: DataFolder, by: Level = "kota") -> Iterator[Partition]:
    """``split_folder``'s partitions one at a time, each cut only when asked for.

    A caller that lets go of each partition once it is sent holds a few sub-folders
    at a time instead of a second copy of the whole folder (1M RWs: several GB).
    """
    keys = area_keys(folder.regions, by).to_numpy(dtype=object)
    codes = folder.regions["rw_code"].astype(str).to_numpy(dtype=object)
    rows = _RowIndex.of(folder)
    for key in sorted(set(keys)):
        yield _partition(folder, rows, str(key), keys == key, codes)


def sample_partition(folder: DataFolder, sampled: BoolArray) -> Partition:
    """A sub-folder in which the ``sampled`` RWs (a mask in regions order) build exactly.

    Their whole kecamatan come along (area totals read every RW of the area), with the
    neighbours of every RW of those kecamatan; ``own`` is the sampled RWs alone.
    """
    kecamatan = folder.regions["kecamatan_code"].astype(str)
    whole = kecamatan.isin(kecamatan[sampled].unique()).to_numpy(dtype=bool)  # hashed, not sorted objects
    codes = folder.regions["rw_code"].astype(str).to_numpy(dtype=object)
    part = _partition(folder, _RowIndex.of(folder), "sample", whole, codes)
    return Partition(part.key, tuple(codes[sampled]), part.folder)


def _partition(
    folder: DataFolder, rows: _RowIndex, key: str, own: BoolArray, codes: npt.NDArray[np.object_]
) -> Partition:
    """The area ``own`` (a mask in regions order) with its neighbours as halo."""
    members = own.copy()
    members[rows.pair_right[own[rows.pair_left]]] = True
    return Partition(key, tuple(codes[own]), _sub_folder(folder, rows, members))


@dataclass(frozen=True)
class _RowIndex:
    """Integer views of ``folder`` computed once: each row's RW position (-1: not in regions),
    the neighbour pairs, case and victim numbers, and the anchor rows."""

    pairs: pd.DataFrame
    pair_left: IntArray
    pair_right: IntArray
    signal_rw: IntArray
    case_rw: IntArray
    case_victim: IntArray
    case_number: IntArray
    event_case: IntArray
    check_rw: IntArray | None
    signal_anchor: BoolArray
    case_anchor: BoolArray

    @classmethod
    def of(cls, folder: DataFolder) -> _RowIndex:
        rw = pd.Index(folder.regions["rw_code"].astype(str))
        pairs = neighbor_pairs(folder)
        ids = pd.factorize(pd.concat([folder.cases["case_id"], folder.case_events["case_id"]]).astype(str))[0]
        checks = folder.checks
        signal_anchor, case_anchor = _anchor_rows(folder)
        return cls(
            pairs=pairs,
            pair_left=code_positions(rw, pairs["rw_code"]),
            pair_right=code_positions(rw, pairs["neighbor_code"]),
            signal_rw=code_positions(rw, folder.signals["rw_code"]),
            case_rw=code_positions(rw, folder.cases["rw_code"]),
            case_victim=pd.factorize(folder.cases["victim_key"])[0].astype(np.int64),
            case_number=ids[: len(folder.cases)].astype(np.int64),
            event_case=ids[len(folder.cases) :].astype(np.int64),
            check_rw=None if checks is None else code_positions(rw, checks["rw_code"]),
            signal_anchor=signal_anchor,
            case_anchor=case_anchor,
        )


def _anchor_rows(folder: DataFolder) -> tuple[BoolArray, BoolArray]:
    """The earliest signal row and the earliest reported case: with them a sub-folder's
    ``first_month`` (and whether it has any history) is the whole folder's."""
    signals = np.zeros(len(folder.signals), dtype=bool)
    if len(signals):
        signals[int(np.argmin(folder.signals["month"].to_numpy(dtype=np.int64)))] = True
    cases = np.zeros(len(folder.cases), dtype=bool)
    reported = folder.cases["reported_at"]
    if reported.notna().any():
        cases[int(np.argmin(reported.fillna(reported.max()).to_numpy(dtype="datetime64[ns]")))] = True
    return signals, cases


def _within(positions: IntArray, members: BoolArray) -> BoolArray:
    """Rows whose RW position is one of ``members`` (position -1 never is)."""
    return (positions >= 0) & members[np.maximum(positions, 0)]


def _sub_folder(folder: DataFolder, rows: _RowIndex, members: BoolArray) -> DataFolder:
    """``folder`` cut to the RWs ``members`` (see the module docstring for what else comes along)."""
    cases = _within(rows.case_rw, members)
    victims = np.unique(rows.case_victim[cases & (rows.case_victim >= 0)])
    cases |= np.isin(rows.case_victim, victims) | rows.case_anchor
    events = np.isin(rows.event_case, np.unique(rows.case_number[cases]))
    pairs = _within(rows.pair_left, members) & _within(rows.pair_right, members)
    signals = _within(rows.signal_rw, members) | rows.signal_anchor
    checks = folder.checks
    if checks is not None and rows.check_rw is not None:
        checks = checks[_within(rows.check_rw, members)].reset_index(drop=True)
    return replace(
        folder,
        regions=folder.regions[members].reset_index(drop=True),
        neighbors=rows.pairs[pairs].reset_index(drop=True),
        signals=folder.signals[signals].reset_index(drop=True),
        cases=folder.cases[cases].reset_index(drop=True),
        case_events=folder.case_events[events].reset_index(drop=True),
        checks=checks,
    )
