"""Rolling-origin temporal backtest, generic over tasks (RW risk, case reopen).

For each fold as-of month M the model is trained only on labels that had
matured by M (``spec.labels(M)``), scores the units of M, and is judged
against M's labels as known at the end of the backtest (``known_at``).
Baselines and, on synthetic data, the true probabilities are scored the same
way on the same months, so every number in the report compares like with like.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.exceptions import ModelError, TimeRuleError
from ews.models import metrics as m
from ews.models.columns import left_out_frame
from ews.models.estimator import KINDS, RiskClassifier
from ews.models.jobs import Job, run_jobs
from ews.models.task import Progress, no_progress
from ews.models.tiers import flag_top

KS = (0.05, 0.10)
MODEL = "model"
TRUTH = "truth"
SELECTION_METRIC = "pr_auc"
# Candidate kinds compete on the latest folds only; the winner runs them all.
SELECTION_FOLDS = 2


@dataclass(frozen=True)
class BacktestSpec:
    """What a task hands the backtest; see docs/architecture.md ("Trained tasks")."""

    features: pd.DataFrame
    labels: Callable[[int], pd.Series]
    baselines: pd.DataFrame
    horizon: int = 1
    capacity_groups: pd.Series | None = None
    audit_groups: pd.DataFrame | None = None
    truth: Callable[[int], pd.Series] | None = None
    # Months a label needs after its window to be (nearly) complete: folds are
    # taken that much before the backtest end, so "observed" means near-final.
    maturity: int = 0
    # A teacher's probability of each feature row's label (``ews.models.distill``),
    # which distilled models fit instead of the labels; None for tasks without one.
    soft_targets: pd.Series | None = None
    # Rows (aligned with ``features`` and with every ``labels`` answer) that fits may learn from;
    # None: all. A large panel keeps every RW only in the months it scores (``ews.features.rw.RowSample``).
    fit_rows: npt.NDArray[np.bool_] | None = None


@dataclass(frozen=True)
class FlagRule:
    """The flag list: top ``share`` of units, at most ``capacity`` per capacity group."""

    share: float = 0.05
    capacity: int | None = None


@dataclass(frozen=True)
class BacktestReport:
    """Per-fold metrics for the model, each baseline and the truth; audit; reliability."""

    kind: str
    folds: pd.DataFrame
    audit: pd.DataFrame
    predictions: pd.DataFrame
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Columns each fold's fit left out (``ews.models.columns``): fit, feature, reason.
    left_out: pd.DataFrame = field(default_factory=pd.DataFrame)

    def overall(self) -> pd.DataFrame:
        """Mean of every metric over folds, one row per scorer (model, baselines, truth)."""
        numeric = self.folds.drop(columns=["as_of"]).groupby("scorer", sort=False).mean(numeric_only=True)
        return numeric.reset_index()

    def reliability(self, bins: int = 10) -> pd.DataFrame:
        """The model's reliability curve pooled over folds."""
        return m.reliability_table(self.predictions["score"], self.predictions["label"], bins)

    def summary(self) -> dict[str, float]:
        """Flat ``{"backtest.<scorer>.<metric>": mean}`` for MLflow, plus the pooled calibration ratio."""
        out: dict[str, float] = {}
        for row in self.overall().to_dict("records"):
            scorer = row.pop("scorer")
            out.update({f"backtest.{scorer}.{k}": float(v) for k, v in row.items() if pd.notna(v)})
        observed = float(self.predictions["label"].mean())
        if observed > 0:
            out["backtest.model.calibration_ratio"] = float(self.predictions["score"].mean()) / observed
        out["backtest.folds"] = float(self.folds["as_of"].nunique())
        return out

    def best_baseline(self, metric: str = "precision_at_5pct") -> tuple[str, float]:
        """The baseline with the highest mean ``metric``."""
        table = self.overall()
        rows = table[~table["scorer"].isin([MODEL, TRUTH])]
        best = rows.iloc[int(np.argmax(rows[metric].to_numpy()))]
        return str(best["scorer"]), float(best[metric])


def month_rows(frame: pd.DataFrame, month: int) -> pd.DataFrame:
    """The rows of one as-of month, indexed by key alone."""
    return cast(pd.DataFrame, frame.xs(month, level="as_of"))


def fold_months(spec: BacktestSpec, known_at: int, folds: int) -> list[int]:
    """The latest ``folds`` as-of months whose labels matured by ``known_at`` and that have earlier ones."""
    available = np.unique(spec.features.index.get_level_values("as_of"))
    end = known_at - spec.maturity
    usable = [int(a) for a in available if a + spec.horizon <= end and a > available.min()]
    if len(usable) < folds:
        raise TimeRuleError(
            f"only {len(usable)} as-of months have matured labels before the backtest end; "
            f"{folds} folds were asked for"
        )
    return usable[-folds:]


