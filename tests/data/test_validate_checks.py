"""The optional checks file: known RWs, dates, outcomes and roles; loaded and cut by known_as_of."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from data_folders import Writer, find, only_issue, valid_frames
from typer.testing import CliRunner

from ews.data.folder import known_as_of
from ews.data.load import load_folder
from ews.data.validate import validate_folder
from ews.months import parse_month


def _break(column: str, row: int, value: str, write: Writer) -> object:
    frames = valid_frames(checks=True)
    frames["checks"].loc[row - 1, column] = value
    return validate_folder(write(frames))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_folder_with_checks_is_valid_and_loads(write: Writer, fmt: str) -> None:
    folder = write(valid_frames(checks=True), fmt)
    assert validate_folder(folder).issues == []
    checks = load_folder(folder).checks
    assert checks is not None and list(checks.columns) == ["rw_code", "visit_date", "outcome", "role"]
    assert checks["visit_date"].dtype == "datetime64[ns]"
    assert list(checks["visit_date"].dt.strftime("%Y-%m-%d")) == ["2024-01-15", "2024-02-06", "2024-03-04"]


def test_folder_without_checks_loads_none(write: Writer) -> None:
    folder = write()
    assert validate_folder(folder).issues == []
    assert load_folder(folder).checks is None


def test_checks_with_no_rows_is_valid_and_an_empty_frame(write: Writer) -> None:
    frames = valid_frames(checks=True)
    frames["checks"] = frames["checks"].iloc[:0]
    folder = write(frames)
    assert validate_folder(folder).issues == []
    checks = load_folder(folder).checks
    assert checks is not None and checks.empty


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("rw_code", "31.71.01.1001.099", "not an rw_code listed in regions"),
        ("visit_date", "2024-02-30", "not a date YYYY-MM-DD"),
        ("visit_date", "06/02/2024", "not a date YYYY-MM-DD"),
        ("outcome", "aman", "not one of sudah_dicek_aman, ada_indikasi"),
        ("role", "rt", "not one of lurah, camat, analyst"),
    ],
)
def test_bad_cell_is_one_issue_naming_file_row_column_and_value(
    write: Writer, column: str, value: str, words: str
) -> None:
    issue = only_issue(_break(column, 2, value, write))
    assert (issue.file, issue.row, issue.column, issue.value) == ("checks.csv", 2, column, value)  # type: ignore[attr-defined]
    assert words in issue.message and repr(value) in issue.message  # type: ignore[attr-defined]


def test_empty_cell_and_missing_column(write: Writer) -> None:
    report = _break("role", 3, "", write)
    [issue] = find(report, "checks.csv", 3, "role")
    assert "missing" in issue.message  # type: ignore[attr-defined]
    frames = valid_frames(checks=True)
    frames["checks"] = frames["checks"].drop(columns=["outcome"])
    issue = only_issue(validate_folder(write(frames, name="no_outcome")))
    assert (issue.file, issue.row, issue.column) == ("checks.csv", None, "outcome")  # type: ignore[attr-defined]


def test_notes_and_authors_are_ignored_with_a_warning(write: Writer) -> None:
    frames = valid_frames(checks=True)
    frames["checks"]["note"] = "rahasia"
    report = validate_folder(write(frames))
    assert report.ok and only_issue(report, "warning").column == "note"  # type: ignore[attr-defined]
    assert "note" not in load_folder(write(frames, name="again")).checks.columns  # type: ignore[union-attr]


def test_both_csv_and_parquet_is_an_error(write: Writer, tmp_path: Path) -> None:
    folder = write(valid_frames(checks=True))
    pd.read_csv(folder / "checks.csv", dtype=str).to_parquet(folder / "checks.parquet", index=False)
    issue = only_issue(validate_folder(folder))
    assert issue.file == "checks.csv" and "keep only one" in issue.message  # type: ignore[attr-defined]


def test_known_as_of_keeps_checks_before_the_month(write: Writer) -> None:
    folder = load_folder(write(valid_frames(checks=True)))
    cut = known_as_of(folder, parse_month("2024-03"))
    assert cut.checks is not None
    assert list(cut.checks["visit_date"].dt.strftime("%Y-%m-%d")) == ["2024-01-15", "2024-02-06"]
    assert known_as_of(load_folder(write(name="plain")), parse_month("2024-03")).checks is None


def test_cli_prints_one_line_per_bad_check(app: typer.Typer, write: Writer) -> None:
    frames = valid_frames(checks=True)
    frames["checks"].loc[1, "outcome"] = "aman"
    frames["checks"].loc[2, "rw_code"] = "31.71.01.1001.099"
    result = CliRunner().invoke(app, ["validate", str(write(frames))])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert (
        "error  checks.csv row 2 column outcome: 'aman' is not one of "
        "sudah_dicek_aman, ada_indikasi, dirujuk_uptd_ppa, tidak_dapat_dicek" in lines
    )
    assert (
        "error  checks.csv row 3 column rw_code: '31.71.01.1001.099' is not an rw_code listed in regions"
        in lines
    )
    assert lines[-1].startswith("2 errors, ")
