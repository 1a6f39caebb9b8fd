"""Where RWs are on the map: centroids and optional boundaries from the data folder.

The published store keeps codes and names only, so the map reads
``regions.csv``/``regions.parquet`` (lat, lon) and an optional
``boundaries.geojson`` (features with ``properties.rw_code``) from the folder
named by ``EWS_DATA_DIR``. Without them the map falls back to a tile grid.
Loaded once per process, on the first page that draws a map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ews.exceptions import DataError

BOUNDARIES_FILE = "boundaries.geojson"


@dataclass(frozen=True)
class Geometry:
    """RW centroids (rw_code -> (lat, lon)) and the boundary FeatureCollection, if any."""

    centroids: dict[str, tuple[float, float]] = field(default_factory=dict)
    boundaries: dict[str, Any] | None = None


def _read_regions(data_dir: Path) -> Any:
    import pandas as pd

    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = data_dir / f"regions{suffix}"
        if path.exists():
            return reader(path, dtype=str) if suffix == ".csv" else reader(path)
    return None


def centroids(data_dir: Path) -> dict[str, tuple[float, float]]:
    """RW centroids from the folder's regions file; empty when it has no usable lat/lon."""
    regions = _read_regions(data_dir)
    if regions is None or not {"rw_code", "lat", "lon"} <= set(regions.columns):
        return {}
    out = {}
    for code, lat, lon in zip(regions["rw_code"], regions["lat"], regions["lon"], strict=True):
        try:
            point = (float(lat), float(lon))
        except (TypeError, ValueError):
            continue
        if math.isfinite(point[0]) and math.isfinite(point[1]):
            out[str(code)] = point
    return out


def boundaries(data_dir: Path) -> dict[str, Any] | None:
    """The folder's ``boundaries.geojson``; raise ``DataError`` when it is not a FeatureCollection."""
    path = data_dir / BOUNDARIES_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path} is not readable GeoJSON ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(f"{path} must hold a GeoJSON FeatureCollection with properties.rw_code per feature")
    return data


def load_geometry(data_dir: str) -> Geometry:
    """The geometry of ``data_dir`` (empty for an empty setting or a missing folder)."""
    if not data_dir or not Path(data_dir).is_dir():
        return Geometry()
    folder = Path(data_dir)
    return Geometry(centroids(folder), boundaries(folder))
