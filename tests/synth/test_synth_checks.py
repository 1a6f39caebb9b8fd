"""The synthetic ``checks`` file: who is checked follows an observable rule, what is found the truth."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ews.data import schema
from ews.months import parse_month
from ews.synth.monitor_effects import FLAG_SHARE, office_flags
from ews.synth.truth import load_truth


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _checks(folder: Path) -> pd.DataFrame:
    checks = _read(folder, schema.CHECKS)
    return checks.assign(month=checks["visit_date"].str[:7].map(parse_month))


def test_checked_rws_are_chosen_from_the_data_folder_alone(jakarta_dir: Path) -> None:
    frames = {name: _read(jakarta_dir, name) for name in (schema.REGIONS, schema.SIGNALS, schema.CASES)}
    frames[schema.SIGNALS] = frames[schema.SIGNALS].replace("", None)
    checks = _checks(jakarta_dir)
    assert list(checks.columns[:4]) == list(schema.CHECK_COLUMNS)
    flags = office_flags(frames, frames[schema.REGIONS]["rw_code"], sorted(checks["month"].unique()))
    chosen = set(zip(flags["rw_code"], flags["month"], strict=True))
    assert set(zip(checks["rw_code"], checks["month"], strict=True)) <= chosen
    per_month = flags.groupby("month").size()
    assert per_month.max() <= max(1, int(FLAG_SHARE * len(frames[schema.REGIONS])))


def test_nothing_is_checked_before_anything_is_known(jakarta_dir: Path) -> None:
    first = _checks(jakarta_dir)["month"].min()
    assert first > parse_month("2024-01")  # the world starts in 2024-01: no cases, no contacts yet


def test_a_check_finds_an_indication_only_where_the_truth_had_incidents(jakarta_dir: Path) -> None:
    truth = load_truth(jakarta_dir.with_name(jakarta_dir.name + "-truth")).rw_month
    checks = _checks(jakarta_dir).merge(
        truth[["rw_code", "month", "incidents"]].astype({"rw_code": str}), how="left"
    )
    found = checks["outcome"].isin(["ada_indikasi", "dirujuk_uptd_ppa"])
    assert found.any() and (checks.loc[found, "incidents"] > 0).all()
    assert set(checks["outcome"]) <= {
        "sudah_dicek_aman",
        "ada_indikasi",
        "dirujuk_uptd_ppa",
        "tidak_dapat_dicek",
    }
    assert set(checks["role"]) <= {"lurah", "camat"}
