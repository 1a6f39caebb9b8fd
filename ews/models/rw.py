"""The RW risk task: features, labels, baselines and audit groups for the backtest; training.

Everything here is computed from the folder as known at the training as-of
month (features by construction, labels through ``known_at``, baselines from
cases reported before each as-of month), so training on the full folder and
on the folder cut with ``known_as_of`` gives the same model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.config import RW_MODEL_NAME, TrainSettings
from ews.data.folder import DataFolder
from ews.models import flow
from ews.models.backtest_types import BacktestReport, BacktestSpec, FlagRule
from ews.models.estimator import ALL_KINDS
from ews.models.flow import TaskDefinition
from ews.models.rw_teacher import teach
from ews.models.task import Progress, TrainedTask, no_progress
from ews.months import month_start, months_of_dates

if TYPE_CHECKING:
    from ews.features.rw import RowSample

TruthFn = Callable[[int], pd.Series]
BASELINE_WINDOWS = (12, 3)
# Most reports arrive within two months of the incident and nearly all within
# six, so labels six months old count as near-final for calibration and folds.
LABEL_MATURITY = 6
FIT_SAMPLE_STREAM = 1729  # the random stream of the RW sample of large folders (fit_sample)
# Chosen on the synthetic Jakarta backtest (docs/model.md):
# - RW-months with a case are ~5%: fitting on a third of the rest loses little and is ~3x faster;
# - the calibrator sees 3 months ending 2 before the latest (labels ~90% in, corrected by
#   label_completeness): a longer gap pushes the base model's data further back and costs ranking;
# - small, heavily regularised trees: a case in a month is a noisy label, bigger trees chase it;
# - distillation from the label months' signals (ews.models.distill) takes that noise down further.
RW_MODEL_DEFAULTS: dict[str, Any] = {
    "distill": True,
    "student_max_iter": 160,
    "student_learning_rate": 0.06,
    "calibration_gap": 2,
    "calibration_months": 3,
    "negative_share": 0.35,
    "max_iter": 250,
    "learning_rate": 0.04,
    "max_leaf_nodes": 7,
    "min_samples_leaf": 500,
}


def feature_months(folder: DataFolder, as_of: int, settings: TrainSettings) -> list[int]:
    """As-of months from the end of the default warm-up to ``as_of`` (benches; training plans its own)."""
    return list(range(folder.first_month + settings.warmup_months, as_of + 1))


def rw_spec(
    folder: DataFolder, as_of: int, settings: TrainSettings, truth: TruthFn | None = None
) -> BacktestSpec:
    """The RW task described for the generic backtest, with features from the warm-up's end to ``as_of``."""
    return build_rw_spec(folder, feature_months(folder, as_of, settings), settings, truth)


def build_rw_spec(
    folder: DataFolder,
    months: list[int],
    settings: TrainSettings,
    truth: TruthFn | None = None,
    evaluated: Sequence[int] = (),
) -> BacktestSpec:
    """The RW task described for the generic backtest, with features for ``months``.

    When RWs x months exceed ``settings.max_fit_rows`` the spec keeps every RW only in the
    ``evaluated`` months (backtest folds and the as-of month) and a seeded sample of RWs in the
    others, and fits learn from the sampled RWs alone (:func:`fit_sample`).
    """
    from ews.features.labels import rw_labels
    from ews.features.rw import build_rw_feature_sample, build_rw_features

    sample = fit_sample(folder.regions["kecamatan_code"], months, evaluated, settings)
    if sample is None:
        features = build_rw_features(folder, months)
    else:
        features = build_rw_feature_sample(folder, months, sample)
    keep = None if sample is None else sample.row_mask(months)

    def labels(known_at: int) -> pd.Series:
        full = rw_labels(folder, months, horizon=settings.horizon, known_at=known_at)
        if keep is None:
            return full
        kept = keep[: len(full)]  # labels cover the leading as-of months: a prefix of the rows
        return pd.Series(full.to_numpy()[kept], index=features.index[: int(kept.sum())], name="label")

    regions = folder.regions.set_index("rw_code")
    return BacktestSpec(
        features=features,
        labels=labels,
        baselines=rw_baselines(folder, months if sample is None else sorted(sample.full_months)),
        fit_rows=None if sample is None else fit_row_mask(sample, months),
        horizon=settings.horizon,
        capacity_groups=regions["kelurahan_code"].astype("string"),
        audit_groups=audit_groups(features, regions["kota_code"]),
        truth=truth,
        maturity=LABEL_MATURITY,
    )


