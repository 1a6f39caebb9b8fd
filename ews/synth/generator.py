"""``generate``: write a synthetic Jakarta data folder and its truth, atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from ews.data import schema
from ews.exceptions import ConfigError
from ews.months import format_month, parse_month
from ews.synth.monitor_effects import truth_checks
from ews.synth.output import check_target, install, staging, write_frame
from ews.synth.params import SynthParams
from ews.synth.profiles import SynthProfile
from ews.synth.truth import write_truth
from ews.synth.world import STAGES as WORLD_STAGES
from ews.synth.world import World, build_world

Progress = Callable[[str], None]
WRITING = "writing files"
STAGES = (*WORLD_STAGES, WRITING)


@dataclass(frozen=True)
class SynthSummary:
    """What was written, with the headline figures to compare with the public ones."""

    out: Path
    truth_dir: Path
    start: str
    end: str
    rws: int
    kelurahan: int
    kecamatan: int
    kota: int
    population: int
    cases: int
    events: int
    signal_rows: int
    cases_per_year: dict[int, int] = field(default_factory=dict)
    channel_shares: dict[str, float] = field(default_factory=dict)
    household_share: float = 0.0
    reopened_share: float = 0.0
    profiles: tuple[str, ...] = ()
    signal_end: str = ""


def _check_folders(out: Path, truth_dir: Path) -> None:
    a, b = out.resolve(), truth_dir.resolve()
    if a == b or a in b.parents or b in a.parents:
        raise ConfigError(f"truth folder {truth_dir} must be separate from the data folder {out}")


def _check_arguments(seed: int, start: int, end: int, fmt: str) -> None:
    if seed < 0:
        raise ConfigError(f"seed {seed} is not allowed; use a whole number >= 0")
    if end < start:
        raise ConfigError(f"end {format_month(end)} is before start {format_month(start)}")
    if fmt not in ("csv", "parquet"):
        raise ConfigError(f"format {fmt!r} is not supported; use 'csv' or 'parquet'")


def _summary(world: World, out: Path, truth_dir: Path, profile: SynthProfile) -> SynthSummary:
    regions, cases = world.frames[schema.REGIONS], world.frames[schema.CASES]
    events = world.frames[schema.CASE_EVENTS]
    per_year = pd.to_datetime(cases["reported_at"]).dt.year.value_counts().sort_index()
    channels = cases["channel"].value_counts(normalize=True).sort_index()
    closed = events.loc[events["event"] == "closed", "case_id"].nunique()
    reopened = events.loc[events["event"] == "reopened", "case_id"].nunique()
    return SynthSummary(
        out=out,
        truth_dir=truth_dir,
        start=format_month(world.span.start),
        end=format_month(world.span.end),
        rws=len(regions),
        kelurahan=regions["kelurahan_code"].nunique(),
        kecamatan=regions["kecamatan_code"].nunique(),
        kota=regions["kota_code"].nunique(),
        population=int(regions["population"].sum()),
        cases=len(cases),
        events=len(events),
        signal_rows=len(world.frames[schema.SIGNALS]),
        cases_per_year=dict(zip(per_year.index.astype(int).tolist(), per_year.tolist(), strict=True)),
        channel_shares={str(k): round(float(v), 4) for k, v in channels.items()},
        household_share=round(float((cases["place"] == "rumah_tangga").mean()), 4) if len(cases) else 0.0,
        reopened_share=round(reopened / closed, 4) if closed else 0.0,
        profiles=profile.names,
        signal_end=format_month(world.span.signal_end),
    )


def generate(
    out: Path,
    *,
    seed: int = 0,
    start: int = parse_month("2020-01"),
    end: int = parse_month("2025-12"),
    fmt: Literal["csv", "parquet"] = "csv",
    areas: Sequence[str] | None = None,
    truth_dir: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    profiles: Sequence[str] = (),
) -> SynthSummary:
    """Write a contract data folder at ``out`` (with ``checks`` drawn from the truth) and the
    generating truth at ``truth_dir``.

    ``truth_dir`` defaults to the sibling ``<out>-truth``. Both are built in
    hidden sibling folders and renamed into place; a non-empty existing
    folder is refused unless ``force``. Same arguments, same bytes.
    ``progress`` is called with each name in :data:`STAGES` as it starts.
    ``profiles`` names stress worlds (``ews.synth.profiles.PROFILES``; values
    may be comma-separated); an unknown or contradictory name is a ConfigError
    before anything is written. No profile: the default world, unchanged.
    """
    profile = SynthProfile.parse(profiles)
    out = Path(out)
    truth_dir = Path(truth_dir) if truth_dir is not None else out.with_name(out.name + "-truth")
    _check_arguments(seed, start, end, fmt)
    profile.span(start, end)  # a range too short for the profiles fails before any work
    _check_folders(out, truth_dir)
    for target in (out, truth_dir):
        check_target(target, force)
    step = progress or (lambda _stage: None)
    world = build_world(seed, start, end, areas, SynthParams(), step, profile)
    step(WRITING)
    with staging(out) as data_temp, staging(truth_dir) as truth_temp:
        for name, frame in world.frames.items():
            write_frame(frame, data_temp, name, fmt)
        write_frame(truth_checks(world.frames, world.truth.rw_month, seed), data_temp, schema.CHECKS, fmt)
        write_truth(truth_temp, world.truth)
        install(truth_temp, truth_dir)
        install(data_temp, out)
    return _summary(world, out, truth_dir, profile)
