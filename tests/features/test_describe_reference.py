"""The kelurahan reference point: the mean over the *other* RWs of the kelurahan, and how reasons get it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ews.features.describe_reference import kelurahan_reference, others_mean
from ews.models.explain import top_factors

SIGNAL = "signal__kontak_pos_pengaduan__mean3"


def _frame(values: list[float], **extra: list[float]) -> pd.DataFrame:
    index = pd.Index([f"rw{i}" for i in range(len(values))], name="rw_code")
    return pd.DataFrame({SIGNAL: values, **extra}, index=index)


def test_the_mean_leaves_the_rw_itself_out() -> None:
    frame = _frame([1.0, 2.0, 6.0, 4.0])
    reference = kelurahan_reference(frame, ["A", "A", "A", "B"])
    # rw0 sees (2 + 6) / 2, rw1 (1 + 6) / 2, rw2 (1 + 2) / 2; rw3 is alone in B: no reference.
    assert reference[SIGNAL].tolist()[:3] == [4.0, 3.5, 1.5]
    assert math.isnan(reference[SIGNAL].iloc[3])
    assert list(reference.index) == list(frame.index)


def test_missing_values_are_left_out_and_an_unknown_kelurahan_has_none() -> None:
    frame = _frame([math.nan, 2.0, 4.0, math.nan, 5.0])
    reference = kelurahan_reference(frame, ["A", "A", "A", "B", None])
    assert reference[SIGNAL].tolist()[:3] == [3.0, 4.0, 2.0]
    assert math.isnan(reference[SIGNAL].iloc[3])  # B has no other RW
    assert math.isnan(reference[SIGNAL].iloc[4])  # no kelurahan code
    only_gaps = kelurahan_reference(_frame([1.0, math.nan]), ["A", "A"])
    assert math.isnan(only_gaps[SIGNAL].iloc[0]) and only_gaps[SIGNAL].iloc[1] == 1.0


def test_only_signal_and_area_columns_get_a_reference_and_population_averages_people() -> None:
    population = [math.log1p(1000.0), math.log1p(3000.0), math.log1p(5000.0)]
    frame = _frame([1.0, 2.0, 3.0], cases_3m=[1.0, 0.0, 0.0], log_population=population)
    frame["region__kumuh"] = [1.0, 0.0, 1.0]
    reference = kelurahan_reference(frame, ["A", "A", "A"])
    assert list(reference.columns) == [SIGNAL, "log_population", "region__kumuh"]
    assert np.expm1(reference["log_population"].iloc[0]) == pytest.approx(4000.0)
    assert reference["region__kumuh"].tolist() == [0.5, 1.0, 0.5]


@settings(max_examples=50, deadline=None)
@given(
    values=arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)),
                  elements=st.one_of(st.floats(-1e6, 1e6), st.just(math.nan))),
    seed=st.integers(0, 10_000),
)  # fmt: skip
def test_the_vectorised_mean_matches_a_plain_loop(values: np.ndarray, seed: int) -> None:
    groups = np.random.default_rng(seed).integers(-1, 4, size=len(values))
    fast = others_mean(values, groups)
    for i, group in enumerate(groups):
        for j in range(values.shape[1]):
            others = [values[k, j] for k in range(len(values)) if k != i and groups[k] == group >= 0]
            others = [v for v in others if not math.isnan(v)]
            expected = sum(others) / len(others) if others else math.nan
            assert fast[i, j] == pytest.approx(expected, rel=1e-9, abs=1e-6, nan_ok=True)


def test_top_factors_pass_the_reference_to_the_describer() -> None:
    frame = _frame([6.0, 2.0], cases_3m=[4.0, 0.0])
    contrib = pd.DataFrame({SIGNAL: [0.5, 0.1], "cases_3m": [0.2, 0.0]}, index=frame.index)
    reference = kelurahan_reference(frame, ["A", "A"])
    first, second = top_factors(frame, contrib, 2, reference=reference)
    assert first[0]["text"] == (
        "Kontak ke pos pengaduan 3 bulan terakhir: 3 kali rata-rata RW lain di kelurahan ini "
        "(6 berbanding 2 sebulan)"
    )
    assert first[1]["text"] == "Kasus yang dilaporkan dari RW ini dalam 3 bulan terakhir: 4"
    assert "sekitar sepertiga rata-rata RW lain" in second[0]["text"]
    without = top_factors(frame, contrib, 1)
    assert without[0][0]["text"] == "Kontak ke pos pengaduan 3 bulan terakhir: 6 sebulan"


def test_a_describer_without_a_reference_parameter_still_works() -> None:
    frame = _frame([6.0, 2.0])
    contrib = pd.DataFrame({SIGNAL: [0.5, 0.1]}, index=frame.index)
    reference = kelurahan_reference(frame, ["A", "A"])
    factors = top_factors(frame, contrib, 1, lambda name, value: (f"id {value}", "en"), reference)
    assert [row[0]["text"] for row in factors] == ["id 6.0", "id 2.0"]
    with pytest.raises(ValueError, match="rows"):
        top_factors(frame, contrib, 1, reference=reference.iloc[:1])
