"""Regions and neighbors: codes, nesting, counts, static columns, adjacency."""

from __future__ import annotations

import pytest
from data_folders import Writer, find, only_issue, valid_frames

from ews.data.load import load_folder
from ews.data.validate import validate_folder


def _break(column: str, row: int, value: str, write: Writer, file: str = "regions") -> object:
    frames = valid_frames()
    frames[file].loc[row - 1, column] = value
    return validate_folder(write(frames))


def test_missing_required_column(write: Writer) -> None:
    frames = valid_frames()
    frames["regions"] = frames["regions"].drop(columns=["area_km2"])
    issue = only_issue(validate_folder(write(frames)))
    assert (issue.file, issue.row, issue.column) == ("regions.csv", None, "area_km2")
    assert "missing" in issue.message


def test_duplicate_rw_code_names_the_first_row(write: Writer) -> None:
    frames = valid_frames()
    frames["regions"].loc[1, ["rw_code", "kelurahan_code"]] = ["31.71.01.1001.001", "31.71.01.1001"]
    [issue] = find(validate_folder(write(frames)), "regions.csv", 2, "rw_code")
    assert issue.value == "31.71.01.1001.001"
    assert "first appears in row 1" in issue.message


@pytest.mark.parametrize(
    ("column", "value"),
    [("rw_code", "31.71.01.1001.5"), ("kelurahan_code", "31.71.01.101"), ("kota_code", "3171")],
)
def test_malformed_code(write: Writer, column: str, value: str) -> None:
    report = _break(column, 3, value, write)
    found = find(report, "regions.csv", 3, column)
    assert [i.value for i in found if i.check == "pattern"] == [value]
    assert not report.ok


def test_rw_not_under_its_kelurahan(write: Writer) -> None:
    report = _break("rw_code", 3, "31.71.01.1009.001", write)
    [issue] = find(report, "regions.csv", 3, "rw_code")
    assert issue.value == "31.71.01.1009.001"
    assert "not under its kelurahan_code '31.71.01.1002'" in issue.message


def test_kelurahan_not_under_its_kecamatan(write: Writer) -> None:
    frames = valid_frames()
    frames["regions"].loc[3, "kecamatan_code"] = "31.72.05"
    issue = only_issue(validate_folder(write(frames)))
    assert (issue.row, issue.column, issue.value) == (4, "kelurahan_code", "31.72.01.1001")
    assert "kecamatan_code '31.72.05'" in issue.message


def test_kecamatan_not_under_its_kota(write: Writer) -> None:
    issue = only_issue(_break("kota_code", 4, "31.75", write))
    assert (issue.row, issue.column, issue.value) == (4, "kecamatan_code", "31.72.01")


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("population", "-5", "negative"),
        ("households", "-1", "negative"),
        ("population", "12.5", "whole number"),
        ("population", "banyak", "whole number"),
        ("area_km2", "0", "positive"),
        ("area_km2", "-0.3", "positive"),
        ("area_km2", "", "missing"),
        ("lat", "-96.1", "outside"),
    ],
)
def test_bad_counts_and_areas(write: Writer, column: str, value: str, words: str) -> None:
    issue = only_issue(_break(column, 2, value, write))
    assert (issue.file, issue.row, issue.column) == ("regions.csv", 2, column)
    assert issue.value == value and words in issue.message


def test_empty_name_is_only_a_warning(write: Writer) -> None:
    report = _break("kelurahan_name", 1, "", write)
    assert report.ok
    assert only_issue(report, "warning").column == "kelurahan_name"


def test_mostly_numeric_static_column_with_text_is_an_error(write: Writer) -> None:
    issue = only_issue(_break("jarak_pos_km", 4, "jauh", write))
    assert (issue.row, issue.column, issue.value) == (4, "jarak_pos_km", "jauh")
    assert "not a number" in issue.message


def test_text_column_outside_contract_is_ignored_with_a_warning(write: Writer) -> None:
    frames = valid_frames()
    frames["regions"]["catatan"] = ["dekat pasar", "", "banjir 2020", "-"]
    folder = write(frames)
    report = validate_folder(folder)
    assert report.ok
    warning = only_issue(report, "warning")
    assert (warning.row, warning.column) == (None, "catatan") and "ignored" in warning.message
    assert "catatan" not in load_folder(folder).regions.columns


def test_all_numeric_extra_column_becomes_static(write: Writer) -> None:
    frames = valid_frames()
    frames["regions"]["kepadatan_per_ha"] = ["120", "98.5", "", "210"]
    folder = write(frames)
    assert validate_folder(folder).issues == []
    assert "kepadatan_per_ha" in load_folder(folder).static_columns


def test_neighbor_not_in_regions(write: Writer) -> None:
    report = _break("neighbor_code", 2, "31.71.01.1001.099", write, file="neighbors")
    issue = only_issue(report)
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "neighbors.csv",
        2,
        "neighbor_code",
        "31.71.01.1001.099",
    )


def test_self_neighbor_is_a_warning_and_dropped_on_load(write: Writer) -> None:
    folder = write()
    frames = valid_frames()
    frames["neighbors"].loc[1, "neighbor_code"] = "31.71.01.1001.002"
    folder = write(frames, name="self")
    report = validate_folder(folder)
    assert report.ok and only_issue(report, "warning").row == 2
    neighbors = load_folder(folder).neighbors
    assert neighbors is not None and len(neighbors) == 1
