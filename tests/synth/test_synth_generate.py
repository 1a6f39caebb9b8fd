"""generate(): determinism, the areas filter, formats, and all-or-nothing output."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from ews.data.load import read_folder
from ews.data.validate import validate_folder
from ews.exceptions import ConfigError
from ews.months import parse_month
from ews.synth import generate

START, END = parse_month("2024-01"), parse_month("2024-12")


def _same_tree(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    _match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def _gambir(out: Path, **kwargs: object) -> Path:
    options: dict[str, object] = {"seed": 5, "start": START, "end": END, "areas": ["31.71.01"]}
    options.update(kwargs)
    generate(out, **options)  # type: ignore[arg-type]
    return out


def test_same_arguments_give_byte_identical_folders(tmp_path: Path) -> None:
    first, second = _gambir(tmp_path / "a"), _gambir(tmp_path / "b")
    assert _same_tree(first, second)
    assert _same_tree(tmp_path / "a-truth", tmp_path / "b-truth")


def test_another_seed_gives_another_world(tmp_path: Path) -> None:
    first, other = _gambir(tmp_path / "a"), _gambir(tmp_path / "b", seed=6)
    assert not filecmp.cmp(first / "cases.csv", other / "cases.csv", shallow=False)


def test_area_filter_keeps_only_the_kecamatan(tiny_world: Path) -> None:
    folder = read_folder(tiny_world)
    assert folder.regions["kecamatan_code"].unique().tolist() == ["31.71.01"]
    codes = set(folder.regions["rw_code"])
    assert set(folder.cases["rw_code"]) <= codes
    assert set(folder.signals["rw_code"]) <= codes
    assert folder.neighbors is not None
    assert set(folder.neighbors["rw_code"]) | set(folder.neighbors["neighbor_code"]) <= codes
    assert len(folder.cases) > 0


def test_area_filter_cuts_the_same_province(tmp_path: Path) -> None:
    """A smaller area has exactly the RWs it has inside a larger one (geography ignores areas)."""
    small = read_folder(_gambir(tmp_path / "small"))
    large = read_folder(_gambir(tmp_path / "large", areas=["31.71.01", "31.71.02"]))
    inside = large.regions[large.regions["kecamatan_code"] == "31.71.01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(small.regions, inside)
    assert set(large.regions["kecamatan_code"]) == {"31.71.01", "31.71.02"}


def test_kota_area(tmp_path: Path) -> None:
    out = generate(tmp_path / "pusat", seed=1, start=START, end=START + 1, areas=["31.71"])
    assert (out.kota, out.kecamatan) == (1, 8)


@pytest.mark.parametrize("areas", [["31.99"], ["31.7"], [], "31.71"])
def test_unknown_area_is_refused(tmp_path: Path, areas: list[str]) -> None:
    with pytest.raises(ConfigError, match="area"):
        generate(tmp_path / "x", start=START, end=END, areas=areas)
    assert not (tmp_path / "x").exists()


def test_parquet_matches_csv(tmp_path: Path) -> None:
    csv = read_folder(_gambir(tmp_path / "csv"))
    parquet_dir = _gambir(tmp_path / "pq", fmt="parquet")
    assert sorted(p.suffix for p in parquet_dir.iterdir()) == [".parquet"] * 6  # with checks
    parquet = read_folder(parquet_dir)
    pd.testing.assert_frame_equal(csv.cases, parquet.cases)
    pd.testing.assert_frame_equal(csv.signals, parquet.signals)
    pd.testing.assert_frame_equal(csv.regions, parquet.regions)
    assert validate_folder(parquet_dir).ok


def test_non_empty_output_is_refused_then_replaced_with_force(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="not empty"):
        _gambir(out)
    assert (out / "notes.txt").read_text() == "keep me"
    _gambir(out, force=True)
    assert not (out / "notes.txt").exists()
    assert (out / "cases.csv").is_file()


def test_failure_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fail_on_third(frame: pd.DataFrame, folder: Path, name: str, fmt: str) -> None:
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        frame.to_csv(folder / f"{name}.csv", index=False)

    monkeypatch.setattr("ews.synth.generator.write_frame", fail_on_third)
    with pytest.raises(OSError, match="disk full"):
        _gambir(tmp_path / "data")
    assert list(tmp_path.iterdir()) == []


def test_empty_existing_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    summary = generate(
        tmp_path / "data", start=START, end=START, areas=["31.71.01"], truth_dir=tmp_path / "elsewhere"
    )
    assert summary.truth_dir == tmp_path / "elsewhere"
    assert (tmp_path / "elsewhere" / "truth.json").is_file()
    assert not (tmp_path / "data-truth").exists()


def test_truth_inside_the_data_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="separate"):
        generate(tmp_path / "d", start=START, end=START, areas=["31.71.01"], truth_dir=tmp_path / "d" / "t")
    assert not (tmp_path / "d").exists()


def test_bad_months_and_format_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="before start"):
        generate(tmp_path / "x", start=END, end=START)
    with pytest.raises(ConfigError, match="format"):
        generate(tmp_path / "x", start=START, end=END, fmt="xlsx")  # type: ignore[arg-type]


def test_summary_reports_what_was_written(tmp_path: Path) -> None:
    summary = generate(tmp_path / "d", seed=2, start=START, end=END, areas=["31.71.01"])
    cases = pd.read_csv(tmp_path / "d" / "cases.csv")
    assert summary.cases == len(cases) == sum(summary.cases_per_year.values())
    assert summary.rws == len(pd.read_csv(tmp_path / "d" / "regions.csv"))
    assert sum(summary.channel_shares.values()) == pytest.approx(1.0, abs=1e-3)
