"""Score every recently closed case as of a month: the table ``ews score-cases`` writes.

Features are clipped to the model's training range before scoring, as the live
scorer does (``ews.models.reopen_scorer.training_bounds``); reason codes show
the values themselves.
"""

from __future__ import annotations

import json
from typing import Final, cast

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.data.schema import CASE_SCORE_COLUMNS
from ews.features.cases_describe import describe_case_feature
from ews.models.estimator import RiskClassifier
from ews.models.reopen_scorer import clip_to_training, training_bounds
from ews.models.scoring import AS_OF_COLUMN, SCORED_COLUMNS
from ews.models.tiers import assign_tiers, flag_top, rank_scores
from ews.months import format_month

CASE_SCORE_SCHEMA: Final = pa.DataFrameSchema(
    {
        "case_id": pa.Column("string", unique=True),
        "rw_code": pa.Column("string"),
        "as_of": AS_OF_COLUMN,
        "closed_at": pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        **SCORED_COLUMNS,
    },
    strict=True,
    ordered=True,
)


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in CASE_SCORE_COLUMNS})
    return frame.astype({"score": "float64", "rank": "int64", "flagged": "bool"})


def _factor_json(
    model: RiskClassifier, features: pd.DataFrame, scored: pd.DataFrame, n: int, explain: bool
) -> list[str]:
    if not explain:
        return ["[]"] * len(features)
    from ews.models.explain import contributions, top_factors

    contrib, _ = contributions(model, scored)
    rows = top_factors(features, contrib, n, describe_case_feature)
    return [json.dumps(row, ensure_ascii=False) for row in rows]


def score_cases(
    folder: DataFolder, as_of: int, model: RiskClassifier, settings: TrainSettings, *, explain: bool = True
) -> pd.DataFrame:
    """One row per recently closed case: score, tier, rank, follow-up flag and reason codes, by rank."""
    from ews.features.cases import build_case_features, reopen_population

    population = reopen_population(folder, as_of)
    if population.empty:
        return CASE_SCORE_SCHEMA.validate(_empty())
    x = cast(pd.DataFrame, build_case_features(folder, [as_of]).xs(as_of, level="as_of"))
    low, high = training_bounds(model)
    clipped, _ = clip_to_training(x.to_numpy(dtype=np.float64), low, high)
    scored = pd.DataFrame(clipped, index=x.index, columns=x.columns)
    scores = pd.Series(model.predict_proba(scored)[:, 1], index=x.index)
    factors = _factor_json(model, x, scored, settings.top_factors, explain)
    known = population.set_index(population["case_id"].astype(str)).reindex(x.index.astype(str))
    table = pd.DataFrame(
        {
            "case_id": pd.Series(x.index.astype(str), dtype="string"),
            "rw_code": known["rw_code"].astype("string").to_numpy(),
            "as_of": pd.Series([format_month(as_of)] * len(x), dtype="string"),
            "closed_at": known["closed_at"].dt.strftime("%Y-%m-%d").to_numpy(),
            "score": scores.to_numpy(),
            "tier": assign_tiers(scores, model.base_rate_).to_numpy(),
            "rank": rank_scores(scores).to_numpy(),
            "flagged": flag_top(scores, settings.reopen_capacity_share).to_numpy(),
            "top_factors": pd.Series(factors, dtype="string"),
        }
    )
    table = table.astype({"closed_at": "string", "tier": "string"})
    return CASE_SCORE_SCHEMA.validate(table.sort_values("rank", kind="stable").reset_index(drop=True))
