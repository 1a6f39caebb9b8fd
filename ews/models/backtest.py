"""Rolling-origin temporal backtest, generic over tasks (RW risk, case reopen).

For each fold as-of month M the model is trained only on labels that had
matured by M (``spec.labels(M)``), scores the units of M, and is judged
against M's labels as known at the end of the backtest (``known_at``).
Baselines and, on synthetic data, the true probabilities are scored the same
way on the same months, so every number in the report compares like with like.

This module chooses the folds and the model kind and runs the fits; what a
backtest takes and gives is in :mod:`ews.models.backtest_types`, one fold's
fit and metrics in :mod:`ews.models.backtest_fold`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ews.exceptions import ModelError, TimeRuleError
from ews.models.backtest_fold import evaluate_fold, fit_on_matured
from ews.models.backtest_types import MODEL, BacktestReport, BacktestSpec, FlagRule, FoldResult
from ews.models.estimator import KINDS, RiskClassifier
from ews.models.jobs import Job, run_jobs
from ews.models.task import Progress, no_progress

SELECTION_METRIC = "pr_auc"
# Candidate kinds compete on the latest folds only; the winner runs them all.
SELECTION_FOLDS = 2


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
    return label, partial(evaluate_fold, spec, month, final_labels, flag_rule, params)


def _report(kind: str, results: Sequence[FoldResult]) -> BacktestReport:
    return BacktestReport(
        kind=kind,
        folds=pd.concat([r[0] for r in results], ignore_index=True),
        audit=pd.concat([r[1] for r in results], ignore_index=True),
        predictions=pd.concat([r[2] for r in results], ignore_index=True),
        left_out=pd.concat([r[3] for r in results], ignore_index=True),
    )


def _month(month: int) -> str:
    from ews.months import format_month

    return format_month(month)
