"""The generating truth: probabilities are probabilities and agree with what the world realised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ews.data.folder import DataFolder
from ews.data.load import read_folder
from ews.exceptions import DataError, TimeRuleError
from ews.months import month_start, parse_month
from ews.synth.truth import Truth, load_truth, reopen_probability, rw_probability


@pytest.fixture(scope="module")
def pusat(small_world: Path) -> tuple[DataFolder, Truth]:
    return read_folder(small_world), load_truth(small_world.with_name("data-truth"))


def _label_months(cases: pd.DataFrame) -> pd.Series:
    label = cases["incident_date"].fillna(cases["reported_at"])
    months: pd.Series = label.dt.year * 12 + label.dt.month - 1
    return months


def test_rw_probability_covers_every_rw_with_a_probability(pusat: tuple[DataFolder, Truth]) -> None:
    folder, truth = pusat
    p = rw_probability(truth, parse_month("2023-05"))
    assert list(p.index) == sorted(folder.regions["rw_code"])
    assert p.between(0, 1).all()
    assert p.std() > 0


def test_longer_horizon_is_at_least_as_likely(pusat: tuple[DataFolder, Truth]) -> None:
    _, truth = pusat
    one = rw_probability(truth, parse_month("2023-05"), horizon=1)
    three = rw_probability(truth, parse_month("2023-05"), horizon=3)
    assert (three >= one).all()
    assert three.sum() > one.sum()


def test_expected_rw_months_with_a_case_match_the_realised(pusat: tuple[DataFolder, Truth]) -> None:
    """Summed over 3 years, the truth's expectation is within ~3 standard deviations of the count."""
    folder, truth = pusat
    months = _label_months(folder.cases)
    expected = realised = variance = 0.0
    for month in range(parse_month("2021-01"), parse_month("2023-12") + 1):
        p = rw_probability(truth, month)
        expected += p.sum()
        variance += (p * (1 - p)).sum()
        realised += folder.cases.loc[months == month, "rw_code"].nunique()
    assert abs(realised - expected) < 3.5 * np.sqrt(variance) + 0.02 * expected


def test_truth_ranks_better_than_population(pusat: tuple[DataFolder, Truth]) -> None:
    """The truth is the best possible score: RWs it ranks top get more cases than the most populous."""
    folder, truth = pusat
    months = _label_months(folder.cases)
    population = folder.regions.set_index("rw_code")["population"]
    top_truth = top_population = 0
    for month in range(parse_month("2021-01"), parse_month("2024-12") + 1):
        hit = set(folder.cases.loc[months == month, "rw_code"])
        p = rw_probability(truth, month)
        top_truth += len(hit & set(p.nlargest(30).index))
        top_population += len(hit & set(population.nlargest(30).index))
    assert top_truth > 1.2 * top_population


def _recently_closed(folder: DataFolder, as_of: int) -> pd.Series:
    cutoff = month_start(as_of)
    events = folder.case_events[folder.case_events["at"] < cutoff]
    last = events.groupby("case_id").tail(1)
    recent = last[(last["event"] == "closed") & (last["at"] >= cutoff - pd.Timedelta(days=180))]
    return recent["case_id"]


def test_reopen_probability_matches_realised_reopens(pusat: tuple[DataFolder, Truth]) -> None:
    folder, truth = pusat
    events = folder.case_events
    expected = realised = 0.0
    for as_of in range(parse_month("2020-07"), parse_month("2025-07"), 3):
        ids = _recently_closed(folder, as_of)
        p = reopen_probability(truth, ids, as_of)
        assert p.between(0, 1).all()
        cutoff = month_start(as_of)
        window = events[(events["at"] >= cutoff) & (events["at"] < cutoff + pd.Timedelta(days=90))]
        realised += ids.isin(window.loc[window["event"] == "reopened", "case_id"]).sum()
        expected += p.sum()
    assert expected > 20
    assert abs(realised - expected) < 3.5 * np.sqrt(expected)


def test_reopen_probability_is_nan_for_cases_not_closed(pusat: tuple[DataFolder, Truth]) -> None:
    folder, truth = pusat
    as_of = parse_month("2024-01")
    reported = folder.cases[folder.cases["reported_at"] >= month_start(as_of) - pd.Timedelta(days=3)]
    fresh = reported[reported["reported_at"] < month_start(as_of)]["case_id"]
    assert len(fresh) > 0
    assert reopen_probability(truth, fresh, as_of).isna().all()


def test_unknown_case_and_months_outside_the_world_are_refused(pusat: tuple[DataFolder, Truth]) -> None:
    _, truth = pusat
    with pytest.raises(DataError, match="PPA-1999"):
        reopen_probability(truth, ["PPA-1999-00001"], parse_month("2024-01"))
    with pytest.raises(TimeRuleError, match="outside"):
        rw_probability(truth, parse_month("2025-12"), horizon=2)
    with pytest.raises(TimeRuleError, match="horizon"):
        rw_probability(truth, parse_month("2024-01"), horizon=0)


def test_load_truth_refuses_a_data_folder(small_world: Path) -> None:
    with pytest.raises(DataError, match="truth"):
        load_truth(small_world)
