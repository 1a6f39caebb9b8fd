"""Hand-built tiny data folders for the RW feature and label tests.

Frames go through the loader's own ``typed_*`` converters, so the tests see
the dtypes ``read_folder`` produces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from ews.data.folder import DataFolder
from ews.data.load import typed_cases, typed_checks, typed_events, typed_regions, typed_signals

Rows = list[dict[str, Any]]
FolderFactory = Callable[..., DataFolder]

KEL_A = "31.71.01.1001"
KEL_B = "31.71.01.1002"
KEC_OTHER = "31.71.02"


def region_row(code: str, **extra: Any) -> dict[str, Any]:
    """One regions row; the kelurahan and kecamatan are read from the code."""
    kelurahan = code.rsplit(".", 1)[0]
    kecamatan = kelurahan.rsplit(".", 1)[0]
    row = {
        "rw_code": code,
        "kelurahan_code": kelurahan,
        "kelurahan_name": f"Kel {kelurahan}",
        "kecamatan_code": kecamatan,
        "kecamatan_name": f"Kec {kecamatan}",
        "kota_code": "31.71",
        "kota_name": "Jakarta Pusat",
        "population": "1000",
        "households": "300",
        "area_km2": "0.5",
    }
    return row | {k: str(v) for k, v in extra.items()}


def case_row(case_id: str, rw_code: str, reported_at: str, **extra: Any) -> dict[str, Any]:
    """One cases row with valid categories unless overridden."""
    row = {
        "case_id": case_id,
        "rw_code": rw_code,
        "reported_at": reported_at,
        "channel": "hotline",
        "violence_type": "fisik",
        "victim_group": "perempuan_dewasa",
        "perpetrator_relation": "pasangan",
    }
    return row | extra


def _frame(rows: Rows | None, columns: list[str]) -> pd.DataFrame:
    # Like the reader: an empty cell is <NA>, not "".
    frame = pd.DataFrame(rows or [], dtype=object).replace("", pd.NA)
    for column in columns:
        if column not in frame:
            frame[column] = pd.Series(dtype=object)
    return frame


def make_folder(
    regions: Rows,
    *,
    signals: Rows | None = None,
    cases: Rows | None = None,
    events: Rows | None = None,
    neighbors: Rows | None = None,
    checks: Rows | None = None,
) -> DataFolder:
    """A typed DataFolder from lists of raw (text) rows; ``checks=None``: no checks file."""
    region_frame, static = typed_regions(_frame(regions, []))
    signal_frame, signal_names = typed_signals(_frame(signals, ["rw_code", "month"]))
    case_frame = typed_cases(_frame(cases, ["case_id", "rw_code", "reported_at", "incident_date"]))
    event_frame = typed_events(_frame(events, ["case_id", "event", "at"]))
    neighbor_frame = (
        None if neighbors is None else _frame(neighbors, ["rw_code", "neighbor_code"]).astype("string")
    )
    return DataFolder(
        regions=region_frame,
        signals=signal_frame,
        cases=case_frame,
        case_events=event_frame,
        neighbors=neighbor_frame,
        static_columns=static,
        signal_columns=signal_names,
        checks=None
        if checks is None
        else typed_checks(_frame(checks, ["rw_code", "visit_date", "outcome", "role"])),
    )


@pytest.fixture
def folder_factory() -> FolderFactory:
    """``make_folder(regions, signals=, cases=, events=, neighbors=, checks=)``."""
    return make_folder


@pytest.fixture
def rows() -> Any:
    """The row helpers (``rows.region``, ``rows.case``) and the kelurahan codes used."""

    class _Rows:
        region = staticmethod(region_row)
        case = staticmethod(case_row)
        kel_a = KEL_A
        kel_b = KEL_B
        kec_other = KEC_OTHER

    return _Rows
