"""Two other ways to make the same signal columns, for the ``noise_signals`` and ``alt_signals`` worlds.

A model tuned on one generator can learn its quirks (today's signals echo
the incidents of the *same* month and half-lead next month's intensity).
These constructions keep the column names, scales and gaps of the default
signals but change how they relate to incidents:

- **noise**: every column is drawn independently of incidents, risk, size
  and shocks (a persistent random level per RW times monthly noise), so a
  model that ranks well here is reading something other than the signals;
- **alt**: incidents show up one or two months *later* (each incident's
  weight 0.7 at lag 1 and 0.3 at lag 2), multiplied by a per-kecamatan
  reporting propensity that drifts as a random walk, with negative-binomial
  overdispersion; the stress part follows last month's intensity instead of
  leading the next; and ``laporan_kader_rw`` responds only to incidents
  that are (eventually) reported to UPTD PPA, so it adds little beyond the
  cases themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.synth import signals as default
from ews.synth.params import ReportParams
from ews.synth.risk import FloatArray, Simulation

# noise: the default columns' rough means (full Jakarta), and the spread of the per-RW level.
NOISE_MEAN = {"kontak_pos_pengaduan": 0.64, "panggilan_112_kdrt": 0.61, "laporan_kader_rw": 0.37}
NOISE_BANSOS_MEDIAN, NOISE_LEVEL_SD = 180.0, 0.5
# alt: lag weights, propensity walk, overdispersion (gamma shape: variance = mean + mean^2 / shape).
LAG_WEIGHTS = (0.7, 0.3)
PROPENSITY_SD, PROPENSITY_STEP = 0.3, 0.08
NB_SHAPE = 1.5
ALT_ECHO_POST, ALT_ECHO_112, ALT_ECHO_CADRE = 0.9, 0.8, 0.9


def _rw_level(n: int, rng: np.random.Generator) -> FloatArray:
    """A persistent per-RW multiplier with mean 1, unrelated to anything in the world."""
    sd = NOISE_LEVEL_SD
    return np.asarray(np.exp(rng.normal(-0.5 * sd * sd, sd, n)), dtype=np.float64)


def _noise_count(mean: float, shape: tuple[int, int], rng: np.random.Generator) -> FloatArray:
    level = _rw_level(shape[1], rng)
    return rng.poisson(mean * np.broadcast_to(level, shape)).astype(np.float64)


def noise_columns(
    rws: pd.DataFrame,
    sim: Simulation,
    rows: slice,
    report: ReportParams,
    rng: np.random.Generator,
    cadre_start: int | None = None,
) -> dict[str, FloatArray]:
    """The default columns, scales and gaps, drawn independently of the world (see module docstring)."""
    months = sim.months[rows]
    shape = (len(months), len(rws))
    post = _noise_count(NOISE_MEAN["kontak_pos_pengaduan"], shape, rng)
    post[default.no_post_months(months, report)] = np.nan
    calls = _noise_count(NOISE_MEAN["panggilan_112_kdrt"], shape, rng)
    reporting = default.cadre_reporting(months, len(rws), rng, cadre_start)
    cadre = _noise_count(NOISE_MEAN["laporan_kader_rw"], shape, rng)
    cadre[~reporting] = np.nan
    bansos = NOISE_BANSOS_MEDIAN * np.exp(rng.normal(0.0, 0.8, len(rws)))[None, :]
    bansos = bansos * np.exp(rng.normal(0.0, 0.03, shape))
    absence = np.clip(rng.normal(3.6, 1.0, len(rws))[None, :] + rng.normal(0.0, 0.8, shape), 0.5, 30.0)
    absence[default.no_school_months(months)] = np.nan
    return {
        "kontak_pos_pengaduan": post,
        "panggilan_112_kdrt": calls,
        "laporan_kader_rw": cadre,
        "penerima_bansos": np.rint(bansos),
        "absensi_sekolah_pct": absence.round(1),
    }


def _lagged(values: FloatArray, rows: slice) -> FloatArray:
    """Weighted sum of ``values`` one and two months before each row (the burn-in covers the first)."""
    out = np.zeros((rows.stop - rows.start, values.shape[1]))
    for lag, weight in enumerate(LAG_WEIGHTS, start=1):
        out += weight * values[rows.start - lag : rows.stop - lag]
    return out


def _propensity(rws: pd.DataFrame, rows: slice, rng: np.random.Generator) -> FloatArray:
    """Per-kecamatan reporting propensity, a log random walk over the months, spread to its RWs."""
    _, kec = np.unique(rws["kecamatan_code"].to_numpy(), return_inverse=True)
    n_months, n_kec = rows.stop - rows.start, int(kec.max()) + 1 if len(kec) else 0
    steps = rng.normal(0.0, PROPENSITY_STEP, (n_months, n_kec))
    walk = rng.normal(0.0, PROPENSITY_SD, n_kec)[None, :] + np.cumsum(steps, axis=0)
    return np.asarray(np.exp(walk)[:, kec], dtype=np.float64)


def _negative_binomial(mean: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Counts with the given means and variance mean + mean^2 / NB_SHAPE (gamma-Poisson)."""
    return rng.poisson(mean * rng.gamma(NB_SHAPE, 1.0 / NB_SHAPE, mean.shape)).astype(np.float64)


