"""Checks every file shares: columns present, required cells, patterns, keys."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ews.data.coerce import as_date, as_integer, as_number, as_text, is_in
from ews.data.issues import Level, ValidationReport


def missing_columns(
    frame: pd.DataFrame, file: str, required: Iterable[str], report: ValidationReport
) -> bool:
    """Report each required column that is absent; True when all are present."""
    absent = [c for c in required if c not in frame.columns]
    for column in absent:
        report.file_issue("error", file, f"required column {column!r} is missing", column=column)
    return not absent


def ignored_columns(frame: pd.DataFrame, file: str, known: Iterable[str], report: ValidationReport) -> None:
    """Warn once per column outside the contract (it is not read)."""
    allowed = set(known)
    for column in frame.columns:
        if column not in allowed:
            report.file_issue("warning", file, "column is not in the contract and is ignored", column=column)


def required_cells(
    text: pd.Series, file: str, column: str, report: ValidationReport, level: Level = "error"
) -> pd.Series:
    """Report empty cells of a required column; returns the present mask."""
    missing = text.isna()
    report.add_rows(
        level, file, column, "missing", missing, text, lambda _: "value is missing; this column is required"
    )
    return ~missing


def pattern(
    text: pd.Series, regex: str, what: str, file: str, column: str, report: ValidationReport
) -> pd.Series:
    """Report present cells not matching ``regex``; returns the mask of well-formed cells."""
    ok = text.str.fullmatch(regex).fillna(False).astype(bool)
    bad = text.notna() & ~ok
    report.add_rows("error", file, column, "pattern", bad, text, lambda v: f"{v!r} is not {what}")
    return ok


def duplicates(keys: pd.Series, file: str, column: str, report: ValidationReport) -> None:
    """Report every repeat of a present key, naming the row that first used it."""
    present = keys.dropna()
    repeat = present.duplicated(keep="first")
    if not repeat.any():
        return
    first_row = pd.Series(present.index, index=present.to_numpy()).groupby(level=0).min()
    rows = present[repeat]
    firsts = first_row.reindex(rows.to_numpy()).astype("int64").astype(str).to_numpy()
    quoted = pd.Series([repr(v) for v in rows], index=rows.index)
    texts = quoted + " is a duplicate; it first appears in row " + firsts
    report.add_rows("error", file, column, "duplicate", pd.Series(True, index=rows.index), rows, texts)


def unknown_codes(
    text: pd.Series, known: pd.Index | None, what: str, file: str, column: str, report: ValidationReport
) -> None:
    """Report present codes that ``known`` (e.g. regions' rw_code) does not list."""
    if known is None:
        return
    bad = text.notna() & ~is_in(text, known)
    report.add_rows("error", file, column, "unknown", bad, text, lambda v: f"{v!r} is not {what}")


def numbers(values: pd.Series, file: str, column: str, report: ValidationReport) -> pd.Series:
    """Parse a numeric column, reporting cells that are not finite numbers."""
    parsed, bad = as_number(values)
    if bad.any():
        report.add_rows(
            "error", file, column, "number", bad, as_text(values), lambda v: f"{v!r} is not a number"
        )
    return parsed


def integers(values: pd.Series, file: str, column: str, report: ValidationReport) -> pd.Series:
    """Parse an integer column, reporting non-numbers and numbers with a fraction."""
    parsed, bad, fraction = as_integer(values)
    text = as_text(values)
    report.add_rows("error", file, column, "number", bad, text, lambda v: f"{v!r} is not a whole number")
    report.add_rows(
        "error", file, column, "fraction", fraction, text, lambda v: f"{v!r} is not a whole number"
    )
    return parsed.where(~fraction)


def dates(values: pd.Series, file: str, column: str, report: ValidationReport) -> pd.Series:
    """Parse a date column, reporting cells that are not dates YYYY-MM-DD."""
    parsed, bad = as_date(values)
    report.add_rows(
        "error", file, column, "date", bad, as_text(values), lambda v: f"{v!r} is not a date YYYY-MM-DD"
    )
    return parsed


def out_of_range(
    parsed: pd.Series,
    bad: pd.Series,
    raw: pd.Series,
    what: str,
    file: str,
    column: str,
    report: ValidationReport,
) -> None:
    """Report parsed numbers that break a bound, quoting the cell as written."""
    mask = parsed.notna() & np.asarray(bad, dtype=bool)
    report.add_rows("error", file, column, "range", mask, as_text(raw), lambda v: f"{v!r} {what}")
