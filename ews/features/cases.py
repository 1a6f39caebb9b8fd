"""Reopen population, labels and features from a data folder (contract section 2, issue 4).

As of month M (day A = M's first day) the population is every case whose
last event before A is ``closed``, dated in the 180 days before A; the label
is a ``reopened`` event in [A, A + 90 days). Features use only what is
known as of M: events before A, cases reported before A. Everything is
vectorised over many as-of months; one row per (as_of, case_id), sorted.
The numeric encoding is :func:`ews.features.cases_encode.encode_case_features`,
the same function the one-case API payload goes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.folder import DataFolder, known_as_of
from ews.exceptions import DataError, TimeRuleError
from ews.features.cases_encode import CASE_FEATURES, CATEGORY_GROUPS, encode_case_features
from ews.features.cases_spells import (
    LABEL_DAYS,
    NEVER,
    IntArray,
    Spells,
    closing_spells,
    count_in_window,
    recent_pairs,
)
from ews.months import month_start

FloatArray = npt.NDArray[np.float64]
INDEX_NAMES = ("as_of", "case_id")
_EPOCH = pd.Timestamp("1970-01-01")


def day_numbers(values: pd.Series) -> FloatArray:
    """Days since 1970-01-01 of each date; NaN where the date is empty."""
    stamps = pd.to_datetime(values).to_numpy(dtype="datetime64[ns]")
    days = stamps.astype("datetime64[D]").astype(np.int64).astype(np.float64)
    return np.where(np.isnat(stamps), np.nan, days)


def as_of_day(month: int) -> int:
    """Day number of an as-of month's first day."""
    return int((month_start(month) - _EPOCH).days)


def _months(as_of_months: Iterable[int]) -> IntArray:
    values = list(as_of_months)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TimeRuleError(f"as-of month {value!r} is not a month index (an int such as 24291)")
    return np.unique(np.asarray(values, dtype=np.int64))


@dataclass(frozen=True)
class _Rows:
    """The population rows of many as-of months, sorted by (as_of, case_id)."""

    folder: DataFolder
    spells: Spells
    spell: IntArray
    case_pos: IntArray
    month: IntArray
    day: IntArray

    @property
    def index(self) -> pd.MultiIndex:
        ids = self.folder.cases["case_id"].astype(str).to_numpy()[self.case_pos]
        return pd.MultiIndex.from_arrays([self.month, ids], names=list(INDEX_NAMES))


def _event_positions(folder: DataFolder) -> IntArray:
    """Row in ``folder.cases`` of each event's case (-1 when the case is unknown)."""
    ids = pd.Index(folder.cases["case_id"].astype(str))
    if not ids.is_unique:
        raise DataError("cases.case_id holds duplicates; each case_id must appear once")
    return np.asarray(ids.get_indexer(pd.Index(folder.case_events["case_id"].astype(str))), dtype=np.int64)


def _reopen_events(folder: DataFolder) -> tuple[IntArray, IntArray]:
    """Case row and day number of every ``reopened`` event of a known case."""
    pos = _event_positions(folder)
    keep = (folder.case_events["event"].astype(str) == "reopened").to_numpy() & (pos >= 0)
    return pos[keep], day_numbers(folder.case_events["at"])[keep].astype(np.int64)


def _event_spells(folder: DataFolder) -> Spells:
    events = folder.case_events
    pos = _event_positions(folder)
    kind = events["event"].astype(str).to_numpy()
    keep = (pos >= 0) & np.isin(kind, ["closed", "reopened"])
    reported = np.nan_to_num(day_numbers(folder.cases["reported_at"])).astype(np.int64)
    days = day_numbers(events["at"])[keep].astype(np.int64)
    return closing_spells(pos[keep], kind[keep] == "closed", days, reported)


def _rows(folder: DataFolder, as_of_months: Iterable[int]) -> _Rows:
    months = _months(as_of_months)
    days = np.asarray([as_of_day(m) for m in months], dtype=np.int64)
    spells = _event_spells(folder)
    spell, at = recent_pairs(spells, days)
    case_pos = spells.case_pos[spell]
    rank = np.argsort(np.argsort(folder.cases["case_id"].astype(str).to_numpy(), kind="stable"))
    order = np.lexsort((rank[case_pos], months[at]))
    return _Rows(folder, spells, spell[order], case_pos[order], months[at][order], days[at][order])


