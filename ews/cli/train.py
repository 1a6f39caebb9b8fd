"""``ews train``: backtest, train and register the RW-risk and case-reopen models (contract section 3).

The two models train side by side on threads while MLflow opens its store on
a third; a folder the case-reopen model cannot learn from still gets its RW
model. sklearn, shap and MLflow load inside the command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ews.cli.common import (
    AsOfOpt,
    DirArg,
    HorizonOpt,
    SeedOpt,
    as_of_month,
    console,
    progress,
    train_settings,
    validated_folder,
)
from ews.exceptions import ModelError, TimeRuleError

if TYPE_CHECKING:
    from ews.config import TrainSettings
    from ews.data.folder import DataFolder
    from ews.models.task import TrainedTask

Trainer = Callable[..., "TrainedTask | str"]
"""Trains one task; a string instead of a task says why it was not trained."""


def train(directory: DirArg, as_of: AsOfOpt = None, horizon: HorizonOpt = None, seed: SeedOpt = None) -> None:
    """Backtest, train and register the RW-risk and case-reopen models as of a month (MLflow)."""
    from ews.models.reopen import train_reopen
    from ews.models.rw import train_rw
    from ews.tracking import log_task, warm_up

    settings = train_settings(horizon=horizon, seed=seed)
    folder = validated_folder(directory)
    month = as_of_month(folder, as_of)
    trainers: list[tuple[str, Trainer]] = [
        ("RW risk", train_rw),
        ("case reopen", _optional("case-reopen", train_reopen)),
    ]
    with progress("training the RW risk and case-reopen models") as step:
        outcomes = _side_by_side(trainers, folder, month, settings, step, warm_up)
        tasks = [task for task in outcomes if not isinstance(task, str)]
        versions = []
        for task in tasks:
            step(f"logging {task.registered_name} to MLflow")
            versions.append(log_task(task))
    for skipped in (o for o in outcomes if isinstance(o, str)):
        console.print(skipped, highlight=False)
    for task, version in zip(tasks, versions, strict=True):
        for note in task.notes:
            console.print(f"{task.registered_name}: {note}", highlight=False)
        crowned = " and is now @champion" if version.champion else "; run `ews promote` to make it @champion"
        console.print(
            _train_line(task) + f"; registered as version {version.version}{crowned}", highlight=False
        )


def _side_by_side(
    trainers: list[tuple[str, Trainer]],
    folder: DataFolder,
    month: int,
    settings: TrainSettings,
    step: Callable[[str], None],
    beside: Callable[[], object],
) -> list[TrainedTask | str]:
    """Train the models on threads at once, with ``beside`` (opening the MLflow store) on a third.

    Each training has stretches on one core (features, the teacher, the final
    explanation) that the others fill, which keeps ``ews train`` within its
    time budget; ``beside`` finishes before this returns and its error, if
    any, is raised.
    """
    from concurrent.futures import ThreadPoolExecutor

    # A folder past the fit budget trains its models one after the other: side by side, their
    # memory adds up (national size: two tasks' matrices at once pass 10 GB).
    large = len(folder.regions) * (folder.last_month - folder.first_month + 1) > settings.max_fit_rows
    at_once = 1 if large else len(trainers)
    with ThreadPoolExecutor(max_workers=at_once + 1, thread_name_prefix="ews-train") as pool:
        opened = pool.submit(beside)
        futures = [
            pool.submit(train, folder, month, settings, lambda m, name=name: step(f"{name}: {m}"))
            for name, train in trainers
        ]
        tasks = [future.result() for future in futures]
        opened.result()
        return tasks


def _optional(what: str, trainer: Callable[..., TrainedTask]) -> Trainer:
    """``trainer``, except that a folder it cannot train on gives one line instead of stopping the others.

    The case-reopen model needs status events and enough reopenings; a folder
    without them still gets its RW risk model (contract section 1: a folder
    with no case_events rows is valid).
    """

    def run(*args: Any) -> TrainedTask | str:
        try:
            return trainer(*args)
        except (ModelError, TimeRuleError) as exc:
            return f"{what} model not trained: {exc}"

    return run


def _train_line(task: TrainedTask) -> str:
    from ews.config import HEADLINE_METRIC

    metric = HEADLINE_METRIC.get(task.registered_name, "precision_at_5pct")
    scores = {
        key.split(".")[1]: value
        for key, value in task.metrics.items()
        if key.startswith("backtest.") and key.endswith(f".{metric}")
    }
    baselines = {k: v for k, v in scores.items() if k not in ("model", "truth")}
    best = max(baselines, key=lambda k: baselines[k]) if baselines else "none"
    label = metric.replace("precision_at_", "precision@").replace("pct", "%")
    model = scores.get("model", float("nan"))
    line = f"{task.registered_name} ({task.model.kind}): backtest {label} {model:.3f}"
    return line + (f" vs best baseline {best} {baselines[best]:.3f}" if baselines else "")