def fit_sample(
    kecamatan: pd.Series, months: Sequence[int], evaluated: Sequence[int], settings: TrainSettings
) -> RowSample | None:
    """None when every RW-month fits in ``settings.max_fit_rows``; else a seeded sample of kecamatan.

    ``kecamatan`` holds each RW's kecamatan code in regions order. Whole kecamatan are drawn in
    a seeded order until their RWs fill the budget: every RW has about the same chance to be in, so
    the sample has the province's case rate (the calibrator needs no weights); the draw never
    reads labels (no leakage); and the sampled RWs' features build on a sub-folder of their
    kecamatan alone (``build_rw_feature_sample``), not on the whole province.
    """
    from ews.features.rw import RowSample

    if len(kecamatan) * len(months) <= settings.max_fit_rows:
        return None
    codes, sizes = np.unique(kecamatan.astype(str).to_numpy(dtype=object), return_counts=True)
    order = np.random.default_rng([settings.seed, FIT_SAMPLE_STREAM]).permutation(len(codes))
    target = max(1, settings.max_fit_rows // len(months))
    taken = order[: int(np.searchsorted(np.cumsum(sizes[order]), target)) + 1]
    sampled = kecamatan.astype(str).isin(codes[taken]).to_numpy(dtype=bool)
    return RowSample(sampled, frozenset(int(m) for m in evaluated))


def fit_row_mask(sample: RowSample, months: Sequence[int]) -> npt.NDArray[np.bool_]:
    """Of the rows ``sample`` keeps (as-of major), those of sampled RWs: the rows fits learn from."""
    return np.concatenate([sample.sampled[sample.rw_mask(int(m))] for m in months])


def label_completeness(folder: DataFolder, as_of: int, ages: Sequence[int]) -> float:
    """Mean share of a label month's cases already reported ``age`` months later, over ``ages``.

    Read from the reporting delays (report month - incident month) of cases
    whose incident lies 13 to 48 months before ``as_of`` and that were
    reported before it, so every delay up to a year is fully seen; a case
    without incident date counts as reported in its own month.
    """
    cases = folder.cases[folder.cases["reported_at"] < month_start(as_of)]
    reported = months_of_dates(cases["reported_at"])
    incident = months_of_dates(cases["incident_date"].fillna(cases["reported_at"]))
    old = (incident <= as_of - 13) & (incident >= as_of - 48)
    if not old.any():
        return 1.0
    delay = (reported - incident)[old]
    return float(np.mean([np.mean(delay < age) for age in ages]))


def rw_model_params(
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    spec: BacktestSpec | None = None,
    given: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """RW defaults, the delay correction for the calibration months, then the caller's parameters."""
    params: dict[str, Any] = {"random_state": settings.seed, **RW_MODEL_DEFAULTS, **(given or {})}
    if not folder.signal_columns:  # nothing to distil from: a folder with no signal columns at all
        params["distill"] = False
    months = int(params.get("calibration_months", 6))
    gap = int(params["calibration_gap"])
    ages = range(gap + settings.horizon, gap + months + settings.horizon)
    params.setdefault("label_completeness", label_completeness(folder, as_of, ages))
    return params


def rw_baselines(folder: DataFolder, months: Sequence[int]) -> pd.DataFrame:
    """Case counts reported in the last 12 and 3 months, and population, per (as_of, rw_code).

    Among RWs with equal counts the more populous ranks first (a fair baseline
    would do the same), hence the population fraction added below one case.
    """
    rws = pd.Index(folder.regions["rw_code"].astype(str))
    population = folder.regions["population"].to_numpy(dtype=np.float64)
    tie = population / (population.max() + 1.0) * 0.5
    counts = _monthly_counts(folder, rws, min(months) - max(BASELINE_WINDOWS), max(months))
    lo = min(months) - max(BASELINE_WINDOWS)
    cumulative = np.concatenate([np.zeros((len(rws), 1)), counts.cumsum(axis=1)], axis=1)
    frames = []
    for month in months:
        t = month - lo
        data = {f"cases_{w}m": cumulative[:, t] - cumulative[:, t - w] + tie for w in BASELINE_WINDOWS}
        data["population"] = population
        index = pd.MultiIndex.from_product([[month], rws], names=["as_of", "rw_code"])
        frames.append(pd.DataFrame(data, index=index))
    return pd.concat(frames)


def _monthly_counts(folder: DataFolder, rws: pd.Index, lo: int, hi: int) -> np.ndarray[Any, Any]:
    """Cases per RW (rows) and report month ``lo .. hi - 1`` (columns)."""
    month = months_of_dates(folder.cases["reported_at"])
    row = rws.get_indexer(pd.Index(folder.cases["rw_code"].astype(str)))
    keep = (month >= lo) & (month < hi) & (row >= 0)
    counts = np.zeros((len(rws), max(hi - lo, 1)))
    np.add.at(counts, (row[keep], month[keep] - lo), 1.0)
    return counts


def audit_groups(features: pd.DataFrame, kota: pd.Series) -> pd.DataFrame:
    """Kota, poverty tercile and data-coverage tercile of each RW at each as-of month."""
    codes = features.index.get_level_values("rw_code")
    groups = pd.DataFrame({"kota": kota.reindex(codes).astype("string").to_numpy()}, index=features.index)
    poverty = [c for c in features.columns if "bansos" in c and c.endswith("per_1000")]
    if poverty:
        groups["poverty_tercile"] = _terciles(features[poverty[0]])
    coverage = [c for c in features.columns if c.endswith("reported_share12")]
    if coverage:
        groups["coverage_tercile"] = _terciles(features[coverage].mean(axis=1))
    return groups


def _terciles(values: pd.Series) -> pd.Series:
    """T1 (lowest third) .. T3 within each as-of month; ties split by order so groups are even."""
    ranks = values.fillna(values.min()).groupby(level="as_of").rank(method="first", pct=True)
    return pd.Series(np.select([ranks <= 1 / 3, ranks <= 2 / 3], ["T1", "T2"], "T3"), index=values.index)


RW_TASK = TaskDefinition(
    registered_name=RW_MODEL_NAME,
    what="RW risk",
    span=lambda settings: settings.horizon,
    maturity=LABEL_MATURITY,
    logged_horizon=lambda settings: settings.horizon,
    build_spec=build_rw_spec,
    params=rw_model_params,
    flag_rule=lambda settings: FlagRule(settings.flag_share, settings.capacity_per_kelurahan),
    teach=teach,
    kinds=ALL_KINDS,
)


def backtest_rw(
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: TruthFn | None = None,
    kinds: Sequence[str] | None = None,
    model_params: Mapping[str, Any] | None = None,
) -> tuple[BacktestSpec, BacktestReport]:
    """Backtest the candidate kinds over the folds before ``as_of``; the spec is kept for refitting."""
    ready, report = flow.backtest(RW_TASK, folder, as_of, settings, progress, truth, kinds, model_params)
    return ready.spec, report


def train_rw(
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: TruthFn | None = None,
    kinds: Sequence[str] | None = None,
    model_params: Mapping[str, Any] | None = None,
) -> TrainedTask:
    """Backtest, pick the kind, fit on every matured label, and describe the result."""
    return flow.train(RW_TASK, folder, as_of, settings, progress, truth, kinds, model_params)