def _alt_absence(rws: pd.DataFrame, sim: Simulation, rows: slice, rng: np.random.Generator) -> FloatArray:
    """School absence driven by last month's shock and intensity (the default's leads by half a month)."""
    past = slice(rows.start - 1, rows.stop - 1)
    poverty = rws["poverty_z"].to_numpy()[None, :]
    value = 3.0 + poverty + 8.0 * sim.shock[past] + 4.0 * sim.intensity[past]
    value = np.clip(value + rng.normal(0.0, 0.8, value.shape), 0.5, 30.0).round(1)
    value[default.no_school_months(sim.months[rows])] = np.nan
    return np.asarray(value, dtype=np.float64)


def _alt_counts(
    rws: pd.DataFrame, sim: Simulation, rows: slice, report: ReportParams, rng: np.random.Generator
) -> dict[str, FloatArray]:
    """Post contacts and 112 calls: propensity x (background + last month's intensity + lagged incidents)."""
    incidents = _lagged(sim.incidents.astype(np.float64), rows)
    past = sim.intensity[rows.start - 1 : rows.stop - 1]  # last month's intensity: follows, never leads
    propensity = _propensity(rws, rows, rng)
    reach = sim.reach[rows]
    post_mean = reach * (default.BACKGROUND_POST + default.STRESS_POST * past + ALT_ECHO_POST * incidents)
    post = _negative_binomial(propensity * post_mean, rng)
    post[default.no_post_months(sim.months[rows], report)] = np.nan
    background = default.BACKGROUND_112_PER_1000 * rws["population"].to_numpy()[None, :] / 1000.0
    calls_mean = background + default.STRESS_112 * past + ALT_ECHO_112 * incidents
    return {
        "kontak_pos_pengaduan": post,
        "panggilan_112_kdrt": _negative_binomial(propensity * calls_mean, rng),
    }


def _alt_cadre(
    sim: Simulation, n: int, rows: slice, rng: np.random.Generator, cadre_start: int | None
) -> FloatArray:
    """Cadre reports that only follow incidents reported to UPTD PPA, one or two months on."""
    reporting = default.cadre_reporting(sim.months[rows], n, rng, cadre_start)
    reported = _lagged(sim.reported.astype(np.float64), rows)
    cadre = rng.poisson(default.BACKGROUND_CADRE + ALT_ECHO_CADRE * reported).astype(np.float64)
    cadre[~reporting] = np.nan
    return cadre


def alt_columns(
    rws: pd.DataFrame,
    sim: Simulation,
    rows: slice,
    report: ReportParams,
    rng: np.random.Generator,
    cadre_start: int | None = None,
) -> dict[str, FloatArray]:
    """Lagged, drifting, overdispersed signals, one only seeing reported incidents (module docstring)."""
    counts = _alt_counts(rws, sim, rows, report, rng)
    return {
        **counts,
        "laporan_kader_rw": _alt_cadre(sim, len(rws), rows, rng, cadre_start),
        "penerima_bansos": default.bansos_households(rws, sim, rows, rng),
        "absensi_sekolah_pct": _alt_absence(rws, sim, rows, rng),
    }