@dataclass(frozen=True)
class BacktestSetup:
    """How a task is backtested: folds, flag list, candidate models and how hard the machine works.

    ``kinds`` compete on the latest ``selection_folds`` folds (all of them
    when None) by mean PR-AUC, and only the winner runs the rest. ``workers``
    fits run at once (see :func:`run_jobs`); the report is the same for any
    number.
    """

    folds: int
    flag_rule: FlagRule
    model_params: Mapping[str, Any]
    kinds: Sequence[str] = KINDS
    selection_folds: int | None = None
    workers: int = 1


def select_and_backtest(
    spec: BacktestSpec, known_at: int, setup: BacktestSetup, progress: Progress = no_progress
) -> BacktestReport:
    """Backtest every candidate kind; keep the report of the one with the best mean PR-AUC.

    With ``setup.selection_folds`` the kinds compete on that many latest folds
    only (``candidates`` holds those means) and only the winner runs the
    rest: the full report for a fraction of the fits.
    """
    report, _ = _select(spec, known_at, setup, progress, fit=False)
    return report


def backtest_and_fit(
    spec: BacktestSpec, known_at: int, setup: BacktestSetup, progress: Progress = no_progress
) -> tuple[BacktestReport, RiskClassifier]:
    """:func:`select_and_backtest`, and the winner fitted on every label matured by ``known_at``.

    The final fit needs only the winning kind, so it runs beside the winner's
    remaining folds instead of after them.
    """
    report, model = _select(spec, known_at, setup, progress, fit=True)
    assert model is not None  # fit=True always fits
    return report, model


def _select(
    spec: BacktestSpec, known_at: int, setup: BacktestSetup, progress: Progress, fit: bool
) -> tuple[BacktestReport, RiskClassifier | None]:
    months = trainable_folds(spec, fold_months(spec, known_at, setup.folds))
    chosen_months = months[-setup.selection_folds :] if setup.selection_folds else months
    final_labels = spec.labels(known_at)
    rule = setup.flag_rule
    jobs = [
        _fold_job(spec, final_labels, rule, {**setup.model_params, "kind": k}, m)
        for k in setup.kinds
        for m in chosen_months
    ]
    done = iter(run_jobs(jobs, progress, setup.workers))
    trials = {kind: [next(done) for _ in chosen_months] for kind in setup.kinds}
    reports = {kind: _report(kind, results) for kind, results in trials.items()}
    rows = [{"kind": k, **r.overall().set_index("scorer").loc[MODEL].to_dict()} for k, r in reports.items()]
    candidates = pd.DataFrame(rows)
    chosen = str(candidates["kind"].iloc[int(np.argmax(candidates[SELECTION_METRIC].to_numpy()))])
    params = {**setup.model_params, "kind": chosen}
    rest: list[Job] = [
        _fold_job(spec, final_labels, rule, params, m) for m in months if m not in chosen_months
    ]
    if fit:
        final = partial(fit_on_matured, spec, known_at, params)
        rest.insert(0, (f"fitting the {chosen} model on every label matured by {_month(known_at)}", final))
    outcomes = run_jobs(rest, progress, setup.workers)
    model = outcomes.pop(0) if fit else None
    best = _report(chosen, sorted(outcomes + trials[chosen], key=lambda r: int(r[0]["as_of"].iloc[0])))
    return BacktestReport(chosen, best.folds, best.audit, best.predictions, candidates, best.left_out), model


def run_backtest(
    spec: BacktestSpec,
    known_at: int,
    folds: int,
    flag_rule: FlagRule,
    model_params: Mapping[str, Any],
    progress: Progress = no_progress,
    workers: int = 1,
) -> BacktestReport:
    """Rolling-origin backtest of one model configuration."""
    final_labels = spec.labels(known_at)
    months = trainable_folds(spec, fold_months(spec, known_at, folds))
    jobs = [_fold_job(spec, final_labels, flag_rule, model_params, month) for month in months]
    return _report(str(model_params.get("kind", "")), run_jobs(jobs, progress, workers))


FoldResult = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]
"""Per fold: metrics per scorer, audit, predictions, columns left out."""


def trainable_folds(spec: BacktestSpec, months: list[int]) -> list[int]:
    """``months`` without the leading folds whose matured training labels lack a case or a non-case.

    A later fold learns from a superset of an earlier one's labels, so once
    one fold has both classes every later one does. A short or sparse folder
    may lose its earliest folds this way; with none left the task cannot be
    backtested, said in one sentence.
    """
    for position, month in enumerate(months):
        labels = spec.labels(month)
        if labels[labels.index.get_level_values("as_of") < month].nunique() >= 2:
            return months[position:]
    raise ModelError(
        f"no backtest fold up to {_month(months[-1]) if months else 'the as-of month'} has matured "
        "training labels with both a case and no case; the folder holds too few labelled months"
    )


def _fold_job(
    spec: BacktestSpec,
    final_labels: pd.Series,
    flag_rule: FlagRule,
    params: Mapping[str, Any],
    month: int,
) -> Job:
    label = f"backtest {params.get('kind', '')} fold {_month(month)}"
    return label, partial(_fold, spec, month, final_labels, flag_rule, params)


