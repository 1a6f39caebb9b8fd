"""Cases and case events as plain arrays, read once per feature build.

Everything here is a property of a case that depends only on cases reported
no later than it and events dated no later than the month it is counted in,
so cutting the folder with ``known_as_of`` never changes a counted value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.folder import DataFolder
from ews.features.panel import Grid, IntArray, date_months

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CaseLog:
    """One entry per case with a report date: RW row, report month, category codes, repeat flag."""

    rows: IntArray
    months: IntArray
    codes: dict[str, IntArray]
    repeat: BoolArray
    change_rows: IntArray
    change_months: IntArray
    change: IntArray
    reopen_rows: IntArray
    reopen_months: IntArray
    incident_months: IntArray


def read_case_log(folder: DataFolder, grid: Grid, categories: dict[str, tuple[str, ...]]) -> CaseLog:
    """Arrays of ``folder``'s cases and events on ``grid``'s RW rows."""
    cases = folder.cases[folder.cases["reported_at"].notna()]
    rows = grid.rw_positions(cases["rw_code"])
    reported = cases["reported_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    codes = {
        column: np.asarray(pd.Categorical(cases[column].astype(object), categories=list(values)).codes)
        for column, values in categories.items()
    }
    case_pos, at, state = _event_arrays(folder.case_events, cases["case_id"])
    change_pos, change_at, change = _state_changes(reported, case_pos, at, state)
    reopened = state == 1
    return CaseLog(
        rows=rows,
        months=date_months(cases["reported_at"]),
        codes={k: v.astype(np.int64) for k, v in codes.items()},
        repeat=_is_repeat(cases, reported),
        change_rows=rows[change_pos],
        change_months=_months_of_ns(change_at),
        change=change,
        reopen_rows=rows[case_pos[reopened]],
        reopen_months=_months_of_ns(at[reopened]),
        incident_months=date_months(cases["incident_date"].fillna(cases["reported_at"])),
    )


def _months_of_ns(stamps: IntArray) -> IntArray:
    return date_months(stamps.astype("datetime64[ns]"))


def _is_repeat(cases: pd.DataFrame, reported: IntArray) -> BoolArray:
    """True for a case whose victim_key appeared in an earlier-reported case.

    Same-day ties are broken by case_id; such cases are known or unknown
    together, so the flag never depends on the cut.
    """
    keys = pd.factorize(cases["victim_key"])[0]
    ids = pd.factorize(cases["case_id"].astype(object), sort=True)[0]
    order = np.lexsort((ids, reported, keys))
    sorted_keys = keys[order]
    seen = np.zeros(len(keys), dtype=bool)
    seen[1:] = (sorted_keys[1:] == sorted_keys[:-1]) & (sorted_keys[1:] >= 0)
    repeat = np.zeros(len(keys), dtype=bool)
    repeat[order] = seen
    return repeat


def _event_arrays(events: pd.DataFrame, case_ids: pd.Series) -> tuple[IntArray, IntArray, IntArray]:
    """Case position, time (ns) and new open state (1 reopened, 0 closed) of each usable event."""
    lookup = pd.Index(case_ids.astype(object)).drop_duplicates()
    positions = lookup.get_indexer(pd.Index(events["case_id"].astype(object)))
    kind = events["event"].astype(object).to_numpy()
    state = np.where(kind == "reopened", 1, np.where(kind == "closed", 0, -1)).astype(np.int64)
    at = events["at"].to_numpy(dtype="datetime64[ns]")
    keep = (positions >= 0) & (state >= 0) & ~np.isnat(at)
    return positions[keep].astype(np.int64), at[keep].astype(np.int64), state[keep]


def _state_changes(
    reported: IntArray, case_pos: IntArray, at: IntArray, state: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Each change of a case's open state (+1 opened, -1 closed) with its case and time.

    The state is read from the sequence report, events (by date, file order
    among ties), so a repeated ``closed`` (out of contract) changes nothing.
    """
    n = len(reported)
    pos = np.concatenate([np.arange(n, dtype=np.int64), case_pos])
    when = np.concatenate([reported, at])
    is_event = np.concatenate([np.zeros(n, dtype=np.int64), np.ones(len(case_pos), dtype=np.int64)])
    new = np.concatenate([np.ones(n, dtype=np.int64), state])
    order = np.lexsort((when, is_event, pos))
    pos, when, new = pos[order], when[order], new[order]
    previous = np.zeros_like(new)
    same_case = np.zeros(len(pos), dtype=bool)
    same_case[1:] = pos[1:] == pos[:-1]
    previous[1:] = np.where(same_case[1:], new[:-1], 0)
    change = new - previous
    moved = change != 0
    return pos[moved], when[moved], change[moved]
