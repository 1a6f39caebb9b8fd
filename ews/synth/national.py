"""``ews synth --provinces N``: a national-size world of N provinces, each shaped like Jakarta.

Province ``i`` is the default Jakarta world of seed ``seed + PROVINCE_SEED_STEP * i`` with its
codes moved from ``31`` to the province's two-digit code (real Kemendagri province codes
first, Jakarta's own ``31`` leading, so ``--provinces 1`` is the default world). Case ids and
victim keys gain the province code so they stay unique. The provinces are built and written
one at a time, so memory holds one province, and the large tables are folders of Parquet
files, one per province (contract section 1, "Large folders"); the truth's tables are
folders too (``rw_month.parquet/``, which pandas and pyarrow read as one table).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ews.data import schema
from ews.exceptions import ConfigError
from ews.synth.admin import PROVINCE, _lokal_data
from ews.synth.monitor_effects import truth_checks
from ews.synth.output import check_target, install, staging
from ews.synth.params import SynthParams
from ews.synth.truth import META_FILE, Truth, truth_tables
from ews.synth.world import World, build_world

PROVINCE_SEED_STEP = 100_003  # a prime: province worlds of nearby --seed values never share a seed
PARTITIONED = (schema.SIGNALS, schema.CASES, schema.CASE_EVENTS, schema.CHECKS)
JAKARTA_KOTA = ("01", "71", "72", "73", "74", "75")  # Kepulauan Seribu and the five kota
MAX_BLOCK = 11
CODE_COLUMNS = ("rw_code", "kelurahan_code", "kecamatan_code", "kota_code", "neighbor_code")


@dataclass(frozen=True)
class Province:
    """One province of a national world: its code, name, the seed of its world and its kota block.

    Past 90 provinces the two-digit codes repeat, each time with Jakarta's six kota moved to
    another block of kota numbers (``block`` 1..11: kota ``02..07``, ``08..13``, ...), so codes
    stay unique and nested up to 1,080 Jakarta-sized areas (about 2.9M RWs).
    """

    code: str
    name: str
    seed: int
    block: int = 0

    @property
    def label(self) -> str:
        """The partition file name: the province code, and its block past the first."""
        return self.code if self.block == 0 else f"{self.code}-{self.block:02d}"

    def kota_code(self, jakarta_kota: str) -> str:
        """Where this province puts a Jakarta kota: ``31.71`` -> ``11.71``, or ``11.03`` in block 1."""
        number = jakarta_kota[len(PROVINCE) + 1 :]
        if self.block:
            number = f"{(self.block - 1) * len(JAKARTA_KOTA) + 2 + JAKARTA_KOTA.index(number):02d}"
        return f"{self.code}.{number}"


@dataclass(frozen=True)
class NationalTotals:
    """Headline figures of a national world, summed as the provinces are written."""

    provinces: int
    rws: int
    kelurahan: int
    kota: int
    cases: int
    signal_rows: int


def province_list(count: int, seed: int) -> list[Province]:
    """``count`` provinces: Jakarta, the other 37 real provinces, then unused two-digit codes."""
    real = {k: v for k, v in _lokal_data("wilayah").items() if len(k) == 2}
    codes = [PROVINCE, *sorted(c for c in real if c != PROVINCE)]
    codes += [f"{n:02d}" for n in range(10, 100) if f"{n:02d}" not in real]
    limit = len(codes) * (MAX_BLOCK + 1)
    if not 1 <= count <= limit:
        raise ConfigError(f"--provinces {count} is not allowed; use 1 to {limit}")
    out = []
    for i in range(count):
        code, block = codes[i % len(codes)], i // len(codes)
        name = real.get(code, f"Provinsi Sintetis {code}") + (f" {block + 1}" if block else "")
        out.append(Province(code, name, seed + PROVINCE_SEED_STEP * i, block))
    return out


def _recode(frame: pd.DataFrame, province: Province) -> pd.DataFrame:
    """Move every region code from Jakarta's ``31`` to the province's code; tag the kota names."""
    out = frame.copy()
    if province.code == PROVINCE and province.block == 0:
        return out
    kota = {k: province.kota_code(k) for k in (f"{PROVINCE}.{n}" for n in JAKARTA_KOTA)}
    for column in CODE_COLUMNS:
        if column in out.columns:
            text = out[column].astype(str)
            out[column] = text.str[:5].map(kota) + text.str[5:]
    if "kota_name" in out.columns:
        out["kota_name"] = out["kota_name"].astype(str) + f" ({province.name})"
    for column in ("case_id", "victim_key"):
        if column in out.columns:
            out[column] = f"{province.label}-" + out[column].astype(str)
    return out


def _province_world(province: Province, start: int, end: int) -> World:
    """The province's contract frames (recoded) with its truth-chosen checks, and the world's truth."""
    world = build_world(province.seed, start, end, None, SynthParams())
    checks = truth_checks(world.frames, world.truth.rw_month, province.seed)
    frames = {name: _recode(frame, province) for name, frame in world.frames.items()}
    frames[schema.CHECKS] = _recode(checks, province)
    truth = Truth(
        meta=world.truth.meta,
        rw_month=_recode(world.truth.rw_month, province),
        case_hazard=world.truth.case_hazard.set_axis(
            f"{province.label}-" + world.truth.case_hazard.index.astype(str)
            if province.label != PROVINCE
            else world.truth.case_hazard.index
        ),
        events=_recode(world.truth.events, province),
    )
    return World(frames=frames, truth=truth, span=world.span)


def _write_part(folder: Path, name: str, part: str, frame: pd.DataFrame) -> None:
    (folder / name).mkdir(exist_ok=True)
    frame.to_parquet(folder / name / f"{part}.parquet", index=False)


def _write_truth_part(folder: Path, province: Province, truth: Truth) -> None:
    for file, frame in truth_tables(truth).items():
        _write_part(folder, file, province.label, frame)


def _write_province(data: Path, truth_dir: Path, province: Province, start: int, end: int) -> World:
    world = _province_world(province, start, end)
    for name in PARTITIONED:
        _write_part(data, name, province.label, world.frames[name])
    _write_truth_part(truth_dir, province, world.truth)
    return world


def _meta(provinces: list[Province], seed: int, start: int, end: int) -> dict[str, object]:
    return {
        "seed": seed,
        "start": start,
        "end": end,
        "areas": None,
        "params": SynthParams().to_dict(),
        "provinces": [{"code": p.code, "name": p.name, "seed": p.seed, "block": p.block} for p in provinces],
    }


def generate_national(
    out: Path,
    *,
    provinces: int,
    seed: int,
    start: int,
    end: int,
    truth_dir: Path,
    force: bool = False,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> NationalTotals:
    """Write a national world of ``provinces`` provinces at ``out`` and its truth at ``truth_dir``.

    Both folders are built in hidden siblings and renamed into place, as ``ews synth`` does.
    ``progress(done, total)`` is called after each province.
    """
    chosen = province_list(provinces, seed)
    for target in (out, truth_dir):
        check_target(target, force)
    regions: list[pd.DataFrame] = []
    neighbors: list[pd.DataFrame] = []
    totals = np.zeros(2, dtype=np.int64)
    with staging(out) as data_temp, staging(truth_dir) as truth_temp:
        for done, province in enumerate(chosen, start=1):
            world = _write_province(data_temp, truth_temp, province, start, end)
            regions.append(world.frames[schema.REGIONS])
            neighbors.append(world.frames[schema.NEIGHBORS])
            totals += (len(world.frames[schema.CASES]), len(world.frames[schema.SIGNALS]))
            progress(done, len(chosen))
        all_regions = pd.concat(regions, ignore_index=True).sort_values("rw_code", ignore_index=True)
        all_regions.to_parquet(data_temp / f"{schema.REGIONS}.parquet", index=False)
        pd.concat(neighbors, ignore_index=True).to_parquet(
            data_temp / f"{schema.NEIGHBORS}.parquet", index=False
        )
        meta = json.dumps(_meta(chosen, seed, start, end), indent=2, sort_keys=True)
        (truth_temp / META_FILE).write_text(meta + "\n", encoding="utf-8")
        install(truth_temp, truth_dir)
        install(data_temp, out)
    return NationalTotals(
        provinces=len(chosen),
        rws=len(all_regions),
        kelurahan=int(all_regions["kelurahan_code"].nunique()),
        kota=int(all_regions["kota_code"].nunique()),
        cases=int(totals[0]),
        signal_rows=int(totals[1]),
    )