def _report(kind: str, results: Sequence[FoldResult]) -> BacktestReport:
    return BacktestReport(
        kind=kind,
        folds=pd.concat([r[0] for r in results], ignore_index=True),
        audit=pd.concat([r[1] for r in results], ignore_index=True),
        predictions=pd.concat([r[2] for r in results], ignore_index=True),
        left_out=pd.concat([r[3] for r in results], ignore_index=True),
    )


def fit_on_matured(spec: BacktestSpec, known_at: int, model_params: Mapping[str, Any]) -> RiskClassifier:
    """Fit a RiskClassifier on every row whose label had matured by ``known_at``."""
    labels = spec.labels(known_at)
    matured = np.asarray(labels.index.get_level_values("as_of") < known_at)
    if spec.fit_rows is not None and _aligned(spec, labels):
        # Positional: labels are the features' leading rows (a .loc on millions of rows is slow).
        keep = matured & spec.fit_rows[: len(labels)]
        labels, X = labels[keep], spec.features.iloc[: len(keep)][keep]
        soft = None if spec.soft_targets is None else spec.soft_targets.iloc[: len(keep)][keep]
    else:
        if spec.fit_rows is not None:
            sampled = pd.Series(spec.fit_rows, index=spec.features.index)
            matured &= sampled.reindex(labels.index, fill_value=False).to_numpy(dtype=bool)
        labels = labels[matured]
        X = spec.features.loc[labels.index]
        soft = None if spec.soft_targets is None else spec.soft_targets.reindex(labels.index)
    return RiskClassifier(**model_params).fit(X, labels.to_numpy(), soft_targets=soft)


def _aligned(spec: BacktestSpec, labels: pd.Series) -> bool:
    """Whether ``labels`` are the leading rows of ``spec.features`` (same keys, same order)."""
    n, rows, given = len(labels), spec.features.index, labels.index
    same = n <= len(rows) and isinstance(rows, pd.MultiIndex) and isinstance(given, pd.MultiIndex)
    if same:  # compare level codes: MultiIndex.equals builds tuples, slow on millions of rows
        rows, given = cast(pd.MultiIndex, rows), cast(pd.MultiIndex, given)
        same = all(a.equals(b) for a, b in zip(rows.levels, given.levels, strict=True)) and all(
            np.array_equal(a[:n], b) for a, b in zip(rows.codes, given.codes, strict=True)
        )
    return same


def _fold(
    spec: BacktestSpec,
    month: int,
    final_labels: pd.Series,
    flag_rule: FlagRule,
    model_params: Mapping[str, Any],
) -> FoldResult:
    model = fit_on_matured(spec, month, model_params)
    X = month_rows(spec.features, month)
    labels = final_labels.xs(month, level="as_of").reindex(X.index).fillna(0).astype(np.int64)
    scores = pd.Series(model.predict_proba(X)[:, 1], index=X.index)
    truth = spec.truth(month) if spec.truth is not None else None
    flags = flag_top(scores, flag_rule.share, spec.capacity_groups, flag_rule.capacity)
    rows = [
        {
            "scorer": MODEL,
            **_score_metrics(scores, labels, truth, flags),
            **m.calibration_metrics(scores, labels),
        }
    ]
    for name in spec.baselines.columns:
        base = spec.baselines[name].xs(month, level="as_of").reindex(X.index).fillna(0.0)
        base_flags = flag_top(base, flag_rule.share, spec.capacity_groups, flag_rule.capacity)
        rows.append({"scorer": str(name), **_score_metrics(base, labels, truth, base_flags)})
    if truth is not None:
        best = truth.reindex(X.index).fillna(0.0)
        best_flags = flag_top(best, flag_rule.share, spec.capacity_groups, flag_rule.capacity)
        rows.append({"scorer": TRUTH, **_score_metrics(best, labels, truth, best_flags)})
    table = pd.DataFrame(rows)
    table.insert(0, "as_of", month)
    predictions = pd.DataFrame(
        {
            "as_of": month,
            "key": X.index.astype(str),
            "score": scores.to_numpy(),
            "label": labels.to_numpy(),
            "flagged": flags.to_numpy(),
        }
    )
    left_out = left_out_frame(f"fold {_month(month)}", model.left_out_)
    return table, _audit(spec, month, flags, labels), predictions, left_out


def _score_metrics(
    scores: pd.Series, labels: pd.Series, truth: pd.Series | None, flags: pd.Series
) -> dict[str, float]:
    out = {**m.ranking_metrics(scores, labels, KS), **m.flag_metrics(flags, labels)}
    if truth is not None:
        for k in KS:
            out.update(m.truth_metrics(scores, truth, k))
    return out


def _audit(spec: BacktestSpec, month: int, flags: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Flag rate, precision and recall of the flag list within each audit group."""
    if spec.audit_groups is None:
        return pd.DataFrame()
    return m.audit_table(month_rows(spec.audit_groups, month).reindex(flags.index), month, flags, labels)


def _month(month: int) -> str:
    from ews.months import format_month

    return format_month(month)
