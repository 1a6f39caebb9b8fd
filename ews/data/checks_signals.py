"""Checks of signals (one row per RW per month), streamed chunk by chunk.

Signals are the big file (a province over years, maybe 1 GB), so nothing
here keeps the rows: each chunk is checked and dropped. Duplicate
``(rw_code, month)`` keys are caught with, per month seen, one uint32 array
over the regions' RWs holding the row that first used the key. That is
exact (no hash collisions) and costs ``4 * n_rw`` bytes per distinct month,
about 11 kB per month for Jakarta (under 1 MB for six years), however many
signal columns the file has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data import checks_common as common
from ews.data import schema
from ews.data.coerce import as_month, as_text, positions
from ews.data.issues import ValidationReport

IntArray = npt.NDArray[np.int64]


@dataclass
class _FirstRows:
    """For each month seen, the first row of each RW (0 = not yet seen)."""

    n_rw: int
    by_month: dict[int, npt.NDArray[np.uint32]] = field(default_factory=dict)

    def first_rows(self, month: IntArray, rw: IntArray, rows: IntArray) -> IntArray:
        """The row that first used each key (itself when new); remembers new keys."""
        months, slot = np.unique(month, return_inverse=True)
        table = np.stack([self.by_month.get(int(m), np.zeros(self.n_rw, np.uint32)) for m in months])
        earlier = table[slot, rw].astype(np.int64)
        key = slot * self.n_rw + rw
        _, first_pos, key_slot = np.unique(key, return_index=True, return_inverse=True)
        first = np.where(earlier > 0, earlier, rows[first_pos][key_slot])
        fresh = (earlier == 0) & (first == rows)
        table[slot[fresh], rw[fresh]] = rows[fresh]
        for position, m in enumerate(months):
            self.by_month[int(m)] = table[position]
        return first


def check_signals(
    chunks: Iterable[pd.DataFrame],
    columns: list[str],
    file: str,
    known: pd.Index | None,
    report: ValidationReport,
) -> None:
    """Check every chunk of the signals file against the regions' rw_codes."""
    if not common.missing_columns(pd.DataFrame(columns=columns), file, schema.SIGNAL_KEY_COLUMNS, report):
        return
    signal_columns = [c for c in columns if c not in schema.SIGNAL_KEY_COLUMNS]
    if not signal_columns:
        report.file_issue("warning", file, "has no signal columns besides rw_code and month")
    first_rows = _FirstRows(len(known)) if known is not None else None
    total = 0
    for chunk in chunks:
        total += len(chunk)
        _check_chunk(chunk, signal_columns, file, known, first_rows, report)
    if total == 0:
        report.file_issue("error", file, "has no rows; signals must give at least one RW-month")


def _check_chunk(
    chunk: pd.DataFrame,
    signal_columns: list[str],
    file: str,
    known: pd.Index | None,
    first_rows: _FirstRows | None,
    report: ValidationReport,
) -> None:
    rw_code, month_text = as_text(chunk["rw_code"]), as_text(chunk["month"])
    common.required_cells(rw_code, file, "rw_code", report)
    rw = positions(rw_code, known) if known is not None else None
    if rw is not None:
        unknown = rw_code.notna().to_numpy() & (rw < 0)
        what = "{!r} is not an rw_code listed in regions"
        report.add_rows("error", file, "rw_code", "unknown", unknown, rw_code, what.format)
    common.required_cells(month_text, file, "month", report)
    month, bad = as_month(chunk["month"])
    report.add_rows(
        "error", file, "month", "month", bad, month_text, lambda v: f"{v!r} is not a month YYYY-MM"
    )
    for column in signal_columns:
        common.numbers(chunk[column], file, column, report)
    if rw is not None and first_rows is not None:
        _check_duplicates(rw_code, month_text, month, rw, first_rows, file, report)


def _check_duplicates(
    rw_code: pd.Series,
    month_text: pd.Series,
    month: pd.Series,
    rw: npt.NDArray[np.int64],
    first_rows: _FirstRows,
    file: str,
    report: ValidationReport,
) -> None:
    # Only rows with a listed RW and a valid month have a key; the rest are already errors.
    usable = (rw >= 0) & month.notna().to_numpy()
    if not usable.any():
        return
    rows = rw_code.index.to_numpy(dtype=np.int64)[usable]
    first = first_rows.first_rows(month.to_numpy(dtype=np.int64, na_value=0)[usable], rw[usable], rows)
    repeat = first != rows
    if not repeat.any():
        return
    index = rw_code.index[usable][repeat]
    values = rw_code[index].astype(str) + ", " + month_text[index].astype(str)
    texts = (
        "(" + values + ") is a duplicate rw_code, month; it first appears in row " + first[repeat].astype(str)
    )
    report.add_rows("error", file, "rw_code, month", "duplicate", pd.Series(True, index=index), values, texts)
