"""Read a data folder (CSV or Parquet) into a typed :class:`DataFolder`.

``read_folder`` converts without checking; ``load_folder`` validates first
and refuses invalid data (contract: every command validates first).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ews.data import schema
from ews.data.coerce import as_date, as_month, as_number, as_text, static_kind
from ews.data.folder import DataFolder
from ews.data.rawio import read_table
from ews.exceptions import MissingFileError


def find_file(folder: Path, name: str) -> Path | None:
    """The CSV or Parquet file ``name`` in ``folder``, or the folder ``name/`` of Parquet files
    (contract section 1, "Large folders"), or None."""
    for ext in schema.EXTENSIONS:
        path = folder / f"{name}{ext}"
        if path.is_file():
            return path
    parts = folder / name
    return parts if parts.is_dir() and any(parts.glob("*.parquet")) else None


def read_raw(path: Path) -> pd.DataFrame:
    """Read one file with every column as text (CSV) or as stored (Parquet).

    Text is stripped and empty cells are ``<NA>``, exactly as validation saw them.
    """
    return read_table(path).reset_index(drop=True)


def _require(folder: Path, name: str) -> pd.DataFrame:
    path = find_file(folder, name)
    if path is None:
        raise MissingFileError(f"required file {name}.csv or {name}.parquet is missing in {folder}")
    return read_raw(path)


def _text(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    for column in columns:
        if column in frame:
            frame[column] = as_text(frame[column])
        else:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")


def _numeric(frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> None:
    for column in columns:
        frame[column] = as_number(frame[column])[0]


def typed_regions(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Regions with contract dtypes, and the names of the extra static columns."""
    frame = raw.copy()
    _text(frame, schema.REGION_TEXT_COLUMNS)
    for column in schema.REGION_OPTIONAL_COLUMNS:
        if column not in frame:
            frame[column] = np.nan
    known = set(schema.REGION_REQUIRED_COLUMNS) | set(schema.REGION_OPTIONAL_COLUMNS)
    # The same rule as validation: only columns whose values are all numeric are static.
    static = tuple(c for c in frame.columns if c not in known and static_kind(frame[c]) == "static")
    _numeric(frame, ["area_km2", *schema.REGION_OPTIONAL_COLUMNS, *static])
    for column in ("population", "households"):
        frame[column] = as_number(frame[column])[0].fillna(0).astype("int64")
    columns = [*schema.REGION_REQUIRED_COLUMNS, *schema.REGION_OPTIONAL_COLUMNS, *static]
    return frame[columns].sort_values("rw_code").reset_index(drop=True), static


def typed_signals(raw: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Signals with ``month`` as a month index and every signal as float64."""
    frame = raw.copy()
    _text(frame, ("rw_code",))
    # Parsed once per distinct month (as validation does): a signals file repeats each month per RW.
    frame["month"] = as_month(frame["month"])[0].astype("int64")
    names = tuple(c for c in frame.columns if c not in schema.SIGNAL_KEY_COLUMNS)
    _numeric(frame, names)
    return frame.sort_values(["rw_code", "month"]).reset_index(drop=True), names


def typed_cases(raw: pd.DataFrame) -> pd.DataFrame:
    """Cases with dates parsed and categories as text."""
    frame = raw.copy()
    text = ("case_id", "rw_code", "victim_key", *schema.CASE_CATEGORIES)
    _text(frame, text)
    for column in ("incident_date", "reported_at"):
        values = frame[column] if column in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        frame[column] = as_date(values)[0]
    if "victim_age" not in frame:
        frame["victim_age"] = np.nan
    _numeric(frame, ["victim_age"])
    columns = [*text[:3], "incident_date", "reported_at", *schema.CASE_CATEGORIES, "victim_age"]
    return frame[columns].reset_index(drop=True)


def typed_events(raw: pd.DataFrame) -> pd.DataFrame:
    """Case events with ``at`` parsed, sorted by case and date (stable)."""
    frame = raw.copy()
    _text(frame, ("case_id", "event"))
    frame["at"] = as_date(frame["at"])[0]
    frame = frame[list(schema.CASE_EVENT_COLUMNS)]
    return frame.sort_values(["case_id", "at"], kind="stable").reset_index(drop=True)


def typed_checks(raw: pd.DataFrame) -> pd.DataFrame:
    """Officials' checks with ``visit_date`` parsed, sorted by date and RW (stable)."""
    frame = raw.copy()
    _text(frame, ("rw_code", "outcome", "role"))
    frame["visit_date"] = as_date(frame["visit_date"])[0]
    frame = frame[list(schema.CHECK_COLUMNS)]
    return frame.sort_values(["visit_date", "rw_code"], kind="stable").reset_index(drop=True)


def _optional_checks(folder: Path) -> pd.DataFrame | None:
    path = find_file(folder, schema.CHECKS)
    return None if path is None else typed_checks(read_raw(path))


def read_folder(path: str | Path) -> DataFolder:
    """Convert the folder's files to typed frames, without validating them."""
    folder = Path(path)
    regions, static = typed_regions(_require(folder, schema.REGIONS))
    signals, signal_names = typed_signals(_require(folder, schema.SIGNALS))
    neighbors_path = find_file(folder, schema.NEIGHBORS)
    neighbors = None
    if neighbors_path is not None:
        neighbors = read_raw(neighbors_path)
        _text(neighbors, schema.NEIGHBOR_COLUMNS)
        # Validation warns that a self-pair is ignored; this is where it is.
        keep = neighbors["rw_code"] != neighbors["neighbor_code"]
        neighbors = neighbors.loc[keep, list(schema.NEIGHBOR_COLUMNS)].reset_index(drop=True)
    return DataFolder(
        regions=regions,
        signals=signals,
        cases=typed_cases(_require(folder, schema.CASES)),
        case_events=typed_events(_require(folder, schema.CASE_EVENTS)),
        neighbors=neighbors,
        static_columns=static,
        signal_columns=signal_names,
        source=str(folder),
        checks=_optional_checks(folder),
    )


def load_folder(path: str | Path) -> DataFolder:
    """Validate the folder, refuse it on errors, then read it."""
    from ews.data.validate import ensure_valid

    ensure_valid(Path(path))
    return read_folder(path)
