"""Monthly RW signals: traces of the month's incidents plus a leading stress level, with gaps.

Two parts make each count signal of month m:
- an *echo* of the incidents of month m, reported or not: each incident
  leaves a trace (a 112 call, a cadre's note, a visit to a complaint post)
  with a fixed chance. This is what makes early warning possible at all: the
  near-repeat excitation that drives next month's risk comes from incidents
  that mostly never reach UPTD PPA, and only such traces reveal them;
- a *stress* level, Poisson with a mean proportional to the intensity of
  months m and m+1 (so it partly leads next month's risk), over a
  population-driven background.
Empty cells and missing RW-month rows mean "not reported"; sources start at
different times. The stress worlds' other constructions (noise, lagged)
live in ``ews.synth.stress_signals`` and reuse the gaps defined here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.months import format_month, parse_month
from ews.synth.params import ReportParams, post_count
from ews.synth.risk import FloatArray, IntArray, Simulation

BoolArray = npt.NDArray[np.bool_]

CADRE_START = "2023-01"  # RW cadre early-warning reports begin rolling out (a new data source)
CADRE_SHARE = 0.85
SCHOOL_CLOSED = ("2020-04", "2021-08")  # online schooling: no attendance figures
CELL_GAP = 0.02
ROW_GAP = 0.01
# Chance that one incident leaves a trace in the signal (post: times the RW's post reach).
ECHO_POST, ECHO_112, ECHO_CADRE = 0.9, 0.8, 0.8
# Expected stress counts per unit of leading intensity, and the background without any.
STRESS_POST, STRESS_112, STRESS_CADRE = 8.0, 3.2, 2.4
BACKGROUND_POST, BACKGROUND_112_PER_1000, BACKGROUND_CADRE = 0.5, 0.05, 0.05
FRACTION_COLUMNS = ("absensi_sekolah_pct",)  # a percentage; every other column is a count


def _leading(sim: Simulation, rows: slice) -> FloatArray:
    """Half this month's intensity, half next month's."""
    nxt = slice(rows.start + 1, rows.stop + 1)
    return np.asarray(0.5 * sim.intensity[rows] + 0.5 * sim.intensity[nxt], dtype=np.float64)


def _echo(sim: Simulation, rows: slice, share: FloatArray | float, rng: np.random.Generator) -> FloatArray:
    """How many of the month's incidents (reported or not) left a trace in the signal."""
    return rng.binomial(sim.incidents[rows], share).astype(np.float64)


def _post_contacts(
    sim: Simulation, rows: slice, lead: FloatArray, report: ReportParams, rng: np.random.Generator
) -> FloatArray:
    reach = sim.reach[rows]
    counts = rng.poisson(reach * (BACKGROUND_POST + STRESS_POST * lead)).astype(np.float64)
    counts += _echo(sim, rows, ECHO_POST * reach, rng)
    counts[no_post_months(sim.months[rows], report)] = np.nan
    return counts


def no_post_months(months: IntArray, report: ReportParams) -> BoolArray:
    """Months before the first complaint post opens: the post signal cannot exist yet."""
    return np.array([post_count(report, int(m)) == 0 for m in months], dtype=bool)


def _calls_112(
    rws: pd.DataFrame, sim: Simulation, rows: slice, lead: FloatArray, rng: np.random.Generator
) -> FloatArray:
    background = BACKGROUND_112_PER_1000 * rws["population"].to_numpy() / 1000.0
    calls = rng.poisson(background[None, :] + STRESS_112 * lead).astype(np.float64)
    return calls + _echo(sim, rows, ECHO_112, rng)


def cadre_reporting(
    months: IntArray, n: int, rng: np.random.Generator, start: int | None = None
) -> BoolArray:
    """Which RW-months have cadre reports: RWs join during 2023 (or all at ``start``); 15% never do.

    The per-RW start months are drawn even when ``start`` overrides them, so
    a late start changes which cells are empty and nothing else.
    """
    starts = parse_month(CADRE_START) + rng.integers(0, 12, n, dtype=np.int64)
    if start is not None:
        starts = np.full(n, start, dtype=np.int64)
    active = np.less(rng.random(n), CADRE_SHARE)
    return np.logical_and(active.reshape(1, n), months.reshape(-1, 1) >= starts.reshape(1, n))


def _cadre_reports(
    sim: Simulation, rows: slice, lead: FloatArray, rng: np.random.Generator, start: int | None
) -> FloatArray:
    reporting = cadre_reporting(sim.months[rows], lead.shape[1], rng, start)
    counts = rng.poisson(BACKGROUND_CADRE + STRESS_CADRE * lead).astype(np.float64)
    counts += _echo(sim, rows, ECHO_CADRE, rng)
    counts[~reporting] = np.nan
    return counts


def bansos_households(
    rws: pd.DataFrame, sim: Simulation, rows: slice, rng: np.random.Generator
) -> FloatArray:
    """Social-assistance households: the RW's poor households, moved by the kecamatan's economic shock."""
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
    value[no_school_months(sim.months[rows])] = np.nan
    return np.asarray(value, dtype=np.float64)


def no_school_months(months: IntArray) -> BoolArray:
    """Months without attendance figures: online schooling under COVID, and July (the holiday)."""
    closed = (months >= parse_month(SCHOOL_CLOSED[0])) & (months <= parse_month(SCHOOL_CLOSED[1]))
    return np.asarray(closed | (months % 12 == 6), dtype=bool)


def signal_rows(sim: Simulation, start: int, end: int) -> slice:
    """The rows of ``sim`` for months ``start..end``."""
    first = int(np.searchsorted(sim.months, start))
    return slice(first, first + end - start + 1)


def default_columns(
    rws: pd.DataFrame,
    sim: Simulation,
    rows: slice,
    report: ReportParams,
    rng: np.random.Generator,
    cadre_start: int | None = None,
) -> dict[str, FloatArray]:
    """Today's construction: echo of the month's incidents plus leading stress (module docstring)."""
    lead = _leading(sim, rows)
    return {
        "kontak_pos_pengaduan": _post_contacts(sim, rows, lead, report, rng),
        "panggilan_112_kdrt": _calls_112(rws, sim, rows, lead, rng),
        "laporan_kader_rw": _cadre_reports(sim, rows, lead, rng, cadre_start),
        "penerima_bansos": bansos_households(rws, sim, rows, rng),
        "absensi_sekolah_pct": _school_absence(rws, sim, rows, lead, rng),
    }


def signal_frame(
    rws: pd.DataFrame, months: IntArray, columns: dict[str, FloatArray], rng: np.random.Generator
) -> pd.DataFrame:
    """Long format, one row per RW-month, with random empty cells and missing rows (any construction)."""
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
    counts = [name for name in columns if name not in FRACTION_COLUMNS]
    frame = frame.astype(dict.fromkeys(counts, "Int64"))  # counts print as 3, not 3.0
    return frame.sort_values(["rw_code", "month"], kind="stable").reset_index(drop=True)
