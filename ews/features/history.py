"""Past-case features of each RW, its neighbours, kelurahan and kecamatan.

Cases count by report month (``reported_at``): a case is known as of ``M``
only once reported before ``M``'s first day, and a report month ``< M`` is
exactly that. Events count by the month of ``at`` likewise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder
from ews.data.schema import VICTIM_GROUPS, VIOLENCE_TYPES
from ews.features import names
from ews.features.caselog import CaseLog, read_case_log
from ews.features.neighbors import neighbor_index
from ews.features.panel import FloatArray, Grid, IntArray, months_since, prefix_counts, window_sum

Block = dict[str, FloatArray]
_LEVEL_COLUMN = {"kel": "kelurahan", "kec": "kecamatan"}


def case_features(folder: DataFolder, grid: Grid) -> Block:
    """Own-RW counts: windows, categories, repeat victims, recency, open and reopened cases."""
    categories = {"violence_type": VIOLENCE_TYPES, "victim_group": VICTIM_GROUPS}
    log = read_case_log(folder, grid, categories)
    total = prefix_counts(grid, log.rows, log.months)
    out: Block = {f"cases_{w}m": window_sum(total, grid, w) for w in names.CASE_WINDOWS}
    for column, values in categories.items():
        # Categories outside the contract lists (code -1) count in the totals only.
        for position, category in enumerate(values):
            weights = (log.codes[column] == position).astype(np.float64)
            prefix = prefix_counts(grid, log.rows, log.months, weights)
            out[f"cases_{names.CATEGORY_WINDOW}m_{category}"] = window_sum(
                prefix, grid, names.CATEGORY_WINDOW
            )
    repeat = prefix_counts(grid, log.rows, log.months, log.repeat.astype(np.float64))
    out |= {f"repeat_cases_{w}m": window_sum(repeat, grid, w) for w in names.REPEAT_WINDOWS}
    out["months_since_case"] = months_since(total, grid, names.LOOKBACK)
    out["cases_decay"] = near_repeat(log, grid)
    return out | _event_features(log, grid)


def near_repeat(log: CaseLog, grid: Grid) -> FloatArray:
    """Known cases by incident month, each month back weighing half the one after it.

    Near-repeat risk fades within weeks of the incident, not of the report, so
    a case reported today about last year's violence should weigh little. As
    of ``M`` a case counts only once reported before ``M``: for incident lag
    ``L`` that means a reporting delay under ``L`` months.
    """
    delay = log.months - log.incident_months
    out = np.zeros((grid.n_rw, len(grid.as_of)))
    for lag in range(1, names.DECAY_LAGS + 1):
        known = delay < lag
        prefix = prefix_counts(grid, log.rows[known], log.incident_months[known])
        month = prefix[:, grid.t - lag + 1] - prefix[:, grid.t - lag]
        out += names.DECAY ** (lag - 1) * month
    return out


def _event_features(log: CaseLog, grid: Grid) -> Block:
    """Cases open on the as-of's first day, and reopen events in the last months."""
    weights = log.change.astype(np.float64)
    stock = prefix_counts(grid, log.change_rows, log.change_months, weights, clip_early=True)
    reopened = prefix_counts(grid, log.reopen_rows, log.reopen_months)
    return {
        "open_cases": stock[:, grid.t],
        f"reopened_{names.REOPEN_WINDOW}m": window_sum(reopened, grid, names.REOPEN_WINDOW),
    }


def pooled_features(folder: DataFolder, grid: Grid, own: Block) -> Block:
    """Neighbour sums and kelurahan/kecamatan totals, so sparse RWs borrow strength."""
    rows, cols = neighbor_index(folder, grid.rw_codes)
    out: Block = {
        f"nbr_cases_{w}m": _neighbour_sum(rows, cols, own[f"cases_{w}m"]) for w in names.NEIGHBOR_WINDOWS
    }
    out["nbr_cases_decay"] = _neighbour_sum(rows, cols, own["cases_decay"])
    degree = np.bincount(rows, minlength=grid.n_rw).astype(np.float64).reshape(-1, 1)
    out["nbr_count"] = np.repeat(degree, len(grid.as_of), axis=1)
    population = folder.regions["population"].to_numpy(dtype=np.float64)
    for level, windows in (("kel", names.KELURAHAN_WINDOWS), ("kec", names.KECAMATAN_WINDOWS)):
        groups = pd.factorize(folder.regions[f"{_LEVEL_COLUMN[level]}_code"], use_na_sentinel=False)[0]
        for w in windows:
            out[f"{level}_cases_{w}m"] = _group_total(groups, own[f"cases_{w}m"])
        people = _group_total(groups, population.reshape(-1, 1))
        rate = out[f"{level}_cases_{windows[-1]}m"] * 1000.0 / np.where(people > 0, people, np.nan)
        out[f"{level}_cases_{windows[-1]}m_per_1000"] = rate
    return out | long_run_features(folder, grid, own["cases_60m"], population)


def long_run_features(folder: DataFolder, grid: Grid, cases: FloatArray, population: FloatArray) -> Block:
    """Each RW's long-run monthly case rate, shrunk towards its kelurahan's rate per resident.

    Persistent hot spots are the largest part of the risk, and five years of
    one RW's cases estimate its rate far better than one year; the kelurahan
    prior keeps small or new RWs from reading zero. Months before the folder's
    first month are not history, so the rate divides by the months covered.
    """
    span = names.CASE_WINDOWS[-1]
    # A folder without signals or cases has no history at all: one month keeps the division finite.
    first = folder.first_month if len(folder.signals) or len(folder.cases) else int(grid.as_of.max())
    history = np.clip(grid.as_of - first, 1, span).astype(np.float64)[None, :]
    groups = pd.factorize(folder.regions["kelurahan_code"], use_na_sentinel=False)[0]
    people = _group_total(groups, population.reshape(-1, 1))
    per_resident = _group_total(groups, cases) / np.where(people > 0, people, np.nan) / history
    prior = np.nan_to_num(per_resident * population.reshape(-1, 1))
    shrunk = (cases + names.PRIOR_MONTHS * prior) / (history + names.PRIOR_MONTHS)
    # The floor (one case in ~80 years) keeps log finite for empty kelurahan.
    return {
        "log_case_rate_longrun": np.log(shrunk + 1e-3),
        "log_kel_rate_longrun": np.log(prior + 1e-3),
        "history_months": np.repeat(history, grid.n_rw, axis=0),
    }


def _neighbour_sum(rows: IntArray, cols: IntArray, values: FloatArray) -> FloatArray:
    """Row i gets the sum of ``values`` over its neighbours j (pairs ``rows[k] -> cols[k]``)."""
    total = np.zeros_like(values)
    np.add.at(total, rows, values[cols])
    return total


def _group_total(groups: IntArray, values: FloatArray) -> FloatArray:
    """Each row replaced by the total of its group (same shape as ``values``)."""
    totals = np.zeros((int(groups.max()) + 1 if len(groups) else 0, values.shape[1]))
    np.add.at(totals, groups, values)
    return totals[groups]
