"""Assemble one synthetic world in memory: the contract frames and the truth.

Random streams are separate per stage (geography, dynamics, cases, events,
signals), each seeded from ``[seed, stage]``, so changing how one stage draws
does not reshuffle the others, and the geography never depends on ``areas``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ews.data import schema
from ews.months import month_start
from ews.synth import cases as case_draws
from ews.synth.admin import area_mask
from ews.synth.events import case_events, hazard_scale
from ews.synth.gaps import apply_gaps, late_start
from ews.synth.geography import build_geography
from ews.synth.monitor_effects import apply_profile_effects
from ews.synth.params import ReportParams, SynthParams
from ews.synth.profiles import SignalMode, Span, SynthProfile
from ews.synth.reporting import dated_reports, label_intensity
from ews.synth.risk import FloatArray, Simulation, edge_index, post_reach, relative_risk, simulate
from ews.synth.signals import default_columns, signal_frame, signal_rows
from ews.synth.stress_signals import alt_columns, noise_columns
from ews.synth.truth import Truth

STAGES = ("placing RWs", "simulating months", "drawing cases and events", "deriving signals")
STATIC_COLUMNS = ("jarak_pos_km", "kumuh", "kepadatan_per_ha", "persen_keluarga_miskin")
CASE_COLUMNS = (
    "case_id",
    "rw_code",
    "victim_key",
    "incident_date",
    "reported_at",
    "channel",
    "violence_type",
    "victim_group",
    "victim_age",
    "perpetrator_relation",
    "place",
)


@dataclass(frozen=True)
class World:
    """The contract frames (dates as ``YYYY-MM-DD`` text), the generating truth and the months written."""

    frames: dict[str, pd.DataFrame]
    truth: Truth
    span: Span


class SignalMaker(Protocol):
    """A construction of the signal columns (months of ``rows``, RWs of ``rws``)."""

    def __call__(
        self,
        rws: pd.DataFrame,
        sim: Simulation,
        rows: slice,
        report: ReportParams,
        rng: np.random.Generator,
        cadre_start: int | None = None,
    ) -> dict[str, FloatArray]: ...


SIGNAL_MAKERS: dict[SignalMode, SignalMaker] = {
    "default": default_columns,
    "noise": noise_columns,
    "alt": alt_columns,
}


def _rng(seed: int, stage: int) -> np.random.Generator:
    return np.random.default_rng([seed, stage])


def _regions(rws: pd.DataFrame) -> pd.DataFrame:
    columns = [*schema.REGION_REQUIRED_COLUMNS, *schema.REGION_OPTIONAL_COLUMNS, *STATIC_COLUMNS]
    regions = rws[columns].copy()
    regions["kumuh"] = regions["kumuh"].astype("int64")
    return regions.sort_values("rw_code").reset_index(drop=True)


def _cases(
    rws: pd.DataFrame, sim: Simulation, start: int, end: int, params: SynthParams, seed: int
) -> pd.DataFrame:
    """Reported incidents with every attribute; keeps helper columns for events and truth."""
    rng = _rng(seed, 3)
    reports = dated_reports(sim, start, end, params.report.no_incident_date, rng)
    frame = pd.concat([reports, case_draws.draw_victims(len(reports), rng)], axis=1)
    frame = case_draws.assign_repeats(frame, rng)
    frame["place"] = case_draws.draw_places(frame["perpetrator_relation"].to_numpy(), rng)
    report_row = (
        frame["reported_at"].dt.year * 12 + frame["reported_at"].dt.month - 1 - int(sim.months[0])
    ).to_numpy()
    frame["channel"] = case_draws.draw_channels(frame, sim.reach[report_row, frame["rw_pos"].to_numpy()], rng)
    frame["case_id"] = case_draws.case_ids(frame["reported_at"])
    frame["victim_key"] = case_draws.victim_keys(frame["victim"].to_numpy(), rng)
    frame["rw_code"] = rws["rw_code"].to_numpy()[frame["rw_pos"].to_numpy()]
    missing_age = rng.random(len(frame)) < case_draws.MISSING_AGE
    frame["victim_age"] = frame["victim_age"].mask(missing_age)
    return frame


def _text_dates(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = out[column].dt.strftime("%Y-%m-%d").astype(object).where(out[column].notna(), None)
    return out


def _rw_month_truth(
    rws: pd.DataFrame, sim: Simulation, start: int, end: int, params: SynthParams
) -> pd.DataFrame:
    keep = (sim.months >= start) & (sim.months <= end)
    label = label_intensity(sim, params.report.no_incident_date)[keep]
    months = sim.months[keep]
    return pd.DataFrame(
        {
            "rw_code": np.tile(rws["rw_code"].to_numpy(), len(months)),
            "month": np.repeat(months, len(rws)),
            "intensity": sim.intensity[keep].ravel(),
            "report_prob": sim.report_prob[keep].ravel(),
            "label_intensity": label.ravel(),
            "incidents": sim.incidents[keep].ravel(),
        }
    )


def _signals(
    rws: pd.DataFrame, sim: Simulation, span: Span, params: SynthParams, profile: SynthProfile, seed: int
) -> pd.DataFrame:
    """The signals of ``span``'s signal months, made the profile's way, with its gaps cut in."""
    rng = _rng(seed, 6)
    rows = signal_rows(sim, span.start, span.end)  # drawn to the end, cut at signal_end by apply_gaps
    cadre_start = late_start(span) if "late_source" in profile else None
    columns = SIGNAL_MAKERS[profile.signal_mode](rws, sim, rows, params.report, rng, cadre_start)
    frame = apply_gaps(signal_frame(rws, sim.months[rows], columns, rng), profile, span)
    return apply_profile_effects(frame, profile, span, seed)  # campaign, post_opening (monitor tests)


def _select_rws(province: pd.DataFrame, areas: Sequence[str] | None, profile: SynthProfile) -> pd.DataFrame:
    """The RWs under ``areas`` (and, for ``single_kota``, in its one kota), sorted by code."""
    codes = province["kelurahan_code"]
    keep = area_mask(codes, areas) & area_mask(codes, profile.kota(areas))
    return province[keep.to_numpy()].sort_values("rw_code").reset_index(drop=True)


def _meta(
    seed: int, span: Span, areas: Sequence[str] | None, params: SynthParams, profile: SynthProfile
) -> dict[str, Any]:
    """truth.json: the default world's keys, plus the profiles and last signal month when any is set."""
    meta: dict[str, Any] = {
        "seed": seed,
        "start": span.start,
        "end": span.end,
        "areas": list(areas) if areas else None,
        "params": params.to_dict(),
    }
    if profile.names:
        meta.update(profiles=list(profile.names), signal_end=span.signal_end)
    return meta


