"""Assemble one synthetic world in memory: the contract frames and the truth.

Random streams are separate per stage (geography, dynamics, cases, events,
signals), each seeded from ``[seed, stage]``, so changing how one stage draws
does not reshuffle the others, and the geography never depends on ``areas``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ews.data import schema
from ews.months import month_start
from ews.synth import cases as case_draws
from ews.synth.admin import area_mask
from ews.synth.events import case_events, hazard_scale
from ews.synth.geography import build_geography
from ews.synth.params import SynthParams
from ews.synth.reporting import dated_reports, label_intensity
from ews.synth.risk import Simulation, edge_index, post_reach, relative_risk, simulate
from ews.synth.signals import build_signals
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
    """The contract frames (dates as ``YYYY-MM-DD`` text) and the generating truth."""

    frames: dict[str, pd.DataFrame]
    truth: Truth


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


def build_world(
    seed: int,
    start: int,
    end: int,
    areas: Sequence[str] | None,
    params: SynthParams,
    progress: Callable[[str], None] = lambda _stage: None,
) -> World:
    """Every frame of the world for ``seed`` and months ``start..end`` (inclusive).

    ``progress`` is called with each stage name of :data:`STAGES` as it starts.
    """
    progress(STAGES[0])
    geography = build_geography(seed)
    province = geography.rws.assign(log_risk=relative_risk(geography.rws, params.risk))
    rws = province[area_mask(province["kelurahan_code"], areas).to_numpy()]
    rws = rws.sort_values("rw_code").reset_index(drop=True)
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
    frames = {
        schema.REGIONS: _regions(rws),
        schema.NEIGHBORS: geography.neighbors[inside].reset_index(drop=True),
        schema.SIGNALS: build_signals(rws, sim, start, end, params.report, _rng(seed, 6)),
        schema.CASES: _text_dates(cases, ["incident_date", "reported_at"])[list(CASE_COLUMNS)].astype(
            {"victim_age": "Int64"}
        ),
        schema.CASE_EVENTS: _text_dates(events, ["at"]),
    }
    meta = {
        "seed": seed,
        "start": start,
        "end": end,
        "areas": list(areas) if areas else None,
        "params": params.to_dict(),
    }
    truth = Truth(
        meta=meta,
        rw_month=_rw_month_truth(rws, sim, start, end, params),
        case_hazard=pd.Series(scale, index=cases["case_id"].to_numpy()),
        events=events,
    )
    return World(frames=frames, truth=truth)
