"""Signals: keys, months, numeric values, duplicates, and chunking invariance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from data_folders import Writer, find, only_issue, valid_frames, write_frames

from ews.data.validate import Issue, ValidationReport, validate_folder


def _signals_broken(write: Writer, row: int, column: str, value: str) -> object:
    frames = valid_frames()
    frames["signals"].loc[row - 1, column] = value
    return validate_folder(write(frames))


def test_malformed_month(write: Writer) -> None:
    issue = only_issue(_signals_broken(write, 5, "month", "2024-13"))
    assert (issue.file, issue.row, issue.column, issue.value) == ("signals.csv", 5, "month", "2024-13")
    assert issue.message == "'2024-13' is not a month YYYY-MM"


def test_rw_code_not_in_regions(write: Writer) -> None:
    issue = only_issue(_signals_broken(write, 7, "rw_code", "31.71.01.1002.009"))
    assert (issue.row, issue.column, issue.value) == (7, "rw_code", "31.71.01.1002.009")
    assert "not an rw_code listed in regions" in issue.message


def test_non_numeric_signal(write: Writer) -> None:
    issue = only_issue(_signals_broken(write, 3, "panggilan_112_kdrt", "tiga"))
    assert (issue.row, issue.column, issue.value) == (3, "panggilan_112_kdrt", "tiga")


def test_not_reported_written_as_na_is_an_error_but_empty_is_fine(write: Writer) -> None:
    report = _signals_broken(write, 3, "panggilan_112_kdrt", "NA")
    assert only_issue(report).value == "NA"


def test_duplicate_rw_month_names_both_rows(write: Writer) -> None:
    frames = valid_frames()
    frames["signals"].loc[4, "month"] = "2024-01"  # row 5 repeats row 4's key
    issue = only_issue(validate_folder(write(frames)))
    assert (issue.row, issue.column) == (5, "rw_code, month")
    assert issue.value == "31.71.01.1001.002, 2024-01"
    assert issue.message.endswith("first appears in row 4")


def test_duplicate_across_chunks(write: Writer) -> None:
    frames = valid_frames()
    extra = frames["signals"].iloc[[0]]
    frames["signals"] = pd.concat([frames["signals"], extra], ignore_index=True)
    report = validate_folder(write(frames), chunk_rows=5)
    issue = only_issue(report)
    assert (issue.row, issue.value) == (13, "31.71.01.1001.001, 2024-01")
    assert "first appears in row 1" in issue.message


def test_no_signal_columns_is_a_warning(write: Writer) -> None:
    frames = valid_frames()
    frames["signals"] = frames["signals"][["rw_code", "month"]]
    report = validate_folder(write(frames))
    assert report.ok and only_issue(report, "warning").file == "signals.csv"


def test_missing_month_column(write: Writer) -> None:
    frames = valid_frames()
    frames["signals"] = frames["signals"].drop(columns=["month"])
    issue = only_issue(validate_folder(write(frames)))
    assert (issue.row, issue.column) == (None, "month")


def _messy_signals() -> pd.DataFrame:
    frames = valid_frames()
    signals = pd.concat([frames["signals"]] * 3, ignore_index=True)  # every key three times
    signals.loc[[2, 9, 20], "month"] = ["2024-00", "24-01", ""]
    signals.loc[[4, 30], "kontak_pos_pengaduan"] = ["x", "inf"]
    signals.loc[[11, 25], "rw_code"] = ["31.71.01.1001.777", "bad"]
    return signals


@pytest.fixture(scope="module", params=["csv", "parquet"])
def messy(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ValidationReport]:
    """A folder whose signals break in many ways, and its report read in one chunk."""
    frames = valid_frames()
    frames["signals"] = _messy_signals()
    folder = write_frames(tmp_path_factory.mktemp("messy") / "data", frames, request.param)
    return folder, validate_folder(folder, chunk_rows=10_000)


def test_whole_read_counts_every_issue(messy: tuple[Path, ValidationReport]) -> None:
    # 7 bad cells; the 36 - 5 rows with a usable key repeat 12 distinct keys.
    assert messy[1].error_count == 7 + (36 - 5) - 12


@pytest.mark.parametrize("chunk_rows", [1, 2, 5, 13])
def test_chunked_reads_give_the_same_issues(messy: tuple[Path, ValidationReport], chunk_rows: int) -> None:
    folder, whole = messy
    chunked = validate_folder(folder, chunk_rows=chunk_rows)
    assert sorted(chunked.issues, key=_place) == sorted(whole.issues, key=_place)


def _place(issue: Issue) -> tuple[int, str, str]:
    return (issue.row or 0, issue.column or "", issue.message)


def test_found_rows_point_at_the_bad_cells(write: Writer) -> None:
    frames = valid_frames()
    frames["signals"] = _messy_signals()
    report = validate_folder(write(frames), chunk_rows=4)
    assert find(report, "signals.csv", 10, "month")[0].value == "24-01"
    assert find(report, "signals.csv", 31, "kontak_pos_pengaduan")[0].value == "inf"
    assert find(report, "signals.csv", 21, "month")[0].message.startswith("value is missing")
