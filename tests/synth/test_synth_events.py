"""Invariants of the drawing steps, for any seed and any hazard."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ews.synth.events import case_events
from ews.synth.params import ReopenParams
from ews.synth.reporting import delay_pmf, month_offset_pmf

END = pd.Timestamp("2025-12-31")


def _cases(days: list[int]) -> pd.DataFrame:
    reported = pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame({"case_id": [f"C{i:03d}" for i in range(len(days))], "reported_at": reported})


@settings(max_examples=25, deadline=None)
@given(
    days=st.lists(st.integers(0, 700), min_size=1, max_size=40),
    hazard=st.floats(0.0, 0.05),
    seed=st.integers(0, 2**32 - 1),
)
def test_events_start_closed_alternate_and_stay_in_range(days: list[int], hazard: float, seed: int) -> None:
    cases = _cases(days)
    events = case_events(cases, np.full(len(cases), hazard), ReopenParams(), END, np.random.default_rng(seed))
    merged = events.merge(cases, on="case_id")
    assert (merged["at"] >= merged["reported_at"]).all()
    assert (merged["at"] <= END).all()
    position = merged.groupby("case_id").cumcount()
    assert (merged["event"] == np.where(position % 2 == 0, "closed", "reopened")).all()
    gaps = merged.groupby("case_id")["at"].diff().dropna()
    assert (gaps > pd.Timedelta(0)).all()
    assert (position < 2 * ReopenParams().max_reopens + 1).all()


def test_no_hazard_means_no_reopening() -> None:
    cases = _cases([0, 10, 20])
    events = case_events(cases, np.zeros(3), ReopenParams(), END, np.random.default_rng(0))
    assert set(events["event"]) == {"closed"}
    assert len(events) == 3


def test_higher_hazard_reopens_more() -> None:
    cases = _cases([0] * 2000)
    rng = np.random.default_rng(1)
    low = case_events(cases, np.full(2000, 0.0005), ReopenParams(), END, rng)
    high = case_events(cases, np.full(2000, 0.005), ReopenParams(), END, rng)
    assert (high["event"] == "reopened").sum() > 3 * (low["event"] == "reopened").sum()


def test_delay_distributions_are_distributions() -> None:
    for pmf in (delay_pmf(), month_offset_pmf()):
        assert (pmf >= 0).all()
        assert pmf.sum() == 1.0 or abs(pmf.sum() - 1.0) < 1e-12
    assert month_offset_pmf()[0] > 0.5  # most reports come in the incident's month
