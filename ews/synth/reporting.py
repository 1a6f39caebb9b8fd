"""From reported incidents to dated reports: incident day, reporting delay, missing incident dates.

Also the label intensity the truth keeps: the expected number of reported
cases whose label month (incident month, or report month when the incident
date is left empty) is a given month.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.months import month_start
from ews.synth.risk import FloatArray, Simulation

MAX_DELAY_DAYS = 365
DAYS_PER_MONTH = 365.25 / 12


@cache
def delay_pmf() -> npt.NDArray[np.float64]:
    """Days from incident to report: most within a week, a third within two months, some up to a year."""
    days = np.arange(MAX_DELAY_DAYS + 1)
    quick = 0.55 * (1 / 3.0) * (2 / 3.0) ** days
    weeks = np.where((days >= 8) & (days <= 60), 0.30 / 53, 0.0)
    late = np.where(days >= 61, 0.15 / (MAX_DELAY_DAYS - 60), 0.0)
    pmf = quick + weeks + late
    return np.asarray(pmf / pmf.sum(), dtype=np.float64)


@cache
def month_offset_pmf() -> npt.NDArray[np.float64]:
    """P(report month - incident month = d) for an incident on a uniformly drawn day of its month."""
    pmf = delay_pmf()
    offsets = np.zeros(MAX_DELAY_DAYS // 28 + 2)
    for day in np.arange(0.5, DAYS_PER_MONTH, 1.0):
        shift = np.floor((day + np.arange(len(pmf))) / DAYS_PER_MONTH).astype(np.int64)
        offsets += np.bincount(shift, weights=pmf, minlength=len(offsets))[: len(offsets)]
    return np.asarray(offsets / offsets.sum(), dtype=np.float64)


def label_intensity(sim: Simulation, no_date_share: float) -> FloatArray:
    """Expected reported cases per RW by label month (rows follow ``sim.months``)."""
    reported = sim.intensity * sim.report_prob
    late = np.zeros_like(reported)
    for offset, weight in enumerate(month_offset_pmf()):
        if offset < len(reported):
            late[offset:] += weight * reported[: len(reported) - offset]
    return np.asarray((1.0 - no_date_share) * reported + no_date_share * late, dtype=np.float64)


def dated_reports(
    sim: Simulation, start: int, end: int, no_date_share: float, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per reported incident with ``rw_pos``, ``incident_date``, ``reported_at`` (NaT if empty).

    Reports after the last day of ``end`` are not in the data yet; incidents
    of the burn-in months reported from ``start`` on are.
    """
    t, rw_pos = np.nonzero(sim.reported)
    repeat = sim.reported[t, rw_pos]
    t, rw_pos = np.repeat(t, repeat), np.repeat(rw_pos, repeat)
    first = np.array([month_start(int(m)).value for m in sim.months], dtype=np.int64)
    day_ns = 86_400 * 10**9
    first_of_next = np.append(first[1:], month_start(int(sim.months[-1]) + 1).value)
    month_days = (first_of_next - first) // day_ns
    day = np.floor(rng.random(len(t)) * month_days[t]).astype(np.int64)
    delay = rng.choice(len(delay_pmf()), size=len(t), p=delay_pmf())
    incident = first[t] + day * day_ns
    reported_at = incident + delay * day_ns
    frame = pd.DataFrame(
        {
            "rw_pos": rw_pos,
            "incident_date": pd.to_datetime(incident),
            "reported_at": pd.to_datetime(reported_at),
            "sim_row": t,
        }
    )
    frame.loc[rng.random(len(frame)) < no_date_share, "incident_date"] = pd.NaT
    lo, hi = month_start(start), month_start(end + 1)
    keep = (frame["reported_at"] >= lo) & (frame["reported_at"] < hi)
    return frame[keep].sort_values(["reported_at", "rw_pos"], kind="stable").reset_index(drop=True)
