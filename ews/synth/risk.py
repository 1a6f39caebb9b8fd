"""The latent monthly process: incident intensity per RW, incidents, and the reported share.

Vectorised over RWs, one loop step per month. The intensity of month m is
known from everything before m (traits, economic shocks, past incidents), so
it is the best possible prediction of month m: the truth folder keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.months import parse_month
from ews.synth.params import ReportParams, RiskParams, SynthParams, post_count

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

COVID_MONTHS = ("2020-04", "2021-06")  # large-scale social restrictions (PSBB/PPKM)


@dataclass(frozen=True)
class Simulation:
    """Month-by-RW matrices (rows: ``months``, columns: the RWs in order)."""

    months: IntArray
    intensity: FloatArray
    report_prob: FloatArray
    incidents: IntArray
    reported: IntArray
    reach: FloatArray
    shock: FloatArray


def edge_index(rws: pd.DataFrame, neighbors: pd.DataFrame) -> tuple[IntArray, IntArray]:
    """Both directions of every neighbour pair, as positions in ``rws``."""
    position = pd.Series(np.arange(len(rws)), index=rws["rw_code"].to_numpy())
    inside = neighbors["rw_code"].isin(position.index) & neighbors["neighbor_code"].isin(position.index)
    a = position.loc[neighbors.loc[inside, "rw_code"]].to_numpy()
    b = position.loc[neighbors.loc[inside, "neighbor_code"]].to_numpy()
    return np.concatenate([a, b]).astype(np.int64), np.concatenate([b, a]).astype(np.int64)


def relative_risk(rws: pd.DataFrame, params: RiskParams) -> FloatArray:
    """Per-resident log risk of each RW: poverty, slum, density, hot/cold place.

    Centred so the resident-weighted mean of its exponential is 1 over ``rws``;
    called on the whole province, this keeps the province's volume of cases on
    target whatever the seed drew, so year totals vary only through the dynamics.
    """
    log_density = np.log(rws["population"] / rws["area_km2"] / 40000.0)
    value = (
        params.poverty * rws["poverty_z"]
        + params.kumuh * rws["kumuh"]
        + params.log_density * log_density
        + rws["hot_u"]
    ).to_numpy(dtype=np.float64)
    weights = rws["population"].to_numpy(dtype=np.float64)
    return np.asarray(value - np.log(np.average(np.exp(value), weights=weights)), dtype=np.float64)


def base_log_intensity(rws: pd.DataFrame, params: RiskParams) -> FloatArray:
    """The persistent part of an RW's log intensity: its size plus its ``log_risk`` column."""
    size = np.log(np.maximum(rws["population"].to_numpy(), 50) / 3900.0)
    return np.asarray(params.log_base + size + rws["log_risk"].to_numpy(dtype=np.float64), dtype=np.float64)


def post_reach(rws: pd.DataFrame, posts: pd.DataFrame, months: IntArray, params: ReportParams) -> FloatArray:
    """exp(-distance to the nearest open complaint post / reach_km); 0 before any post opens."""
    dx = rws["x_km"].to_numpy()[:, None] - posts["x_km"].to_numpy()[None, :]
    dy = rws["y_km"].to_numpy()[:, None] - posts["y_km"].to_numpy()[None, :]
    dist = np.hypot(dx, dy)
    wave = posts["wave"].to_numpy()
    reach = np.zeros((len(months), len(rws)))
    for t, month in enumerate(months):
        is_open = wave < post_count(params, int(month))
        if is_open.any():
            reach[t] = np.exp(-dist[:, is_open].min(axis=1) / params.reach_km)
    return reach


def _month_effects(months: IntArray, params: SynthParams) -> tuple[FloatArray, FloatArray]:
    """Seasonality and COVID on log intensity; campaign, COVID and trend on the reporting logit."""
    moy = months % 12
    season = params.risk.season * np.cos(2 * np.pi * (moy - 6) / 12)
    covid = (months >= parse_month(COVID_MONTHS[0])) & (months <= parse_month(COVID_MONTHS[1]))
    # The 16-day campaign runs 25 Nov - 10 Dec; its publicity lifts November and December.
    campaign = np.select([moy == 10, moy == 11], [0.6, 0.8], 0.0)
    years = (months - parse_month("2020-01")) / 12.0
    report = params.report.campaign * campaign - 0.1 * covid + params.report.trend_per_year * years
    return season + 0.15 * covid, report


def _neighbour_mean(values: FloatArray, edges: tuple[IntArray, IntArray], degree: FloatArray) -> FloatArray:
    src, dst = edges
    return np.asarray(np.bincount(src, weights=values[dst], minlength=len(values)) / degree, dtype=np.float64)


def simulate(
    rws: pd.DataFrame,
    edges: tuple[IntArray, IntArray],
    reach: FloatArray,
    months: IntArray,
    params: SynthParams,
    rng: np.random.Generator,
) -> Simulation:
    """Run the monthly process over ``months`` for the RWs in ``rws``.

    Excitation is additive, which keeps the process stable whatever an RW's
    base: each incident begets on average (self + neighbour) / (1 - decay)
    further incidents (about 0.5 with the defaults), in the next months.
    """
    risk, report = params.risk, params.report
    kec_codes, kec = np.unique(rws["kecamatan_code"].to_numpy(), return_inverse=True)
    base = base_log_intensity(rws, risk)
    intensity_effect, report_effect = _month_effects(months, params)
    degree = np.maximum(np.bincount(edges[0], minlength=len(rws)), 1).astype(np.float64)
    shape = (len(months), len(rws))
    floats = {name: np.zeros(shape) for name in ("intensity", "report_prob", "shock")}
    counts = {name: np.zeros(shape, dtype=np.int64) for name in ("incidents", "reported")}
    shock = rng.normal(0.0, risk.shock_sd / np.sqrt(1 - risk.shock_rho**2), len(kec_codes))
    excite = np.zeros(len(rws))
    for t in range(len(months)):
        shock = risk.shock_rho * shock + rng.normal(0.0, risk.shock_sd, len(kec_codes))
        near = _neighbour_mean(excite, edges, degree)
        lam = np.exp(base + shock[kec] + intensity_effect[t]) + risk.self_excite * excite
        lam += risk.neighbor_excite * near
        logit = report.logit_base + report.post_reach * reach[t] + report_effect[t]
        prob = 1.0 / (1.0 + np.exp(-logit))
        incidents = rng.poisson(lam)
        counts["incidents"][t], counts["reported"][t] = incidents, rng.binomial(incidents, prob)
        excite = risk.excite_decay * excite + incidents
        floats["intensity"][t], floats["report_prob"][t], floats["shock"][t] = lam, prob, shock[kec]
    return Simulation(
        months=months,
        intensity=floats["intensity"],
        report_prob=floats["report_prob"],
        incidents=counts["incidents"],
        reported=counts["reported"],
        reach=reach,
        shock=floats["shock"],
    )
