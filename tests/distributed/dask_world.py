"""The three-kota test world's constants and helpers (imported by the conftest and the tests)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ews.config import TrainSettings
from ews.data.folder import DataFolder

# Kecamatan of three kota that border each other: Sawah Besar and Tanah Abang (Jakarta Pusat),
# Taman Sari and Pal Merah (Jakarta Barat), Setiabudi (Jakarta Selatan); ~200 RWs.
AREAS = ["31.71.02", "31.71.07", "31.73.03", "31.73.07", "31.74.02"]
SETTINGS = TrainSettings(backtest_folds=2)


def with_cross_kota_victim(folder: DataFolder) -> DataFolder:
    """The latest case of kota 31.74 gets the victim key of the earliest case of kota 31.71."""
    cases = folder.cases.copy()
    kota = cases["rw_code"].astype(str).str[:5]
    first = cases[kota == "31.71"]["reported_at"].idxmin()
    last = cases[kota == "31.74"]["reported_at"].idxmax()
    cases.loc[last, "victim_key"] = cases.loc[first, "victim_key"]
    return replace(folder, cases=cases)


def kota_of(folder: DataFolder) -> pd.Series:
    """Each RW's kota, indexed by rw_code."""
    return folder.regions.set_index(folder.regions["rw_code"].astype(str))["kota_code"].astype(str)