def reopen_population(folder: DataFolder, as_of: int) -> pd.DataFrame:
    """Cases recently closed as of ``as_of``, one row each, sorted by case_id.

    Columns: case_id, rw_code, as_of (month index), reported_at, closed_at, times_reopened.
    """
    rows = _rows(folder, [as_of])
    cases = folder.cases.iloc[rows.case_pos]
    closed = pd.to_datetime(rows.spells.closed_day[rows.spell], unit="D").astype("datetime64[ns]")
    return pd.DataFrame(
        {
            "case_id": cases["case_id"].astype("string").to_numpy(),
            "rw_code": cases["rw_code"].astype("string").to_numpy(),
            "as_of": rows.month,
            "reported_at": cases["reported_at"].to_numpy(),
            "closed_at": closed,
            "times_reopened": rows.spells.reopened_before[rows.spell],
        }
    )


def reopen_labels(folder: DataFolder, as_of_months: Iterable[int], known_at: int | None = None) -> pd.Series:
    """1 where a recently closed case is reopened within 90 days of the as-of day, else 0.

    With ``known_at`` only events before that month count, and only as-of
    months whose 90-day window ended by its first day are kept (labels matured by then).
    """
    months = _months(as_of_months)
    if known_at is not None:
        cutoff = as_of_day(known_at)
        months = months[np.asarray([as_of_day(m) + LABEL_DAYS <= cutoff for m in months], dtype=bool)]
        folder = known_as_of(folder, known_at)
    rows = _rows(folder, months.tolist())
    hit = count_in_window(rows.case_pos, rows.day, rows.day + LABEL_DAYS, *_reopen_events(folder))
    return pd.Series((hit > 0).astype(np.int8), index=rows.index, name="reopened")


def _victim_counts(folder: DataFolder, rows: _Rows, reported: IntArray) -> dict[str, IntArray]:
    codes, _ = pd.factorize(folder.cases["victim_key"], use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    known = codes >= 0
    group, own_day = codes[rows.case_pos], reported[rows.case_pos]
    items = (codes[known], reported[known])
    earlier = count_in_window(group, np.full_like(group, -NEVER), own_day, *items)
    since = count_in_window(group, own_day, rows.day, *items)
    return {"victim_earlier_cases": earlier, "victim_cases_since": np.maximum(since - 1, 0)}


def _rw_counts(folder: DataFolder, rows: _Rows, reported: IntArray) -> dict[str, IntArray]:
    codes = np.asarray(pd.factorize(folder.cases["rw_code"], use_na_sentinel=True)[0], dtype=np.int64)
    group = codes[rows.case_pos]
    pos, event_day = _reopen_events(folder)
    event_group = codes[pos]
    return {
        "rw_cases_90d": count_in_window(group, rows.day - 90, rows.day, codes, reported),
        "rw_cases_365d": count_in_window(group, rows.day - 365, rows.day, codes, reported),
        "rw_reopened_365d": count_in_window(group, rows.day - 365, rows.day, event_group, event_day),
    }


def _raw_inputs(rows: _Rows) -> dict[str, npt.NDArray[Any]]:
    cases = rows.folder.cases
    reported = np.nan_to_num(day_numbers(cases["reported_at"])).astype(np.int64)
    raw: dict[str, npt.NDArray[Any]] = {
        "as_of_day": rows.day,
        "closed_day": rows.spells.closed_day[rows.spell],
        "reported_day": reported[rows.case_pos],
        "incident_day": day_numbers(cases["incident_date"])[rows.case_pos],
        "open_days": rows.spells.open_days[rows.spell],
        "reopened_before": rows.spells.reopened_before[rows.spell],
        "victim_age": cases["victim_age"].to_numpy(dtype=np.float64, na_value=np.nan)[rows.case_pos],
    }
    raw |= _victim_counts(rows.folder, rows, reported) | _rw_counts(rows.folder, rows, reported)
    for group, _ in CATEGORY_GROUPS:
        raw[group] = cases[group].to_numpy(dtype=object)[rows.case_pos]
    return raw


def build_case_features(folder: DataFolder, as_of_months: Iterable[int]) -> pd.DataFrame:
    """Features of every recently closed case for each as-of month, index (as_of, case_id)."""
    rows = _rows(folder, as_of_months)
    matrix = encode_case_features(_raw_inputs(rows))
    return pd.DataFrame(matrix, index=rows.index, columns=list(CASE_FEATURES))
