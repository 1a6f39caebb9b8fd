"""Which RWs are neighbours: the neighbors file, else lat/lon, else the kelurahan.

Neighbourhood is static (regions and neighbors are not cut by ``known_as_of``),
so features that borrow from neighbours stay leakage-safe.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder
from ews.features.panel import IntArray, code_positions

# Urban RWs are a few hundred metres across: 6 nearest within 2 km is roughly
# the ring of adjacent RWs, and the radius keeps islands from linking to the mainland.
K_NEAREST: Final = 6
RADIUS_KM: Final = 2.0
_KM_PER_DEG_LAT: Final = 110.57
_KM_PER_DEG_LON_EQUATOR: Final = 111.32
PAIR_COLUMNS: Final = ["rw_code", "neighbor_code"]


def neighbor_pairs(folder: DataFolder) -> pd.DataFrame:
    """Neighbouring RW pairs, both directions listed, no self pairs, sorted.

    Source, in order of preference: the neighbors file (read as symmetric;
    pairs naming RWs not in regions are dropped); lat/lon centroids (the
    ``K_NEAREST`` nearest RWs within ``RADIUS_KM``, RWs without coordinates
    paired with their kelurahan); the kelurahan (every RW of the same kelurahan).
    """
    regions = folder.regions
    if folder.neighbors is not None:
        pairs = folder.neighbors[PAIR_COLUMNS].astype(str)
    else:
        located = regions["lat"].notna() & regions["lon"].notna()
        pairs = pd.concat([_nearest_pairs(regions[located]), _kelurahan_pairs(regions, ~located)])
    return _tidy(pairs, pd.Index(regions["rw_code"].astype(str)))


def _tidy(pairs: pd.DataFrame, codes: pd.Index) -> pd.DataFrame:
    left = pairs["rw_code"].astype(str).to_numpy(dtype=object)
    right = pairs["neighbor_code"].astype(str).to_numpy(dtype=object)
    known = set(codes)
    both = {(a, b) for a, b in zip(left, right, strict=True) if a != b and a in known and b in known}
    ordered = sorted(both | {(b, a) for a, b in both})
    return pd.DataFrame(ordered or None, columns=PAIR_COLUMNS, dtype="str")


def _nearest_pairs(regions: pd.DataFrame) -> pd.DataFrame:
    if len(regions) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS, dtype=str)
    from scipy.spatial import cKDTree

    lat = regions["lat"].to_numpy(dtype=np.float64)
    lon = regions["lon"].to_numpy(dtype=np.float64)
    # An equirectangular projection is exact enough over a province 60 km across.
    scale = _KM_PER_DEG_LON_EQUATOR * np.cos(np.deg2rad(lat.mean()))
    points = np.column_stack([lon * scale, lat * _KM_PER_DEG_LAT])
    k = min(K_NEAREST + 1, len(regions))
    dist, idx = cKDTree(points).query(points, k=k, distance_upper_bound=RADIUS_KM)
    rows = np.repeat(np.arange(len(regions)), k)
    found = np.isfinite(dist.ravel())
    codes = regions["rw_code"].astype(str).to_numpy()
    return pd.DataFrame({"rw_code": codes[rows[found]], "neighbor_code": codes[idx.ravel()[found]]})


def _kelurahan_pairs(regions: pd.DataFrame, wanted: pd.Series) -> pd.DataFrame:
    """Pairs of each wanted RW with every RW of its kelurahan."""
    members: dict[str, list[str]] = {}
    for code, kelurahan in zip(
        regions["rw_code"].astype(str), regions["kelurahan_code"].astype(str), strict=True
    ):
        members.setdefault(kelurahan, []).append(code)
    chosen = regions.loc[wanted, ["rw_code", "kelurahan_code"]].astype(str)
    pairs = [
        (a, b) for a, k in zip(chosen["rw_code"], chosen["kelurahan_code"], strict=True) for b in members[k]
    ]
    return pd.DataFrame(pairs or None, columns=PAIR_COLUMNS, dtype="str")


def neighbor_index(folder: DataFolder, rw_codes: pd.Index) -> tuple[IntArray, IntArray]:
    """Row positions ``(rw, neighbour)`` of every ordered neighbour pair, in ``rw_codes`` order."""
    pairs = neighbor_pairs(folder)
    return code_positions(rw_codes, pairs["rw_code"]), code_positions(rw_codes, pairs["neighbor_code"])
