"""Score every RW as of a month: the table ``ews score`` writes (contract section 3)."""

from __future__ import annotations

import json
from typing import Final

import pandas as pd
import pandera.pandas as pa

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.data.schema import RW_SCORE_COLUMNS, TIERS
from ews.features.describe_reference import kelurahan_reference
from ews.models.backtest_types import month_rows
from ews.models.estimator import RiskClassifier
from ews.models.explain import Describer, contributions, top_factors
from ews.models.tiers import assign_tiers, flag_top, rank_scores
from ews.months import format_month

SCORE_COLUMNS: Final = RW_SCORE_COLUMNS

AS_OF_COLUMN: Final = pa.Column("string", pa.Check.str_matches(r"^\d{4}-\d{2}$"))
# The trailing columns every score table shares (RW and case), checked the same way in both.
SCORED_COLUMNS: Final = {
    "score": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
    "tier": pa.Column("string", pa.Check.isin(TIERS)),
    "rank": pa.Column("int64", pa.Check.ge(1), unique=True),
    "flagged": pa.Column(bool),
    "top_factors": pa.Column("string"),
}

SCORE_SCHEMA: Final = pa.DataFrameSchema(
    {
        "rw_code": pa.Column("string", unique=True),
        "kelurahan_code": pa.Column("string"),
        "kecamatan_code": pa.Column("string"),
        "kota_code": pa.Column("string"),
        "as_of": AS_OF_COLUMN,
        **SCORED_COLUMNS,
    },
    strict=True,
    ordered=True,
)


def score_rws(
    folder: DataFolder,
    as_of: int,
    model: RiskClassifier,
    settings: TrainSettings,
    *,
    explain: bool = True,
    describer: Describer | None = None,
) -> pd.DataFrame:
    """One row per RW: calibrated score, tier, rank, flag and reason codes, sorted by rank."""
    from ews.features.rw import build_rw_features

    X = month_rows(build_rw_features(folder, [as_of]), as_of)
    rows = explained_rows(folder.regions, X, model, settings.top_factors, explain, describer)
    return finish_scores(rows, X, as_of, model, settings)


def explained_rows(
    regions: pd.DataFrame,
    X: pd.DataFrame,
    model: RiskClassifier,
    top_n: int,
    explain: bool = True,
    describer: Describer | None = None,
) -> pd.DataFrame:
    """The part of the table that needs only the RWs' own area: codes and reason codes, in ``X`` order.

    Reason codes compare an RW with the other RWs of its kelurahan, so ``X`` must hold whole
    kelurahan (``ews.distributed`` builds them area by area); the rest is :func:`finish_scores`'s.
    """
    codes = regions.set_index("rw_code").reindex(X.index)
    return pd.DataFrame(
        {
            "rw_code": pd.Series(X.index.astype(str), dtype="string"),
            "kelurahan_code": codes["kelurahan_code"].astype("string").to_numpy(),
            "kecamatan_code": codes["kecamatan_code"].astype("string").to_numpy(),
            "kota_code": codes["kota_code"].astype("string").to_numpy(),
            "top_factors": pd.Series(
                _factor_json(model, X, codes["kelurahan_code"], top_n, explain, describer), dtype="string"
            ),
        }
    )


def finish_scores(
    rows: pd.DataFrame, X: pd.DataFrame, as_of: int, model: RiskClassifier, settings: TrainSettings
) -> pd.DataFrame:
    """Scores, flags, tiers and ranks over every RW at once, sorted by rank (the validated table).

    ``rows`` are :func:`explained_rows` of every RW of ``X``, in ``X``'s order (regions order:
    flags and ranks break ties by it). Scores come from one ``predict_proba`` over all of ``X``:
    BLAS products round differently with the number of rows, so scoring area by area could move
    a score by its last bit.
    """
    scores = pd.Series(model.predict_proba(X)[:, 1], index=X.index)
    kelurahan = pd.Series(rows["kelurahan_code"].to_numpy(), index=X.index)
    flags = flag_top(scores, settings.flag_share, kelurahan, settings.capacity_per_kelurahan)
    table = pd.DataFrame(
        {
            "rw_code": rows["rw_code"].to_numpy(),
            "kelurahan_code": rows["kelurahan_code"].to_numpy(),
            "kecamatan_code": rows["kecamatan_code"].to_numpy(),
            "kota_code": rows["kota_code"].to_numpy(),
            "as_of": pd.Series([format_month(as_of)] * len(X), dtype="string"),
            "score": scores.to_numpy(),
            "tier": assign_tiers(scores, model.base_rate_).to_numpy(),
            "rank": rank_scores(scores).to_numpy(),
            "flagged": flags.to_numpy(),
            "top_factors": rows["top_factors"].to_numpy(),
        }
    )
    for column in ("rw_code", "kelurahan_code", "kecamatan_code", "kota_code", "tier", "top_factors"):
        table[column] = table[column].astype("string")
    table = table.sort_values("rank", kind="stable").reset_index(drop=True)
    return SCORE_SCHEMA.validate(table)


def _factor_json(
    model: RiskClassifier,
    X: pd.DataFrame,
    kelurahan: pd.Series,
    n: int,
    explain: bool,
    describer: Describer | None,
) -> list[str]:
    """Each RW's reason codes as JSON; signal and area sentences compare with the other RWs of its
    kelurahan this month (``kelurahan_reference`` over the whole frame)."""
    if not explain:
        return ["[]"] * len(X)
    contrib, _ = contributions(model, X)
    reference = kelurahan_reference(X, kelurahan.to_numpy())
    factors = top_factors(X, contrib, n, describer, reference)
    return [json.dumps(row, ensure_ascii=False) for row in factors]
