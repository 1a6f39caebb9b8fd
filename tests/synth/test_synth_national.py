"""``ews synth --provinces N``: a national world of Jakarta-shaped provinces, as folders of Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_run import exit_code

from ews.data.load import read_folder
from ews.exceptions import ConfigError
from ews.months import parse_month
from ews.synth import generate
from ews.synth.national import _recode, generate_national, province_list
from ews.synth.truth import load_truth, rw_probability

SHORT = ("--start", "2024-01", "--end", "2024-06")


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national") / "data"
    assert exit_code(["synth", str(out), "--provinces", "3", "--seed", "4", *SHORT]) == 0
    return out


def test_provinces_are_real_codes_led_by_jakarta_and_then_unused_codes() -> None:
    provinces = province_list(40, seed=0)
    codes = [p.code for p in provinces]
    assert codes[:3] == ["31", "11", "12"] and len(set(codes)) == 40
    assert provinces[1].name == "Aceh" and provinces[39].name.startswith("Provinsi Sintetis")
    assert len({p.seed for p in provinces}) == 40
    with pytest.raises(ConfigError, match="--provinces 1081 is not allowed; use 1 to 1080"):
        province_list(1081, seed=0)


def test_past_ninety_provinces_codes_repeat_with_kota_moved_to_a_new_block() -> None:
    provinces = province_list(200, seed=0)
    again = provinces[90]
    assert (again.code, again.block, again.label) == ("31", 1, "31-01")
    assert [again.kota_code(f"31.{k}") for k in ("01", "71", "75")] == ["31.02", "31.03", "31.07"]
    assert provinces[179].kota_code("31.75") == "99.07" and provinces[180].kota_code("31.01") == "31.08"
    regions = pd.DataFrame(
        {"rw_code": ["31.71.01.1001.005"], "kota_code": ["31.71"], "kota_name": ["Jakarta Pusat"]}
    )
    moved = _recode(regions, again)
    assert moved.loc[0, "rw_code"] == "31.03.01.1001.005" and moved.loc[0, "kota_code"] == "31.03"
    assert moved.loc[0, "kota_name"].endswith(f"({again.name})")
    kota = {p.kota_code(f"31.{k}") for p in provinces for k in ("01", "71", "72", "73", "74", "75")}
    assert len(kota) == 200 * 6


def test_folder_is_valid_partitioned_and_keys_are_unique(national: Path) -> None:
    assert exit_code(["validate", str(national)]) == 0
    assert sorted(p.name for p in (national / "signals").iterdir()) == [
        "11.parquet",
        "12.parquet",
        "31.parquet",
    ]
    folder = read_folder(national)
    regions = folder.regions
    assert set(regions["kota_code"].str[:2]) == {"31", "11", "12"}
    assert regions["rw_code"].is_unique and folder.cases["case_id"].is_unique
    assert (regions["rw_code"].str[:2] == regions["kota_code"].str[:2]).all()
    aceh = regions[regions["kota_code"].str.startswith("11.")]
    assert aceh["kota_name"].str.endswith("(Aceh)").all()
    own = folder.cases["rw_code"].str[:2] == folder.cases["case_id"].str[:2]
    assert own[~folder.cases["rw_code"].str.startswith("31.")].all()


def test_truth_reads_as_one_table_over_all_provinces(national: Path) -> None:
    truth = load_truth(national.with_name("data-truth"))
    probability = rw_probability(truth, parse_month("2024-03"))
    regions = read_folder(national).regions
    assert set(probability.index) == set(regions["rw_code"])
    meta = json.loads((national.with_name("data-truth") / "truth.json").read_text())
    assert [p["code"] for p in meta["provinces"]] == ["31", "11", "12"]


def test_first_province_is_the_default_jakarta_world(national: Path, tmp_path: Path) -> None:
    jakarta = tmp_path / "jakarta"
    generate(jakarta, seed=4, start=parse_month("2024-01"), end=parse_month("2024-06"), fmt="parquet")
    expected = pd.read_parquet(jakarta / "signals.parquet")
    got = pd.read_parquet(national / "signals" / "31.parquet")
    pd.testing.assert_frame_equal(got, expected)


def test_same_seed_same_bytes(national: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_national(
        again,
        provinces=3,
        seed=4,
        start=parse_month("2024-01"),
        end=parse_month("2024-06"),
        truth_dir=tmp_path / "again-truth",
    )
    for part in ("cases/12.parquet", "regions.parquet", "neighbors.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(again / part), pd.read_parquet(national / part))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "csv"], "--format csv cannot be combined with --provinces"),
        (["--area", "31.71"], "--area cannot be combined with --provinces"),
        (["--profile", "rare"], "--profile cannot be combined with --provinces"),
    ],
)
def test_national_refuses_options_it_cannot_honour(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert exit_code(["synth", str(tmp_path / "d"), "--provinces", "2", *SHORT, *extra]) != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