def build_world(
    seed: int,
    start: int,
    end: int,
    areas: Sequence[str] | None,
    params: SynthParams,
    progress: Callable[[str], None] = lambda _stage: None,
    profile: SynthProfile = SynthProfile(),
) -> World:
    """Every frame of the world for ``seed`` and months ``start..end`` (inclusive).

    ``profile`` may shorten the months (``profile.span``) and change the
    calibration (``profile.params``); the truth describes the world written.
    ``progress`` is called with each stage name of :data:`STAGES` as it starts.
    """
    span, params = profile.span(start, end), profile.params(params)
    start = span.start
    progress(STAGES[0])
    geography = build_geography(seed)
    province = geography.rws.assign(log_risk=relative_risk(geography.rws, params.risk))
    rws = _select_rws(province, areas, profile)
    progress(STAGES[1])
    months = np.arange(start - params.risk.burn_in_months, end + 2, dtype=np.int64)
    reach = post_reach(rws, geography.posts, months, params.report)
    sim = simulate(rws, edge_index(rws, geography.neighbors), reach, months, params, _rng(seed, 2))
    progress(STAGES[2])
    cases = _cases(rws, sim, start, end, params, seed)
    rw_risk = rws["log_risk"].to_numpy()[cases["rw_pos"].to_numpy()]
    scale = hazard_scale(cases, rw_risk, params.reopen)
    events = case_events(
        cases, scale, params.reopen, month_start(end + 1) - pd.Timedelta(days=1), _rng(seed, 5)
    )
    progress(STAGES[3])
    inside = geography.neighbors["rw_code"].isin(rws["rw_code"]) & geography.neighbors["neighbor_code"].isin(
        rws["rw_code"]
    )
    event_frame = _text_dates(events, ["at"])
    frames = {
        schema.REGIONS: _regions(rws),
        schema.NEIGHBORS: geography.neighbors[inside].reset_index(drop=True),
        schema.SIGNALS: _signals(rws, sim, span, params, profile, seed),
        schema.CASES: _text_dates(cases, ["incident_date", "reported_at"])[list(CASE_COLUMNS)].astype(
            {"victim_age": "Int64"}
        ),
        schema.CASE_EVENTS: event_frame.iloc[:0] if "no_events" in profile else event_frame,
    }
    if "no_neighbors" in profile:
        del frames[schema.NEIGHBORS]
    truth = Truth(
        meta=_meta(seed, span, areas, params, profile),
        rw_month=_rw_month_truth(rws, sim, start, end, params),
        case_hazard=pd.Series(scale, index=cases["case_id"].to_numpy()),
        events=events,
    )
    return World(frames=frames, truth=truth, span=span)
