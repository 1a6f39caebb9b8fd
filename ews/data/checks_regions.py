"""Checks of regions (one row per RW) and neighbors (RW adjacency)."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

from ews.data import checks_common as common
from ews.data import schema
from ews.data.coerce import as_text, static_kind
from ews.data.issues import ValidationReport

_CODES = (
    ("rw_code", schema.RW_CODE_PATTERN, "an rw_code PP.KK.CC.DDDD.NNN (e.g. 31.71.01.1001.005)"),
    ("kelurahan_code", schema.KELURAHAN_CODE_PATTERN, "a kelurahan code PP.KK.CC.DDDD (e.g. 31.71.01.1001)"),
    ("kecamatan_code", schema.KECAMATAN_CODE_PATTERN, "a kecamatan code PP.KK.CC (e.g. 31.71.01)"),
    ("kota_code", schema.KOTA_CODE_PATTERN, "a kota code PP.KK (e.g. 31.71)"),
)
_NAMES = ("kelurahan_name", "kecamatan_name", "kota_name")


def check_regions(frame: pd.DataFrame, file: str, report: ValidationReport) -> pd.Index | None:
    """Check regions; return the known rw_codes (None when the file is unusable)."""
    if not common.missing_columns(frame, file, schema.REGION_REQUIRED_COLUMNS, report):
        return None
    if frame.empty:
        report.file_issue("error", file, "has no rows; regions must list every RW")
        return None
    codes = {column: as_text(frame[column]) for column, _, _ in _CODES}
    _check_codes(codes, file, report)
    _check_nesting(codes, file, report)
    for column in _NAMES:
        common.required_cells(as_text(frame[column]), file, column, report, level="warning")
    _check_counts(frame, file, report)
    _check_coordinates(frame, file, report)
    _check_extra(frame, file, report)
    known: pd.Index = pd.Index(
        codes["rw_code"].dropna().drop_duplicates().to_numpy(dtype=object), dtype=object
    )
    return known


def _check_codes(codes: dict[str, pd.Series], file: str, report: ValidationReport) -> None:
    for column, regex, what in _CODES:
        common.required_cells(codes[column], file, column, report)
        common.pattern(codes[column], regex, what, file, column, report)
    common.duplicates(codes["rw_code"], file, "rw_code", report)


def _check_nesting(codes: dict[str, pd.Series], file: str, report: ValidationReport) -> None:
    # Each code must start with its parent's code; checked only where both are well-formed.
    for (child, regex, _), (parent, parent_regex, _) in pairwise(_CODES):
        inner, outer = codes[child], codes[parent]
        shaped = inner.str.fullmatch(regex).fillna(False) & outer.str.fullmatch(parent_regex).fillna(False)
        prefix = inner.str.rsplit(".", n=1).str[0]
        bad = shaped.astype(bool) & (prefix != outer).fillna(False).astype(bool)
        texts = "'" + inner.astype(str) + "' is not under its " + parent + " '" + outer.astype(str) + "'"
        report.add_rows("error", file, child, "nesting", bad, inner, texts)


def _check_counts(frame: pd.DataFrame, file: str, report: ValidationReport) -> None:
    for column in ("population", "households"):
        common.required_cells(as_text(frame[column]), file, column, report)
        parsed = common.integers(frame[column], file, column, report)
        common.out_of_range(parsed, parsed < 0, frame[column], "is negative", file, column, report)
    common.required_cells(as_text(frame["area_km2"]), file, "area_km2", report)
    area = common.numbers(frame["area_km2"], file, "area_km2", report)
    common.out_of_range(
        area, area <= 0, frame["area_km2"], "is not a positive area", file, "area_km2", report
    )


def _check_coordinates(frame: pd.DataFrame, file: str, report: ValidationReport) -> None:
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        if column in frame:
            parsed = common.numbers(frame[column], file, column, report)
            what = f"is outside -{limit:g}..{limit:g} degrees"
            common.out_of_range(parsed, parsed.abs() > limit, frame[column], what, file, column, report)


def _check_extra(frame: pd.DataFrame, file: str, report: ValidationReport) -> None:
    known = set(schema.REGION_REQUIRED_COLUMNS) | set(schema.REGION_OPTIONAL_COLUMNS)
    for column in (c for c in frame.columns if c not in known):
        kind = static_kind(frame[column])
        if kind == "mostly_numeric":
            common.numbers(frame[column], file, column, report)
        elif kind == "text":
            message = "column is not numeric, so it is not a static attribute and is ignored"
            report.file_issue("warning", file, message, column=column)
        elif kind == "empty":
            report.file_issue("warning", file, "column has no values and is ignored", column=column)


def check_neighbors(frame: pd.DataFrame, file: str, known: pd.Index | None, report: ValidationReport) -> None:
    """Check the optional adjacency file against the regions' rw_codes."""
    if not common.missing_columns(frame, file, schema.NEIGHBOR_COLUMNS, report):
        return
    common.ignored_columns(frame, file, schema.NEIGHBOR_COLUMNS, report)
    if frame.empty:
        report.file_issue("warning", file, "has no rows, so no RW has a listed neighbour")
    pair = {column: as_text(frame[column]) for column in schema.NEIGHBOR_COLUMNS}
    for column, text in pair.items():
        common.required_cells(text, file, column, report)
        common.unknown_codes(text, known, "an rw_code listed in regions", file, column, report)
    same = (pair["rw_code"] == pair["neighbor_code"]).fillna(False).astype(bool)
    message = "'{}' is listed as its own neighbour; the pair is ignored"
    report.add_rows("warning", file, "neighbor_code", "self", same, pair["neighbor_code"], message.format)
