"""The case-reopen task (issue 4): which recently closed cases need follow-up, and why.

Features, labels and baselines come from :mod:`ews.features.cases`; the
backtest, the estimator, tiers and reason codes are the generic machinery of
:mod:`ews.models`. Follow-up capacity is the top ``reopen_capacity_share``
(20%) of the population, so the task adds precision@20% and, on synthetic
data, the truth ratio at 20% to the generic report (see docs/reopen.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.config import REOPEN_MODEL_NAME, TrainSettings
from ews.data.folder import DataFolder
from ews.exceptions import ModelError
from ews.features.cases_encode import CATEGORY_GROUPS, category_column
from ews.models import flow
from ews.models.backtest_types import BacktestReport, BacktestSpec, FlagRule
from ews.models.reopen_capacity import capacity_markdown, capacity_metrics, capacity_summary
from ews.models.reopen_scorer import CaseScore, ReopenScorer
from ews.models.task import Progress, TrainedTask, no_progress

CASE_SAMPLE_STREAM = 1730  # the random stream of the case sample of large folders (case_sample)

__all__ = [
    "CaseScore",
    "ReopenScorer",
    "backtest_reopen",
    "reopen_baselines",
    "reopen_params",
    "reopen_spec",
    "train_reopen",
]

# A 90-day window starting on a month's first day always ends within 4 months
# (Feb+Mar+Apr hold only 89 days, so 3 would judge some folds on unripe labels).
MATURITY_MONTHS: Final = 4
LABEL_MONTHS: Final = 3
RECENCY_SPAN: Final = 181.0
# More earlier cases of the victim, or more recent cases in her RW, never lower the reopen risk:
# without the constraint the logit's raw and log1p terms of a count can pull opposite ways and the
# score falls as the count grows (docs/reopen.md).
MONOTONE_FEATURES: Final = ("victim_earlier_cases", "rw_cases_90d", "rw_cases_365d")

CaseTruthFn = Callable[[Sequence[str], int], pd.Series]
"""(case ids, as-of month) -> true reopen probability per case id (synthetic data only)."""


def reopen_baselines(features: pd.DataFrame) -> pd.DataFrame:
    """Higher-is-riskier baseline scores on the features' index.

    ``partner_rule``: partner perpetrators first, then the most recently
    closed; ``recency``: the most recently closed first.
    """
    recency = 1.0 - features["days_since_closed"].to_numpy(dtype=np.float64) / RECENCY_SPAN
    partner = features[category_column("perpetrator_relation", "pasangan")].to_numpy(dtype=np.float64)
    return pd.DataFrame({"partner_rule": partner + recency, "recency": recency}, index=features.index)


def _category_of(features: pd.DataFrame, group: str) -> pd.Series:
    """The category name of each row from its one-hot block (``unknown`` when none is set)."""
    values = next(v for g, v in CATEGORY_GROUPS if g == group)
    columns = [category_column(group, v) for v in (*values, "other")]
    block = features[columns].to_numpy(dtype=np.float64)
    names = np.asarray([*values, "other"], dtype=object)[block.argmax(axis=1)]
    return pd.Series(np.where(block.max(axis=1) > 0, names, "unknown"), index=features.index, dtype="string")


def audit_groups(features: pd.DataFrame, rw_codes: pd.Series) -> pd.DataFrame:
    """Kota, victim group and violence type of each row, for the bias audit of the flag list."""
    case_ids = features.index.get_level_values("case_id")
    kota = rw_codes.reindex(case_ids).astype("string").str.slice(0, 5).to_numpy()
    groups = pd.DataFrame({"kota": kota}, index=features.index)
    groups["victim_group"] = _category_of(features, "victim_group")
    groups["violence_type"] = _category_of(features, "violence_type")
    return groups


def reopen_spec(
    folder: DataFolder, as_of: int, settings: TrainSettings, truth: CaseTruthFn | None = None
) -> BacktestSpec:
    """The reopen task described for the generic backtest, from the warm-up's end to ``as_of``."""
    months = list(range(folder.first_month + settings.warmup_months, as_of + 1))
    return build_reopen_spec(folder, months, settings, truth)


def build_reopen_spec(
    folder: DataFolder,
    months: list[int],
    settings: TrainSettings,
    truth: CaseTruthFn | None = None,
    evaluated: Sequence[int] = (),
) -> BacktestSpec:
    """The reopen task described for the generic backtest, with features for ``months``.

    Every closed case is kept in every month (``evaluated`` is not needed: cases are few).
    """
    from ews.features.cases import build_case_features, reopen_labels

    if len(folder.case_events) == 0:
        raise ModelError("the case-reopen model needs case_events; this folder's case_events has no rows")
    features = build_case_features(folder, months)

    def labels(known_at: int) -> pd.Series:
        return reopen_labels(folder, months, known_at=known_at)

    rw_codes = folder.cases.set_index(folder.cases["case_id"].astype(str))["rw_code"]
    return BacktestSpec(
        features=features,
        labels=labels,
        fit_rows=case_sample(features, settings),
        baselines=reopen_baselines(features),
        horizon=MATURITY_MONTHS,
        audit_groups=audit_groups(features, rw_codes),
        truth=None if truth is None else _month_truth(features, truth),
    )


