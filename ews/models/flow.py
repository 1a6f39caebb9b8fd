"""One training flow for every task: plan the history, describe the task, backtest, fit, describe the result.

A task (the RW risk model in :mod:`ews.models.rw`, the case-reopen model in
:mod:`ews.models.reopen`) is a :class:`TaskDefinition`: how to build its
:class:`~ews.models.backtest_types.BacktestSpec` from the as-of months it needs,
its model parameters, its flag rule, and optional hooks (a teacher for
distillation, extra metrics and tables). Everything else lives here once,
for both: the as-of bounds, the history plan for short folders
(:mod:`ews.models.plan`), the candidate backtest, the final fit, the list of
columns left out of fits (:mod:`ews.models.columns`) and the notes the
command line prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ews.config import TrainSettings
from ews.data.folder import DataFolder, known_as_of
from ews.data.profile import profile_folder
from ews.exceptions import TimeRuleError
from ews.models.backtest import SELECTION_FOLDS, BacktestSetup, backtest_and_fit, select_and_backtest
from ews.models.backtest_types import BacktestReport, BacktestSpec, FlagRule
from ews.models.columns import LEFT_OUT_COLUMNS, left_out_frame
from ews.models.estimator import KINDS, RiskClassifier
from ews.models.plan import HistoryPlan, plan_history
from ews.models.task import Progress, TrainedTask, no_progress
from ews.months import format_month


@dataclass(frozen=True)
class Prepared:
    """A task ready for the backtest: its spec, parameters, flag rule, plan, and what was said so far."""

    spec: BacktestSpec
    params: dict[str, Any]
    rule: FlagRule
    plan: HistoryPlan
    kinds: tuple[str, ...]
    notes: tuple[str, ...] = ()
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEFT_OUT_COLUMNS))


@dataclass(frozen=True)
class Extras:
    """What a task adds to the generic result: metrics, tables and Markdown for the model card."""

    metrics: Mapping[str, float] = field(default_factory=dict)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    card: str = ""


@dataclass(frozen=True)
class TaskDefinition:
    """One trainable task, as the flow needs it (module docstring)."""

    registered_name: str
    what: str
    span: Callable[[TrainSettings], int]
    """Months a label needs after its as-of month (``BacktestSpec.horizon``)."""
    maturity: int
    """Months after the span before a label counts as near-final (shrunk for short folders)."""
    logged_horizon: Callable[[TrainSettings], int]
    build_spec: Callable[[DataFolder, list[int], TrainSettings, Any, Sequence[int]], BacktestSpec]
    """Features, labels and baselines for the as-of months; every unit is kept in the evaluated
    months (folds and the as-of month), a task may sample units in the others."""
    params: Callable[[DataFolder, int, TrainSettings, BacktestSpec, Mapping[str, Any] | None], dict[str, Any]]
    flag_rule: Callable[[TrainSettings], FlagRule]
    teach: Callable[[DataFolder, Prepared, int, TrainSettings, Progress], Prepared] | None = None
    extras: Callable[[BacktestSpec, BacktestReport, TrainSettings], Extras] | None = None
    logged: Mapping[str, Any] = field(default_factory=dict)
    kinds: tuple[str, ...] = KINDS
    """The candidate model kinds the backtest chooses between (``ews.models.estimator``)."""


def check_as_of(folder: DataFolder, as_of: int, what: str) -> None:
    """Raise ``TimeRuleError`` for an as-of month after the month following the folder's last data."""
    if as_of > folder.last_month + 1:
        raise TimeRuleError(
            f"as-of month {format_month(as_of)} is after what this folder allows for the {what} model: "
            f"its data end in {format_month(folder.last_month)}, so the latest as-of month is "
            f"{format_month(folder.last_month + 1)}"
        )


def prepare(
    task: TaskDefinition,
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: Any = None,
    model_params: Mapping[str, Any] | None = None,
    kinds: Sequence[str] | None = None,
) -> Prepared:
    """Plan the history, build the spec on the planned months, set parameters, fit a teacher if any."""
    check_as_of(folder, as_of, task.what)
    plan = plan_history(folder.first_month, as_of, settings, task.span(settings), task.maturity, task.what)
    if plan.note:
        progress(plan.note)
    progress(f"building {task.what} features and labels")
    months = list(range(folder.first_month + plan.warmup, as_of + 1))
    evaluated = evaluated_months(months, as_of, task.span(settings), plan)
    spec = replace(task.build_spec(folder, months, settings, truth, evaluated), maturity=plan.maturity)
    params = task.params(folder, as_of, settings, spec, model_params)
    candidates = tuple(kinds or task.kinds)
    notes = (plan.note,) if plan.note else ()
    prepared = Prepared(spec, params, task.flag_rule(settings), plan, candidates, notes)
    if task.teach is not None and params.get("distill") and "hgb" in candidates:
        prepared = task.teach(folder, prepared, as_of, settings, progress)
    return prepared


def evaluated_months(months: Sequence[int], as_of: int, span: int, plan: HistoryPlan) -> list[int]:
    """The months the backtest scores (``fold_months``' candidates: the latest ``plan.folds`` whose
    labels mature by ``as_of``, after the first) and ``as_of`` itself."""
    usable = [m for m in months if m + span <= as_of - plan.maturity and m > min(months)]
    return [*usable[max(len(usable) - plan.folds, 0) :], as_of]


