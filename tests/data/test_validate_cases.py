"""Cases and case_events: ids, dates, categories, ages, event order."""

from __future__ import annotations

import pandas as pd
import pytest
from data_folders import Frames, Writer, find, only_issue, valid_frames

from ews.data.validate import validate_folder


def _cases(row: int, column: str, value: str) -> Frames:
    frames = valid_frames()
    frames["cases"].loc[row - 1, column] = value
    return frames


def test_bad_incident_date(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_cases(2, "incident_date", "2024-02-30"))))
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "cases.csv",
        2,
        "incident_date",
        "2024-02-30",
    )
    assert issue.message == "'2024-02-30' is not a date YYYY-MM-DD"


def test_incident_after_report(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_cases(3, "incident_date", "2024-02-12"))))
    assert (issue.row, issue.column, issue.value) == (3, "incident_date", "2024-02-12")
    assert "after reported_at '2024-02-11'" in issue.message


def test_duplicate_case_id(write: Writer) -> None:
    frames = _cases(4, "case_id", "K-0002")
    [issue] = find(validate_folder(write(frames)), "cases.csv", 4, "case_id")
    assert issue.value == "K-0002" and "first appears in row 2" in issue.message


def test_case_rw_not_in_regions(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_cases(1, "rw_code", "31.71.01.1001.050"))))
    assert (issue.row, issue.column, issue.value) == (1, "rw_code", "31.71.01.1001.050")


@pytest.mark.parametrize(
    ("value", "words"), [("12.5", "whole number"), ("dua", "whole number"), ("-3", "age")]
)
def test_bad_victim_age(write: Writer, value: str, words: str) -> None:
    issue = only_issue(validate_folder(write(_cases(1, "victim_age", value))))
    assert (issue.row, issue.column, issue.value) == (1, "victim_age", value) and words in issue.message


def test_new_category_is_a_warning_and_kept(write: Writer) -> None:
    from ews.data.load import load_folder

    folder = write(_cases(2, "violence_type", "daring"))
    report = validate_folder(folder)
    warning = only_issue(report, "warning")
    assert report.ok and (warning.row, warning.column, warning.value) == (2, "violence_type", "daring")
    assert load_folder(folder).cases["violence_type"].iloc[1] == "daring"


def test_malformed_category_is_an_error(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_cases(2, "channel", "Hot Line"))))
    assert (issue.row, issue.column, issue.value) == (2, "channel", "Hot Line")


def test_missing_reported_at(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_cases(4, "reported_at", ""))))
    assert (issue.row, issue.column) == (4, "reported_at") and "missing" in issue.message


def _events(rows: list[tuple[str, str, str]]) -> Frames:
    frames = valid_frames()
    frames["case_events"] = pd.DataFrame(rows, columns=["case_id", "event", "at"])
    return frames


def test_event_for_unknown_case(write: Writer) -> None:
    issue = only_issue(
        validate_folder(write(_events([("K-0001", "closed", "2024-02-01"), ("K-9", "closed", "2024-02-01")])))
    )
    assert (issue.file, issue.row, issue.column, issue.value) == ("case_events.csv", 2, "case_id", "K-9")


def test_unknown_event(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_events([("K-0001", "ditutup", "2024-02-01")]))))
    assert (issue.row, issue.column, issue.value) == (1, "event", "ditutup")


def test_event_before_report(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_events([("K-0002", "closed", "2024-01-19")]))))
    assert (issue.row, issue.column, issue.value) == (1, "at", "2024-01-19")
    assert "before the case was reported on '2024-01-20'" in issue.message


def test_event_with_bad_date(write: Writer) -> None:
    issue = only_issue(validate_folder(write(_events([("K-0002", "closed", "2024/02/01")]))))
    assert (issue.row, issue.column, issue.value) == (1, "at", "2024/02/01")


def test_reopened_before_closed(write: Writer) -> None:
    rows = [("K-0001", "closed", "2024-03-01"), ("K-0001", "reopened", "2024-02-01")]
    issue = only_issue(validate_folder(write(_events(rows))))
    assert (issue.row, issue.column, issue.value) == (2, "event", "reopened")
    assert "not closed then" in issue.message


def test_closed_twice_reports_only_the_first_break(write: Writer) -> None:
    rows = [
        ("K-0001", "closed", "2024-01-20"),
        ("K-0001", "closed", "2024-02-01"),
        ("K-0001", "reopened", "2024-02-05"),
        ("K-0002", "closed", "2024-02-01"),
        ("K-0002", "reopened", "2024-02-03"),
        ("K-0002", "reopened", "2024-02-04"),
    ]
    report = validate_folder(write(_events(rows)))
    assert [(i.row, i.value) for i in report.errors] == [(2, "closed"), (6, "reopened")]


def test_reopened_more_than_once_is_valid(write: Writer) -> None:
    rows = [
        ("K-0003", e, d)
        for e, d in [
            ("closed", "2024-02-20"),
            ("reopened", "2024-03-01"),
            ("closed", "2024-03-05"),
            ("reopened", "2024-03-05"),
        ]
    ]
    assert validate_folder(write(_events(rows))).issues == []
