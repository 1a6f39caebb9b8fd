"""Reopen population and label rules (contract section 2) on hand-built events."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ews.data.folder import DataFolder, known_as_of
from ews.exceptions import TimeRuleError
from ews.features.cases import reopen_labels, reopen_population
from ews.months import parse_month as pm

RW = "31.71.01.1001.001"


def _events(case_id: str, *pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"case_id": case_id, "event": event, "at": at} for event, at in pairs]


@pytest.fixture
def folder(folder_factory: Any, rows: Any) -> DataFolder:
    cases = [
        rows.case("edge180", RW, "2023-12-01"),
        rows.case("edge181", RW, "2023-12-01"),
        rows.case("flip", RW, "2024-01-02"),
        rows.case("open", RW, "2024-03-01"),
        rows.case("late", RW, "2024-05-01"),
    ]
    events = [
        # 2024-06-01 is 180 days after 2023-12-04 and 181 days after 2023-12-03.
        *_events("edge180", ("closed", "2023-12-04")),
        *_events("edge181", ("closed", "2023-12-03")),
        # Closed, reopened 2024-03-10 (within 90 days of 2024-03-01 and 2024-02-01, not of 2024-04-01),
        # closed again 2024-04-15, reopened exactly 90 days after 2024-05-01 (outside that window).
        *_events(
            "flip",
            ("closed", "2024-01-20"),
            ("reopened", "2024-03-10"),
            ("closed", "2024-04-15"),
            ("reopened", "2024-07-30"),
        ),
        # Reopened before the as-of day and never closed again: open, not in the population.
        *_events("open", ("closed", "2024-03-05"), ("reopened", "2024-04-20")),
        # Closed on the as-of day itself: not yet known as closed.
        *_events("late", ("closed", "2024-06-01")),
    ]
    return folder_factory([rows.region(RW)], cases=cases, events=events)


def test_180_day_edge_is_inside_and_181_outside(folder: DataFolder) -> None:
    population = reopen_population(folder, pm("2024-06"))
    assert "edge180" in set(population["case_id"])
    assert "edge181" not in set(population["case_id"])


def test_reopened_case_leaves_until_closed_again(folder: DataFolder) -> None:
    members = {m: set(reopen_population(folder, pm(m))["case_id"]) for m in ("2024-02", "2024-04", "2024-05")}
    assert "flip" in members["2024-02"]
    assert "flip" not in members["2024-04"]  # reopened on 2024-03-10, still open on 2024-04-01
    assert "flip" in members["2024-05"]  # closed again on 2024-04-15
    assert "open" not in members["2024-05"]


def test_event_on_the_as_of_day_is_not_known(folder: DataFolder) -> None:
    assert "late" not in set(reopen_population(folder, pm("2024-06"))["case_id"])
    assert "late" in set(reopen_population(folder, pm("2024-07"))["case_id"])


def test_population_reports_the_latest_closing_and_reopen_count(folder: DataFolder) -> None:
    population = reopen_population(folder, pm("2024-05")).set_index("case_id")
    assert population.loc["flip", "closed_at"] == pd.Timestamp("2024-04-15")
    assert population.loc["flip", "times_reopened"] == 1
    assert population.loc["flip", "rw_code"] == RW


def test_label_counts_reopenings_within_90_days_only(folder: DataFolder) -> None:
    labels = reopen_labels(folder, [pm("2024-02"), pm("2024-05")])
    assert labels.loc[(pm("2024-02"), "flip")] == 1
    # 2024-07-30 is day 90 after 2024-05-01: the window [M, M + 90 days) excludes it.
    assert labels.loc[(pm("2024-05"), "flip")] == 0
    assert labels.loc[(pm("2024-05"), "edge180")] == 0


def test_labels_share_the_population_index(folder: DataFolder) -> None:
    labels = reopen_labels(folder, [pm("2024-05")])
    population = reopen_population(folder, pm("2024-05"))
    assert list(labels.index.get_level_values("case_id")) == list(population["case_id"])
    assert labels.dtype == "int8"


def test_known_at_keeps_only_matured_windows(folder: DataFolder) -> None:
    months = [pm("2024-02"), pm("2024-03"), pm("2024-04")]
    labels = reopen_labels(folder, months, known_at=pm("2024-06"))
    # 2024-02-01 + 90 days = 2024-05-01 and 2024-03-01 + 90 = 2024-05-30: matured by 2024-06-01;
    # 2024-04-01 + 90 = 2024-06-30 is not.
    assert sorted(set(labels.index.get_level_values("as_of"))) == [pm("2024-02"), pm("2024-03")]


def test_known_at_labels_equal_labels_from_the_cut_folder(folder: DataFolder) -> None:
    months = [pm("2024-01"), pm("2024-02"), pm("2024-03"), pm("2024-04")]
    full = reopen_labels(folder, months, known_at=pm("2024-07"))
    cut = reopen_labels(known_as_of(folder, pm("2024-07")), months, known_at=pm("2024-07"))
    pd.testing.assert_series_equal(full, cut)


def test_population_is_the_same_from_a_cut_folder(folder: DataFolder) -> None:
    for month in ("2024-02", "2024-04", "2024-06"):
        full = reopen_population(folder, pm(month))
        cut = reopen_population(known_as_of(folder, pm(month)), pm(month))
        pd.testing.assert_frame_equal(full, cut)


def test_as_of_must_be_a_month_index(folder: DataFolder) -> None:
    with pytest.raises(TimeRuleError, match="not a month index"):
        reopen_labels(folder, ["2024-05"])  # type: ignore[list-item]
