"""Risk tiers and the flag list (see docs/model.md for what each tier means).

Tiers are relative to the base rate (the training label rate), so a tier
reads "how many times the usual risk" and keeps its meaning from month to
month, unlike score quantiles, which would put a quarter of RWs in the top
tier even in a calm month. The flag list is the top ``share`` of units by
score, at most ``capacity`` per group (a lurah can check only so many RWs).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.schema import TIERS
from ews.exceptions import ModelError

FloatArray = npt.NDArray[np.float64]

TIER_LABELS_ID: Final = {
    "rendah": "rendah",
    "sedang": "sedang",
    "tinggi": "tinggi",
    "sangat_tinggi": "sangat tinggi",
}
# Multiples of the base rate where each higher tier starts.
TIER_RATIOS: Final = (1.0, 2.0, 4.0)


def tier_bounds(base_rate: float) -> FloatArray:
    """The scores where ``sedang``, ``tinggi`` and ``sangat_tinggi`` start (``TIER_RATIOS`` x base rate).

    Batch tables and the live scorer cut at these same numbers, so a case
    gets the same tier either way.
    """
    if not 0.0 < base_rate < 1.0:
        raise ModelError(f"base rate {base_rate!r} must lie strictly between 0 and 1 to define tiers")
    return np.asarray(TIER_RATIOS, dtype=np.float64) * base_rate


def assign_tiers(scores: pd.Series, base_rate: float) -> pd.Series:
    """``rendah`` below the base rate, ``sedang`` up to 2x, ``tinggi`` up to 4x, ``sangat_tinggi`` above."""
    codes = np.searchsorted(tier_bounds(base_rate), scores.to_numpy(dtype=np.float64), side="right")
    return pd.Series(np.asarray(TIERS, dtype=object)[codes], index=scores.index, dtype="string")


def tier_of(score: float, base_rate: float) -> str:
    """One score's tier: :func:`assign_tiers` without pandas, for the live scorer."""
    return TIERS[int(np.searchsorted(tier_bounds(base_rate), score, side="right"))]


def rank_scores(scores: pd.Series) -> pd.Series:
    """1 = highest score; ties broken by the index so ranks are unique and repeatable."""
    frame = pd.DataFrame({"score": scores.to_numpy(), "key": [str(k) for k in scores.index]})
    order = frame.sort_values(["score", "key"], ascending=[False, True], kind="stable").index
    ranks = np.empty(len(frame), dtype=np.int64)
    ranks[order.to_numpy()] = np.arange(1, len(frame) + 1)
    return pd.Series(ranks, index=scores.index, name="rank")


def flag_count(n_units: int, share: float) -> int:
    """How many units the top ``share`` holds (at least one when there are units)."""
    return min(n_units, max(1, math.ceil(share * n_units))) if n_units else 0


def flag_top(
    scores: pd.Series,
    share: float,
    groups: pd.Series | None = None,
    capacity: int | None = None,
) -> pd.Series:
    """Boolean flags: walk down the ranking, skip units whose group is full, stop at the share.

    ``groups`` maps each index entry of ``scores`` to its group (e.g. kelurahan);
    with a capacity, fewer than ``share`` may be flagged when groups fill up.
    """
    target = flag_count(len(scores), share)
    order = rank_scores(scores).to_numpy().argsort()
    flags = np.zeros(len(scores), dtype=bool)
    if groups is None or capacity is None:
        flags[order[:target]] = True
        return pd.Series(flags, index=scores.index, name="flagged")
    group_of = groups.reindex(scores.index).astype("string").fillna("").to_numpy()
    taken: dict[str, int] = {}
    count = 0
    for position in order:
        group = group_of[position]
        if taken.get(group, 0) >= capacity:
            continue
        taken[group] = taken.get(group, 0) + 1
        flags[position] = True
        count += 1
        if count == target:
            break
    return pd.Series(flags, index=scores.index, name="flagged")
