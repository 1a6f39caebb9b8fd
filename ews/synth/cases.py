"""Case attributes: victim, violence, perpetrator, place, channel, repeat victims, ids.

Draws are vectorised over cases; only the repeat-victim pass walks the cases
in report order, because whether a victim returns depends on earlier cases of
the same RW.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.synth import categories as cat
from ews.synth.risk import FloatArray

ObjectArray = npt.NDArray[Any]

REPEAT_RECENT = 0.30  # chance a case is an earlier victim of the RW when the RW's last case is recent
REPEAT_OTHER = 0.07
RECENT_DAYS = 120
MEMORY_DAYS = 730
SAME_PERPETRATOR = 0.85
MISSING_AGE = 0.04
MISSING_PLACE = 0.03


def _draw(options: tuple[str, ...], probs: FloatArray, rng: np.random.Generator) -> ObjectArray:
    """One category per row of ``probs`` (each row sums to 1)."""
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random((len(probs), 1)) * cumulative[:, -1:]
    index = np.minimum((u >= cumulative).sum(axis=1), len(options) - 1)
    chosen: ObjectArray = np.asarray(options, dtype=object)[index]
    return chosen


def _conditional(
    given: ObjectArray,
    table: Mapping[str, tuple[float, ...]],
    options: tuple[str, ...],
    rng: np.random.Generator,
) -> ObjectArray:
    rows = np.array([table[g] for g in given], dtype=np.float64).reshape(len(given), len(options))
    return _draw(options, rows, rng)


def _ages(groups: ObjectArray, rng: np.random.Generator) -> FloatArray:
    """Adults mostly 20-45; girls skew to 13-17; boys spread more evenly."""
    n = len(groups)
    adult = np.clip(np.rint(rng.gamma(6.0, 4.5, n) + 10), 18, 75)
    girl_weights = np.linspace(1.0, 3.5, 18)
    boy_weights = np.linspace(1.5, 2.0, 18)
    girl = rng.choice(18, size=n, p=girl_weights / girl_weights.sum())
    boy = rng.choice(18, size=n, p=boy_weights / boy_weights.sum())
    ages = np.select([groups == "perempuan_dewasa", groups == "anak_perempuan"], [adult, girl], boy)
    return np.asarray(ages, dtype=np.float64)


def draw_victims(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Victim group, age, violence type and perpetrator relation for ``n`` cases."""
    shares = np.tile(np.array(list(cat.GROUP_SHARES.values())), (n, 1))
    groups = _draw(cat.ORDERED["victim_group"], shares, rng)
    return pd.DataFrame(
        {
            "victim_group": groups,
            "violence_type": _conditional(groups, cat.VIOLENCE_BY_GROUP, cat.ORDERED["violence_type"], rng),
            "perpetrator_relation": _conditional(
                groups, cat.RELATION_BY_GROUP, cat.ORDERED["perpetrator_relation"], rng
            ),
            "victim_age": _ages(groups, rng),
        }
    )


def assign_repeats(cases: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give each case a victim number; some cases are the RW's previous victim again.

    A return is likelier when the RW's last case is recent (near-repeat). The
    returning victim keeps her group and (mostly) her perpetrator, and is
    older by the time elapsed. ``prior_cases`` counts her earlier cases.
    """
    days = cases["reported_at"].to_numpy().astype("datetime64[D]").astype(np.int64)
    rw = cases["rw_pos"].to_numpy()
    u_repeat, u_same = rng.random(len(cases)), rng.random(len(cases))
    victim = np.arange(len(cases))
    source = np.full(len(cases), -1)
    last_case: dict[int, int] = {}
    for i in range(len(cases)):
        j = last_case.get(int(rw[i]), -1)
        gap = days[i] - days[j] if j >= 0 else MEMORY_DAYS + 1
        if gap <= MEMORY_DAYS and u_repeat[i] < (REPEAT_RECENT if gap <= RECENT_DAYS else REPEAT_OTHER):
            victim[i], source[i] = victim[j], j
        last_case[int(rw[i])] = i
    return _copy_from_source(cases, victim, source, days, u_same)


def _copy_from_source(
    cases: pd.DataFrame,
    victim: npt.NDArray[np.int64],
    source: npt.NDArray[np.int64],
    days: npt.NDArray[np.int64],
    u_same: FloatArray,
) -> pd.DataFrame:
    """Repeat cases take the group of the victim's first case, her age then plus the years since."""
    out = cases.copy()
    _, first_index = np.unique(victim, return_index=True)
    root = first_index[np.searchsorted(np.unique(victim), victim)]
    repeat = source >= 0
    group = out["victim_group"].to_numpy(dtype=object)
    relation = out["perpetrator_relation"].to_numpy(dtype=object)
    age = out["victim_age"].to_numpy(dtype=np.float64)
    older = np.floor(age[root] + (days - days[root]) / 365.25)
    limit = np.where(group[root] == "perempuan_dewasa", 75.0, 17.0)
    out["victim_age"] = np.where(repeat, np.minimum(older, limit), age)
    out["perpetrator_relation"] = np.where(repeat & (u_same < SAME_PERPETRATOR), relation[root], relation)
    out["victim_group"] = np.where(repeat, group[root], group)
    out["victim"] = victim
    out["prior_cases"] = out.groupby("victim").cumcount()
    return out


def draw_places(relations: ObjectArray, rng: np.random.Generator) -> ObjectArray:
    """Place of violence given the perpetrator; a few left empty."""
    places = _conditional(relations, cat.PLACE_BY_RELATION, cat.ORDERED["place"], rng)
    places[rng.random(len(places)) < MISSING_PLACE] = None
    return places


def draw_channels(cases: pd.DataFrame, reach: FloatArray, rng: np.random.Generator) -> ObjectArray:
    """Intake channel: complaint posts win where one is near; 112 for partner beatings; referrals."""
    names = tuple(cat.CHANNEL_WEIGHTS)
    weights = np.tile(np.array(list(cat.CHANNEL_WEIGHTS.values())), (len(cases), 1))
    weights[:, names.index("pos_pengaduan")] = cat.POST_WEIGHT * reach
    violence = cases["violence_type"].to_numpy()
    beating = (violence == "fisik") & (cases["perpetrator_relation"].to_numpy() == "pasangan")
    weights[:, names.index("siaga_112")] *= np.where(beating, 2.5, 1.0)
    weights[:, names.index("rujukan_faskes")] *= np.where(violence == "seksual", 2.0, 1.0)
    weights[:, names.index("rujukan_polisi")] *= np.where(np.isin(violence, ["seksual", "tppo"]), 1.8, 1.0)
    return _draw(names, weights / weights.sum(axis=1, keepdims=True), rng)


def case_ids(reported_at: pd.Series) -> pd.Series:
    """``PPA-<year>-<number>``, numbered in report order within the year (``reported_at`` is sorted)."""
    year = reported_at.dt.year
    number = year.groupby(year).cumcount() + 1
    ids = [f"PPA-{y}-{n:05d}" for y, n in zip(year, number, strict=True)]
    return pd.Series(ids, index=reported_at.index, dtype=object)


def victim_keys(victim: npt.NDArray[np.int64], rng: np.random.Generator) -> ObjectArray:
    """Opaque, stable pseudonyms: one random 10-hex-digit token per victim."""
    unique, inverse = np.unique(victim, return_inverse=True)
    tokens = (
        rng.choice(16**10, size=len(unique), replace=False) if len(unique) else np.array([], dtype=np.int64)
    )
    names = np.array([f"K{int(t):010x}" for t in tokens], dtype=object)
    return names[inverse]
