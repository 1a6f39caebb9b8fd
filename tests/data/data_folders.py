"""A hand-built valid data folder (nobody's generator) and helpers to break it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

Frames = dict[str, pd.DataFrame]
Writer = Callable[..., Path]

REGIONS = pd.DataFrame(
    {
        "rw_code": ["31.71.01.1001.001", "31.71.01.1001.002", "31.71.01.1002.001", "31.72.01.1001.004"],
        "kelurahan_code": ["31.71.01.1001", "31.71.01.1001", "31.71.01.1002", "31.72.01.1001"],
        "kelurahan_name": ["Gambir", "Gambir", "Cideng", "Penjaringan"],
        "kecamatan_code": ["31.71.01", "31.71.01", "31.71.01", "31.72.01"],
        "kecamatan_name": ["Gambir", "Gambir", "Gambir", "Penjaringan"],
        "kota_code": ["31.71", "31.71", "31.71", "31.72"],
        "kota_name": ["Jakarta Pusat", "Jakarta Pusat", "Jakarta Pusat", "Jakarta Utara"],
        "population": ["5210", "4800", "7012", "9950"],
        "households": ["1500", "1320", "2100", "2875"],
        "area_km2": ["0.42", "0.38", "0.55", "1.2"],
        "lat": ["-6.1702", "-6.1721", "-6.1755", "-6.1270"],
        "lon": ["106.8190", "106.8222", "106.8105", "106.7890"],
        "jarak_pos_km": ["0.8", "1.1", "2.4", "3.0"],
        "kumuh": ["0", "0", "1", "1"],
    }
)

SIGNALS = pd.DataFrame(
    {
        "rw_code": [code for code in REGIONS["rw_code"] for _ in range(3)],
        "month": ["2024-01", "2024-02", "2024-03"] * 4,
        "kontak_pos_pengaduan": ["2", "0", "", "1", "3", "0", "0", "0", "4", "5", "", "2"],
        "panggilan_112_kdrt": ["0.5", "1", "0", "", "", "2", "1", "1", "0", "3", "2", "1"],
    }
)

CASES = pd.DataFrame(
    {
        "case_id": ["K-0001", "K-0002", "K-0003", "K-0004"],
        "rw_code": ["31.71.01.1001.001", "31.71.01.1002.001", "31.72.01.1001.004", "31.72.01.1001.004"],
        "victim_key": ["v1", "v2", "v3", "v3"],
        "incident_date": ["2024-01-03", "", "2024-02-10", "2024-02-28"],
        "reported_at": ["2024-01-05", "2024-01-20", "2024-02-11", "2024-03-02"],
        "channel": ["pos_pengaduan", "hotline", "siaga_112", "rujukan_polisi"],
        "violence_type": ["fisik", "psikis", "seksual", "fisik"],
        "victim_group": ["perempuan_dewasa", "anak_perempuan", "perempuan_dewasa", "perempuan_dewasa"],
        "victim_age": ["34", "", "29", "29"],
        "perpetrator_relation": ["pasangan", "orang_tua", "pasangan", "pasangan"],
        "place": ["rumah_tangga", "", "rumah_tangga", "kos"],
    }
)

EVENTS = pd.DataFrame(
    {
        "case_id": ["K-0001", "K-0002", "K-0001", "K-0001", "K-0003"],
        "event": ["closed", "closed", "reopened", "closed", "closed"],
        "at": ["2024-01-20", "2024-02-01", "2024-02-15", "2024-03-01", "2024-03-10"],
    }
)

NEIGHBORS = pd.DataFrame(
    {
        "rw_code": ["31.71.01.1001.001", "31.71.01.1001.002"],
        "neighbor_code": ["31.71.01.1001.002", "31.71.01.1002.001"],
    }
)


CHECKS = pd.DataFrame(
    {
        "rw_code": ["31.71.01.1001.001", "31.72.01.1001.004", "31.71.01.1001.001"],
        "visit_date": ["2024-02-06", "2024-03-04", "2024-01-15"],
        "outcome": ["ada_indikasi", "sudah_dicek_aman", "tidak_dapat_dicek"],
        "role": ["lurah", "camat", "analyst"],
    }
)


def valid_frames(neighbors: bool = True, checks: bool = False) -> Frames:
    """Fresh copies of the valid folder's frames (all cells as text, like a CSV)."""
    frames = {"regions": REGIONS, "signals": SIGNALS, "cases": CASES, "case_events": EVENTS}
    if neighbors:
        frames["neighbors"] = NEIGHBORS
    if checks:
        frames["checks"] = CHECKS
    return {name: frame.copy() for name, frame in frames.items()}


def write_frames(folder: Path, frames: Frames, fmt: str = "csv") -> Path:
    """Write ``frames`` as ``<name>.csv`` (text as given) or ``<name>.parquet``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        if fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def find(report: object, file: str, row: int | None, column: str | None) -> list[object]:
    """The issues of ``report`` at exactly this file, row and column."""
    return [i for i in report.issues if (i.file, i.row, i.column) == (file, row, column)]  # type: ignore[attr-defined]


def only_issue(report: object, level: str = "error") -> object:
    """The single issue of ``level`` in ``report`` (fails if there are more or none)."""
    found = [i for i in report.issues if i.level == level]  # type: ignore[attr-defined]
    assert len(found) == 1, [str(i) for i in report.issues]  # type: ignore[attr-defined]
    return found[0]
