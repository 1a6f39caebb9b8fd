"""Monthly RW signals that partly lead the latent risk, with realistic gaps.

Each signal for month m mixes the intensity of months m and m+1 (so it says
something about next month, which is what a score as of m+1 predicts) with
noise and population-driven background. Empty cells and missing RW-month rows
mean "not reported"; sources start at different times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.months import format_month, parse_month
from ews.synth.params import ReportParams, post_count
from ews.synth.risk import FloatArray, IntArray, Simulation

CADRE_START = "2023-01"  # RW cadre early-warning reports begin rolling out (a new data source)
CADRE_SHARE = 0.85
SCHOOL_CLOSED = ("2020-04", "2021-08")  # online schooling: no attendance figures
CELL_GAP = 0.02
ROW_GAP = 0.01


def _leading(sim: Simulation, rows: slice) -> FloatArray:
    """Half this month's intensity, half next month's."""
    nxt = slice(rows.start + 1, rows.stop + 1)
    return np.asarray(0.5 * sim.intensity[rows] + 0.5 * sim.intensity[nxt], dtype=np.float64)


def _post_contacts(
    sim: Simulation, rows: slice, lead: FloatArray, report: ReportParams, rng: np.random.Generator
) -> FloatArray:
    counts = rng.poisson(sim.reach[rows] * (1.0 + 15.0 * lead)).astype(np.float64)
    no_post = np.array([post_count(report, int(m)) == 0 for m in sim.months[rows]])
    counts[no_post] = np.nan
    return counts


def _calls_112(rws: pd.DataFrame, lead: FloatArray, rng: np.random.Generator) -> FloatArray:
    background = 0.15 * rws["population"].to_numpy() / 1000.0
    return rng.poisson(background[None, :] + 6.0 * lead).astype(np.float64)


def _cadre_reports(months: IntArray, lead: FloatArray, rng: np.random.Generator) -> FloatArray:
    n = lead.shape[1]
    starts = parse_month(CADRE_START) + rng.integers(0, 12, n, dtype=np.int64)
    active = np.less(rng.random(n), CADRE_SHARE)
    counts = rng.poisson(0.2 + 5.0 * lead).astype(np.float64)
    reporting = np.logical_and(active.reshape(1, n), months.reshape(-1, 1) >= starts.reshape(1, n))
    counts[~reporting] = np.nan
    return counts


def _bansos(rws: pd.DataFrame, sim: Simulation, rows: slice, rng: np.random.Generator) -> FloatArray:
    share = np.minimum(0.9, 1.6 * rws["persen_keluarga_miskin"].to_numpy() / 100.0)
    base = rws["households"].to_numpy() * share
    noise = rng.normal(0.0, 0.03, sim.shock[rows].shape)
    return np.asarray(np.rint(base[None, :] * np.exp(0.8 * sim.shock[rows] + noise)), dtype=np.float64)


def _school_absence(
    rws: pd.DataFrame, sim: Simulation, rows: slice, lead: FloatArray, rng: np.random.Generator
) -> FloatArray:
    poverty = rws["poverty_z"].to_numpy()[None, :]
    value = 3.0 + 1.0 * poverty + 8.0 * sim.shock[rows] + 4.0 * lead + rng.normal(0.0, 0.8, lead.shape)
    value = np.clip(value, 0.5, 30.0).round(1)
    months = sim.months[rows]
    closed = (months >= parse_month(SCHOOL_CLOSED[0])) & (months <= parse_month(SCHOOL_CLOSED[1]))
    value[closed | (months % 12 == 6)] = np.nan  # July is the school holiday
    return np.asarray(value, dtype=np.float64)


def build_signals(
    rws: pd.DataFrame, sim: Simulation, start: int, end: int, report: ReportParams, rng: np.random.Generator
) -> pd.DataFrame:
    """The signals file for months ``start..end`` (long format, one row per RW-month)."""
    first = int(np.searchsorted(sim.months, start))
    rows = slice(first, first + end - start + 1)
    lead = _leading(sim, rows)
    months = sim.months[rows]
    columns = {
        "kontak_pos_pengaduan": _post_contacts(sim, rows, lead, report, rng),
        "panggilan_112_kdrt": _calls_112(rws, lead, rng),
        "laporan_kader_rw": _cadre_reports(months, lead, rng),
        "penerima_bansos": _bansos(rws, sim, rows, rng),
        "absensi_sekolah_pct": _school_absence(rws, sim, rows, lead, rng),
    }
    frame = pd.DataFrame(
        {
            "rw_code": np.tile(rws["rw_code"].to_numpy(), len(months)),
            "month": np.repeat([format_month(int(m)) for m in months], len(rws)),
        }
    )
    for name, values in columns.items():
        values = values.ravel()
        values[rng.random(len(values)) < CELL_GAP] = np.nan
        frame[name] = values
    frame = frame[rng.random(len(frame)) >= ROW_GAP]
    counts = [name for name in columns if name != "absensi_sekolah_pct"]
    frame = frame.astype(dict.fromkeys(counts, "Int64"))  # counts print as 3, not 3.0
    return frame.sort_values(["rw_code", "month"], kind="stable").reset_index(drop=True)
