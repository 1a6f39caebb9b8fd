"""Hand-built frames for the monitor's tests: one kota, two kecamatan, Poisson signals."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ews.months import parse_month

KOTA, KEC_A, KEC_B = "31.71", "31.71.01", "31.71.02"
FIRST, LAST = parse_month("2021-01"), parse_month("2025-12")
RWS_PER_KEC = 25
Lift = Callable[[pd.DataFrame], np.ndarray]


def regions() -> pd.DataFrame:
    """50 RWs: 25 in each kecamatan."""
    rows = []
    for kec in (KEC_A, KEC_B):
        kel = f"{kec}.1001"
        for n in range(1, RWS_PER_KEC + 1):
            rows.append(
                {
                    "rw_code": f"{kel}.{n:03d}",
                    "kelurahan_code": kel,
                    "kelurahan_name": f"Kel {kec}",
                    "kecamatan_code": kec,
                    "kecamatan_name": f"Kec {kec}",
                    "kota_code": KOTA,
                    "kota_name": "Jakarta Pusat",
                }
            )
    return pd.DataFrame(rows)


def signals(seed: int = 0, mean: float = 2.0, first: int = FIRST, last: int = LAST) -> pd.DataFrame:
    """A flat Poisson world: ``calls`` with ``mean`` per RW-month, every month of ``first..last``."""
    rng = np.random.default_rng(seed)
    codes = regions()["rw_code"].to_numpy()
    months = np.arange(first, last + 1)
    frame = pd.DataFrame({"rw_code": np.tile(codes, len(months)), "month": np.repeat(months, len(codes))})
    frame["calls"] = rng.poisson(mean, len(frame)).astype("float64")
    return frame


def blank(frame: pd.DataFrame, first: str, last: str, area: str = "") -> pd.DataFrame:
    """``calls`` empty for the RWs under ``area`` in ``first..last``."""
    inside = frame["month"].between(parse_month(first), parse_month(last)) & frame["rw_code"].str.startswith(
        area
    )
    return frame.assign(calls=frame["calls"].mask(inside))


def scale(frame: pd.DataFrame, factor: np.ndarray, seed: int = 1) -> pd.DataFrame:
    """``calls`` plus Poisson(calls x (factor - 1)) row by row (factor 1 leaves a row as it is)."""
    rng = np.random.default_rng(seed)
    values = frame["calls"].to_numpy()
    extra = rng.poisson(np.nan_to_num(values) * np.maximum(factor - 1.0, 0.0))
    return frame.assign(calls=np.where(np.isnan(values), np.nan, values + extra))


def shift_from(frame: pd.DataFrame, month: str, area: str, factor: float) -> pd.DataFrame:
    """``calls`` of ``area`` times ``factor`` from ``month`` on."""
    inside = (frame["month"] >= parse_month(month)) & frame["rw_code"].str.startswith(area)
    return scale(frame, np.where(inside, factor, 1.0))


def campaign(frame: pd.DataFrame, factors: dict[int, float]) -> pd.DataFrame:
    """``calls`` times ``factors[year]`` in November and December of each listed year."""
    year, calendar = frame["month"] // 12, frame["month"] % 12 + 1
    factor = np.where(calendar >= 11, year.map(lambda y: factors.get(int(y), 1.0)), 1.0)
    return scale(frame, factor.astype("float64"))
