"""Case status changes: every case closes; some reopen, then close again.

After the k-th closing a case reopens with hazard ``a * later**k * exp(-t / tau)``
per day, t days after closing; ``a`` grows with the case's attributes (partner
perpetrator, repeat victim, RW risk, physical violence, 112 intake) so that a
model using them beats ranking by recency alone. The truth keeps ``a``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.synth.params import ReopenParams
from ews.synth.risk import FloatArray


def hazard_scale(cases: pd.DataFrame, rw_risk: FloatArray, params: ReopenParams) -> FloatArray:
    """Per-day reopen hazard at the moment of the first closing, one per case."""
    linear = (
        params.partner * (cases["perpetrator_relation"] == "pasangan")
        + params.repeat_victim * (cases["prior_cases"] > 0)
        + params.rw_risk * rw_risk
        + params.fisik * (cases["violence_type"] == "fisik")
        + params.child * (cases["victim_group"] != "perempuan_dewasa")
        + params.siaga_112 * (cases["channel"] == "siaga_112")
    )
    return np.asarray(params.hazard_base * np.exp(linear.to_numpy(dtype=np.float64)), dtype=np.float64)


def _durations(n: int, median: float, sigma: float, rng: np.random.Generator) -> FloatArray:
    return np.asarray(np.maximum(1.0, np.rint(median * np.exp(rng.normal(0.0, sigma, n)))), dtype=np.float64)


def _reopen_after(scale: FloatArray, tau: float, rng: np.random.Generator) -> FloatArray:
    """Days from closing to reopening under the decaying hazard; inf when it never comes."""
    total = scale * tau  # cumulative hazard as t -> infinity
    draw = rng.exponential(1.0, len(scale))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        days = -tau * np.log1p(-draw / total)
    return np.where(draw < total, np.maximum(1.0, np.ceil(days)), np.inf)


def case_events(
    cases: pd.DataFrame, scale: FloatArray, params: ReopenParams, end: pd.Timestamp, rng: np.random.Generator
) -> pd.DataFrame:
    """``case_id, event, at`` for every event dated up to and including the day ``end``."""
    ids = cases["case_id"].to_numpy()
    first = _durations(len(cases), params.close_median_days, params.close_sigma, rng)
    closed = cases["reported_at"].to_numpy() + first.astype("timedelta64[D]")
    rows = [pd.DataFrame({"case_id": ids, "event": "closed", "at": closed})]
    active = np.arange(len(cases))
    for k in range(params.max_reopens):
        wait = _reopen_after(scale[active] * params.later_factor**k, params.tau_days, rng)
        returns = np.isfinite(wait)
        active, wait = active[returns], wait[returns]
        reopened = closed[returns] + wait.astype("timedelta64[D]")
        again = _durations(len(active), params.reclose_median_days, params.close_sigma, rng)
        closed = reopened + again.astype("timedelta64[D]")
        rows.append(pd.DataFrame({"case_id": ids[active], "event": "reopened", "at": reopened}))
        rows.append(pd.DataFrame({"case_id": ids[active], "event": "closed", "at": closed}))
    events = pd.concat(rows, ignore_index=True)
    events = events[events["at"] <= end]
    return events.sort_values(["case_id", "at"], kind="stable").reset_index(drop=True)
