"""``ews synth``: writes the folder, prints a summary, and fails with one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import exit_code

_run = exit_code


def test_synth_writes_folder_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    argv = ["synth", str(out), "--seed", "3", "--start", "2024-01", "--end", "2024-06", "--area", "31.71.01"]
    assert _run(argv) == 0
    printed = capsys.readouterr().out
    assert "RWs" in printed and "1 kecamatan" in printed
    assert "pos_pengaduan" in printed and "household share" in printed
    assert {p.name for p in out.iterdir()} == {
        f"{n}.csv" for n in ("regions", "neighbors", "signals", "cases", "case_events", "checks")
    }
    assert (tmp_path / "data-truth" / "truth.json").is_file()


def test_repeatable_area_format_and_truth_dir(tmp_path: Path) -> None:
    out = tmp_path / "data"
    argv = [
        "synth",
        str(out),
        "--start",
        "2024-01",
        "--end",
        "2024-02",
        "--area",
        "31.71.01",
        "--area",
        "31.71.02",
    ]
    argv += ["--format", "parquet", "--truth-dir", str(tmp_path / "t")]
    assert _run(argv) == 0
    assert (out / "regions.parquet").is_file()
    assert (tmp_path / "t" / "truth.json").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--area", "31.99"], "area '31.99'"),
        (["--start", "2024-13"], "2024-13"),
        (["--start", "2025-01", "--end", "2024-01"], "before start"),
    ],
)
def test_errors_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert _run(["synth", str(tmp_path / "data"), *extra]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "data").exists()


def test_non_empty_output_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "x.txt").write_text("x")
    base = ["synth", str(out), "--start", "2024-01", "--end", "2024-01", "--area", "31.71.01.1001"]
    assert _run(base) == 1
    assert "--force" in capsys.readouterr().err
    assert _run([*base, "--force"]) == 0
    assert not (out / "x.txt").exists()
