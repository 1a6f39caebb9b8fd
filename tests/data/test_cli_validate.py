"""``ews validate DIR``: one line per issue, a summary, exit codes, no traceback."""

from __future__ import annotations

import typer
from data_folders import Writer, valid_frames
from typer.testing import CliRunner

from ews.cli.data import report_lines
from ews.data.validate import validate_folder


def test_valid_folder_exits_zero(app: typer.Typer, write: Writer) -> None:
    folder = write()
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0
    # The hand-built folder holds three months: the profile's one warning (see test_profile.py).
    lines = result.stdout.strip().splitlines()
    assert lines[-2].startswith("warning profile: the folder holds 3 months of history (2024-01 to 2024-03)")
    assert lines[-1] == f"0 errors, 1 warning in {folder}"


def test_errors_are_listed_one_line_each_and_exit_one(app: typer.Typer, write: Writer) -> None:
    frames = valid_frames()
    frames["cases"].loc[16 - 1 if len(frames["cases"]) > 16 else 1, "incident_date"] = "2024-02-30"
    frames["signals"].loc[4, "month"] = "2024-13"
    result = CliRunner().invoke(app, ["validate", str(write(frames))])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert "error  cases.csv row 2 column incident_date: '2024-02-30' is not a date YYYY-MM-DD" in lines
    assert "error  signals.csv row 5 column month: '2024-13' is not a month YYYY-MM" in lines
    assert lines[-1].startswith("2 errors, 0 warnings in ")
    assert "Traceback" not in result.output


def test_warnings_alone_exit_zero(app: typer.Typer, write: Writer) -> None:
    frames = valid_frames()
    frames["cases"].loc[0, "place"] = "jalan"
    result = CliRunner().invoke(app, ["validate", str(write(frames))])
    assert result.exit_code == 0
    assert "warning cases.csv row 1 column place: 'jalan' is not one of" in result.stdout


def test_missing_folder_is_one_sentence_not_a_traceback(app: typer.Typer, tmp_path: object) -> None:
    result = CliRunner().invoke(app, ["validate", f"{tmp_path}/nope"])
    assert result.exit_code == 1
    assert "is not a folder" in result.stdout and "Traceback" not in result.output


def test_printing_is_capped_but_everything_is_counted(write: Writer) -> None:
    frames = valid_frames()
    frames["signals"]["kontak_pos_pengaduan"] = "x"
    report = validate_folder(write(frames))
    lines = report_lines(report, max_lines=5)
    assert len([line for line in lines if line.startswith("error  signals.csv row")]) == 5
    assert "  error  signals.csv column kontak_pos_pengaduan: 7 more (number)" in lines
    assert lines[-1].startswith("12 errors, 0 warnings")