def case_sample(features: pd.DataFrame, settings: TrainSettings) -> npt.NDArray[np.bool_] | None:
    """None while every row fits ``settings.max_fit_rows``; else the rows of a seeded sample of cases.

    Whole cases are sampled (every month of each), so the sample keeps the reopening rate and
    never depends on labels; the backtest still scores every case.
    """
    if len(features) <= settings.max_fit_rows:
        return None
    keys = features.index.get_level_values(-1)
    cases = pd.Index(keys.unique())
    draw = np.random.default_rng([settings.seed, CASE_SAMPLE_STREAM]).random(len(cases))
    chosen = cases[draw < settings.max_fit_rows / len(features)]
    return np.asarray(keys.isin(chosen), dtype=bool)


def _month_truth(features: pd.DataFrame, truth: CaseTruthFn) -> Callable[[int], pd.Series]:
    def at(month: int) -> pd.Series:
        ids = [str(c) for c in flow.rows_of_month(features, month).index]
        return truth(ids, month)

    return at


def reopen_params(n_rows: int, seed: int, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """RiskClassifier parameters for the reopen task, scaled to the number of training rows.

    Reopenings are rare (a province sees a few hundred a year) and each case
    sits in about six monthly populations, so the trees need large leaves and
    the logit a strong penalty; leaves grow with the data (1% of the rows,
    between 50 and 500). Trees have three leaves, so the boosted model stays
    close to additive in the log-odds, the way risk factors are thought to
    combine (multiplicatively); on the synthetic province this lifts the
    truth ratio at 20% from 0.94 (generic defaults) to about 0.96. The logit
    also gets log1p copies of the counts: a victim's third earlier case adds
    less risk than her first (0.949 -> 0.954 on the synthetic province).
    Both kinds are non-decreasing in :data:`MONOTONE_FEATURES` (``monotone``).
    """
    leaf = int(min(500, max(50, n_rows // 100)))
    base = {"C": 0.02, "learning_rate": 0.05, "max_iter": 300, "max_leaf_nodes": 3, "min_samples_leaf": leaf}
    base["log_counts"] = True
    return {"random_state": seed, **base, "monotone": MONOTONE_FEATURES, **(overrides or {})}


def _params(
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    spec: BacktestSpec,
    overrides: Mapping[str, Any] | None,
) -> dict[str, Any]:
    rows = len(spec.features) if spec.fit_rows is None else int(spec.fit_rows.sum())
    return reopen_params(rows, settings.seed, overrides)


def _capacity(spec: BacktestSpec, report: BacktestReport, settings: TrainSettings) -> flow.Extras:
    """Precision and truth ratio at the follow-up capacity, as metrics, a table and a card section."""
    share = settings.reopen_capacity_share
    capacity = capacity_metrics(spec, report, share)
    return flow.Extras(
        metrics=capacity_summary(capacity, share),
        tables={"backtest_capacity.csv": capacity},
        card=capacity_markdown(capacity, share),
    )


REOPEN_TASK = flow.TaskDefinition(
    registered_name=REOPEN_MODEL_NAME,
    what="case-reopen",
    span=lambda settings: MATURITY_MONTHS,
    maturity=0,
    logged_horizon=lambda settings: LABEL_MONTHS,
    build_spec=build_reopen_spec,
    params=_params,
    flag_rule=lambda settings: FlagRule(settings.reopen_capacity_share, None),
    extras=_capacity,
    logged={"label_days": 90},
)


def backtest_reopen(
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: CaseTruthFn | None = None,
    kinds: Sequence[str] | None = None,
    model_params: Mapping[str, Any] | None = None,
) -> tuple[BacktestSpec, BacktestReport, pd.DataFrame]:
    """Backtest the candidate kinds; also the per-fold metrics at the follow-up capacity."""
    ready, report = flow.backtest(REOPEN_TASK, folder, as_of, settings, progress, truth, kinds, model_params)
    return ready.spec, report, capacity_metrics(ready.spec, report, settings.reopen_capacity_share)


def train_reopen(
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: CaseTruthFn | None = None,
    kinds: Sequence[str] | None = None,
    model_params: Mapping[str, Any] | None = None,
) -> TrainedTask:
    """Backtest, pick the kind, fit on every label matured by ``as_of``, and describe the result."""
    return flow.train(REOPEN_TASK, folder, as_of, settings, progress, truth, kinds, model_params)
