"""Tiers relative to the base rate; the capacity-limited flag list."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ews.exceptions import ModelError
from ews.models.tiers import assign_tiers, flag_count, flag_top, rank_scores, tier_of


def test_tiers_are_multiples_of_the_base_rate() -> None:
    scores = pd.Series([0.01, 0.02, 0.039, 0.04, 0.079, 0.08, 0.5])
    assert list(assign_tiers(scores, 0.02)) == [
        "rendah", "sedang", "sedang", "tinggi", "tinggi", "sangat_tinggi", "sangat_tinggi",
    ]  # fmt: skip


def test_a_base_rate_outside_zero_one_is_refused() -> None:
    with pytest.raises(ModelError, match=r"base rate 0\.0"):
        assign_tiers(pd.Series([0.1]), 0.0)
    with pytest.raises(ModelError, match=r"base rate 1\.0"):
        tier_of(0.1, 1.0)


def test_one_score_gets_the_tier_of_the_batch_table() -> None:
    """The live scorer's tier (``tier_of``) cuts where ``assign_tiers`` does, bounds included."""
    scores = pd.Series([0.0, 0.01, 0.02, 0.039, 0.04, 0.079, 0.08, 0.5, 1.0])
    assert [tier_of(s, 0.02) for s in scores] == list(assign_tiers(scores, 0.02))


def test_ranks_are_unique_and_ties_follow_the_key() -> None:
    scores = pd.Series([0.2, 0.5, 0.2], index=["c", "a", "b"])
    assert rank_scores(scores).to_dict() == {"a": 1, "b": 2, "c": 3}


def test_capacity_skips_a_full_kelurahan() -> None:
    scores = pd.Series([0.9, 0.8, 0.7, 0.6, 0.1], index=list("abcde"))
    groups = pd.Series(["k1", "k1", "k1", "k2", "k2"], index=list("abcde"))
    flags = flag_top(scores, 0.6, groups, capacity=2)
    assert flags[flags].index.tolist() == ["a", "b", "d"]


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.floats(0, 1), min_size=1, max_size=60),
    share=st.floats(0.01, 1.0),
    capacity=st.integers(1, 4),
    n_groups=st.integers(1, 6),
)
def test_flags_respect_share_and_capacity_and_take_the_best_allowed(
    scores: list[float], share: float, capacity: int, n_groups: int
) -> None:
    index = [f"r{i:02d}" for i in range(len(scores))]
    series = pd.Series(scores, index=index)
    groups = pd.Series([f"k{i % n_groups}" for i in range(len(scores))], index=index)
    flags = flag_top(series, share, groups, capacity)
    assert flags.sum() <= flag_count(len(scores), share)
    assert groups[flags].value_counts().max() <= capacity
    # Every unflagged RW ranked above the last flag was skipped because its kelurahan was full.
    ranks = rank_scores(series)
    last = ranks[flags].max()
    for key in series.index[(~flags) & (ranks < last)]:
        assert (groups[flags] == groups[key]).sum() == capacity