def backtest(
    task: TaskDefinition,
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: Any = None,
    kinds: Sequence[str] | None = None,
    model_params: Mapping[str, Any] | None = None,
) -> tuple[Prepared, BacktestReport]:
    """Backtest the candidate kinds over the planned folds before ``as_of``."""
    ready = prepare(task, folder, as_of, settings, progress, truth, model_params, kinds)
    report = select_and_backtest(ready.spec, as_of, setup(ready, settings), progress)
    return ready, report


def train(
    task: TaskDefinition,
    folder: DataFolder,
    as_of: int,
    settings: TrainSettings,
    progress: Progress = no_progress,
    truth: Any = None,
    kinds: Sequence[str] | None = None,
    model_params: Mapping[str, Any] | None = None,
) -> TrainedTask:
    """Backtest, pick the kind, fit on every matured label, and describe the result."""
    ready = prepare(task, folder, as_of, settings, progress, truth, model_params, kinds)
    report, model = backtest_and_fit(ready.spec, as_of, setup(ready, settings), progress)
    progress(f"explaining and plotting the {task.what} model")
    return describe(task, ready, report, model, known_as_of(folder, as_of), as_of, settings)


def describe(
    task: TaskDefinition,
    ready: Prepared,
    report: BacktestReport,
    model: RiskClassifier,
    known: DataFolder,
    as_of: int,
    settings: TrainSettings,
) -> TrainedTask:
    """Metrics, figures, tables, notes and card of a trained task; ``known``: the folder as of ``as_of``."""
    from ews.models.card import model_card
    from ews.models.plots import task_figures

    extras = task.extras(ready.spec, report, settings) if task.extras is not None else Extras()
    left_out = all_left_out(ready, report, model)
    profile = profile_folder(known)
    current = rows_of_month(ready.spec.features, as_of)
    result = TrainedTask(
        registered_name=task.registered_name,
        model=model,
        feature_names=tuple(str(c) for c in model.feature_names_in_),
        report=report,
        metrics={**report.summary(), **extras.metrics},
        as_of=as_of,
        horizon=task.logged_horizon(settings),
        data_fingerprint=model.data_fingerprint_,
        params=_logged(task, ready, model, as_of, settings),
        figures=task_figures(report, model, current) if len(current) else {},
        tables={
            **report_tables(report),
            **extras.tables,
            "left_out_columns.csv": left_out,
            "data_profile.csv": pd.DataFrame([signal.as_dict() for signal in profile.signals]),
        },
        notes=(*ready.notes, *([left_out_line(left_out)] if len(left_out) else [])),
    )
    return replace(result, card=model_card(result) + extras.card + "\n" + profile.markdown())


def _logged(
    task: TaskDefinition, ready: Prepared, model: RiskClassifier, as_of: int, settings: TrainSettings
) -> dict[str, Any]:
    """Settings, model parameters and the history plan actually used, for MLflow."""
    return {
        **settings.model_dump(),
        **model.get_params(),
        **task.logged,
        "as_of": format_month(as_of),
        "warmup_months": ready.plan.warmup,
        "backtest_folds": ready.plan.folds,
        "label_maturity": ready.plan.maturity,
    }


def setup(ready: Prepared, settings: TrainSettings) -> BacktestSetup:
    """The backtest of a prepared task: planned folds, flag rule, parameters; kinds compete on 2 folds."""
    return BacktestSetup(
        ready.plan.folds, ready.rule, ready.params, ready.kinds, SELECTION_FOLDS, settings.workers
    )


def rows_of_month(features: pd.DataFrame, month: int) -> pd.DataFrame:
    """The rows of one as-of month indexed by key alone (empty when the month has none)."""
    return features[features.index.get_level_values("as_of") == month].droplevel("as_of")


def report_tables(report: BacktestReport) -> dict[str, pd.DataFrame]:
    """The backtest tables logged as CSV artifacts."""
    return {
        "backtest_folds.csv": report.folds,
        "backtest_overall.csv": report.overall(),
        "backtest_audit.csv": report.audit,
        "reliability.csv": report.reliability(),
        "model_candidates.csv": report.candidates,
    }


def all_left_out(ready: Prepared, report: BacktestReport, model: RiskClassifier) -> pd.DataFrame:
    """Columns left out by the teacher, every backtest fold and the final fit."""
    final = left_out_frame("final fit", getattr(model, "left_out_", {}))
    frames = [f for f in (ready.left_out, report.left_out, final) if len(f)]
    if not frames:
        return pd.DataFrame(columns=LEFT_OUT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def left_out_line(left_out: pd.DataFrame, shown: int = 6) -> str:
    """One line naming what some fit left out: a signal's columns grouped under the signal's name."""
    groups: dict[str, set[str]] = {}
    for feature, fit in zip(left_out["feature"], left_out["fit"], strict=True):
        groups.setdefault(_source_of(str(feature)), set()).add(str(fit))
    names = [f"{name} ({len(fits)} fit{'s' if len(fits) != 1 else ''})" for name, fits in groups.items()]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return (
        f"left out where empty or constant in the fitting window: {', '.join(names[:shown])}{more} "
        "(details: left_out_columns.csv in the MLflow run)"
    )


def _source_of(feature: str) -> str:
    """``signal__<name>__<stat>`` -> ``signal <name>``; any other feature is its own group."""
    parts = feature.split("__")
    return f"signal {parts[1]}" if len(parts) == 3 and parts[0] == "signal" else feature
