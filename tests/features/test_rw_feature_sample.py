"""Large panels: the sampled feature build keeps exactly the full build's rows it promises."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ews.data.folder import DataFolder
from ews.data.load import read_folder
from ews.features.rw import RowSample, build_rw_feature_sample, build_rw_features


@pytest.fixture(scope="module")
def folder(small_world: Path) -> DataFolder:
    return read_folder(small_world)


@pytest.fixture(scope="module")
def months(folder: DataFolder) -> list[int]:
    return list(range(folder.first_month + 3, folder.first_month + 17))


@pytest.fixture(scope="module")
def full(folder: DataFolder, months: list[int]) -> pd.DataFrame:
    return build_rw_features(folder, months)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), share=st.floats(0.05, 0.9), n_full=st.integers(0, 4))
def test_sampled_rows_equal_the_full_build(
    folder: DataFolder,
    months: list[int],
    full: pd.DataFrame,
    seed: int,
    share: float,
    n_full: int,
) -> None:
    rng = np.random.default_rng(seed)
    sampled = rng.random(len(folder.regions)) < share
    full_months = frozenset(int(m) for m in rng.choice(months, n_full, replace=False))
    sample = RowSample(sampled, full_months)
    part = build_rw_feature_sample(folder, months, sample)
    expected = full[sample.row_mask(months)]
    pd.testing.assert_frame_equal(part, expected, check_exact=True)


def test_full_months_keep_every_rw_and_others_only_the_sample(folder: DataFolder, months: list[int]) -> None:
    sampled = np.arange(len(folder.regions)) % 3 == 0
    sample = RowSample(sampled, frozenset({months[-1]}))
    part = build_rw_feature_sample(folder, months, sample)
    per_month = part.groupby(level="as_of").size()
    assert per_month.loc[months[-1]] == len(folder.regions)
    assert (per_month.drop(index=months[-1]) == sampled.sum()).all()
    codes = set(part.xs(months[0], level="as_of").index)
    assert codes == set(folder.regions["rw_code"].astype(str)[sampled])
