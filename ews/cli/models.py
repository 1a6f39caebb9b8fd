"""``ews train``, ``ews backtest``, ``ews score`` and ``ews promote`` (contract section 3).

Every command validates the folder first, shows progress on stderr, and
writes its output to a temporary file in the target directory that is renamed
into place only when complete. sklearn, shap and MLflow load inside commands.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ews.exceptions import ConfigError, DataError, ModelError, StorageError, TimeRuleError

if TYPE_CHECKING:
    import pandas as pd

    from ews.config import ClusterSettings, TrainSettings
    from ews.data.folder import DataFolder
    from ews.models.backtest import BacktestReport
    from ews.models.task import TrainedTask

console = Console(stderr=True)
DirArg = Annotated[Path, typer.Argument(help="The data folder (contract section 1), CSV or Parquet.")]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="As-of month YYYY-MM (default: the month after the last data).")
]
HorizonOpt = Annotated[int | None, typer.Option("--horizon", help="Label horizon in months (default 1).")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Seed for every random choice (default 0).")]
Trainer = Callable[..., "TrainedTask | str"]
"""Trains one task; a string instead of a task says why it was not trained."""
SHOWN = ("precision_at_5pct", "precision_at_10pct", "precision_flagged", "recall_flagged", "pr_auc", "brier")


def register(app: typer.Typer) -> None:
    """Add the model commands to the ``ews`` app."""
    app.command("train")(train)
    app.command("backtest")(backtest)
    app.command("score")(score)
    app.command("promote")(promote)


def train(directory: DirArg, as_of: AsOfOpt = None, horizon: HorizonOpt = None, seed: SeedOpt = None) -> None:
    """Backtest, train and register the RW-risk and case-reopen models as of a month (MLflow)."""
    from ews.models.reopen import train_reopen
    from ews.models.rw import train_rw
    from ews.tracking import log_task, warm_up

    settings = _settings(horizon=horizon, seed=seed)
    folder = _load(directory)
    month = _as_of(folder, as_of)
    trainers: list[tuple[str, Trainer]] = [
        ("RW risk", train_rw),
        ("case reopen", _optional("case-reopen", train_reopen)),
    ]
    with _progress("training the RW risk and case-reopen models") as step:
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


def backtest(
    directory: DirArg,
    as_of: AsOfOpt = None,
    folds: Annotated[
        int | None, typer.Option("--folds", help="Rolling-origin as-of months (default 6).")
    ] = None,
    horizon: HorizonOpt = None,
    seed: SeedOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the per-fold metrics here (CSV).")] = None,
    truth: Annotated[
        Path | None,
        typer.Option("--truth", help="Truth folder of a synthetic world (default: DIR-truth if present)."),
    ] = None,
) -> None:
    """Temporal backtest of the RW model against baselines (and the truth on synthetic data)."""
    from ews.models import flow
    from ews.models.rw import RW_TASK

    settings = _settings(horizon=horizon, seed=seed, backtest_folds=folds)
    folder = _load(directory)
    month = _as_of(folder, as_of)
    truth_fn = _truth(directory, truth, settings.horizon)
    with _progress("backtesting the RW risk model") as step:
        ready, report = flow.backtest(RW_TASK, folder, month, settings, step, truth_fn)
    for note in ready.notes:
        console.print(note, highlight=False)
    if len(report.left_out):
        console.print(flow.left_out_line(report.left_out), highlight=False)
    typer.echo(_console_table(report))
    if out is not None:
        _write_frame(report.folds, out)
        console.print(f"per-fold metrics written to {out}", highlight=False)


def score(
    directory: DirArg,
    as_of: Annotated[str, typer.Option("--as-of", help="As-of month YYYY-MM to score.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: CSV, or Parquet if it ends in .parquet.")],
    model_uri: Annotated[
        str | None,
        typer.Option("--model-uri", help="MLflow model URI (default: models:/ews-rw-risk@champion)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (e.g. tcp://10.0.0.5:8786, or EWS_DASK_SCHEDULER): build features "
            "and reason codes kota by kota on that cluster; same scores as without it (docs/scale.md).",
        ),
    ] = None,
) -> None:
    """Score every RW with the @champion RW model (or --model-uri) and write FILE."""
    from ews.config import RW_MODEL_NAME, ClusterSettings, build_settings
    from ews.models.scoring import score_rws

    cluster = build_settings(ClusterSettings, dask_scheduler=scheduler)
    with _scorer(cluster, score_rws) as scorer:
        table = score_to_file(directory, as_of, out, model_uri, RW_MODEL_NAME, scorer, "RWs")
    flagged = int(table["flagged"].sum())
    where = f" on the Dask cluster at {cluster.dask_scheduler}" if cluster.dask_scheduler else ""
    console.print(
        f"{len(table)} RWs scored as of {as_of}{where}, {flagged} flagged; written to {out}", highlight=False
    )


@contextmanager
def _scorer(
    cluster: ClusterSettings, in_process: Callable[..., pd.DataFrame]
) -> Iterator[Callable[..., pd.DataFrame]]:
    """``in_process``, or with a scheduler given, the Dask scorer on a client connected up front (so an
    unreachable scheduler fails before the folder is read); the client closes afterwards."""
    if not cluster.dask_scheduler:
        yield in_process
        return
    from ews.distributed.run import connect, score_rws_distributed

    with connect(cluster.dask_scheduler, cluster.dask_timeout) as client:

        def scorer(folder: DataFolder, month: int, model: Any, settings: TrainSettings) -> pd.DataFrame:
            return score_rws_distributed(client, folder, month, model, settings, by=cluster.dask_partition)

        yield scorer


def score_to_file(
    directory: Path,
    as_of: str,
    out: Path,
    model_uri: str | None,
    model_name: str,
    scorer: Callable[..., pd.DataFrame],
    what: str,
) -> pd.DataFrame:
    """What `ews score` and `ews score-cases` share: validate, load, score, write atomically.

    The model is ``model_uri`` when given, else the ``@champion`` of ``model_name``.
    """
    from ews.tracking import load_champion, load_model

    settings = _settings()
    folder = _load(directory)
    month = _score_month(folder, as_of)
    with _progress("loading the model") as step:
        loaded = load_model(model_uri) if model_uri else load_champion(model_name)
        step(f"scoring {what} and explaining scores")
        table = scorer(folder, month, loaded, settings)
    _write_frame(_contract_output(table, out), out)
    return table


def promote(
    model: Annotated[
        str, typer.Option("--model", help="Which model: rw (ews-rw-risk) or reopen (ews-case-reopen).")
    ] = "rw",
) -> None:
    """Move @champion to the newest version if its backtest is not worse; say why either way."""
    from ews.config import REOPEN_MODEL_NAME, RW_MODEL_NAME
    from ews.tracking import promote as promote_version

    names = {"rw": RW_MODEL_NAME, "reopen": REOPEN_MODEL_NAME}
    if model not in names:
        raise ConfigError(f"--model {model!r} is unknown; choose rw or reopen")
    from ews.config import HEADLINE_METRIC

    result = promote_version(names[model], metric=f"backtest.model.{HEADLINE_METRIC[names[model]]}")
    typer.echo(result.message)


def _settings(**overrides: Any) -> TrainSettings:
    from ews.config import TrainSettings, build_settings

    return build_settings(TrainSettings, **overrides)


def _load(directory: Path) -> DataFolder:
    from ews.data.load import load_folder

    if not directory.is_dir():
        raise DataError(f"data folder {directory} does not exist or is not a folder")
    with console.status(f"validating {directory} ..."):
        return load_folder(directory)


def _as_of(folder: DataFolder, text: str | None) -> int:
    from ews.months import parse_month

    return folder.last_month + 1 if text is None else parse_month(text)


def _score_month(folder: DataFolder, text: str) -> int:
    from ews.exceptions import TimeRuleError
    from ews.months import format_month, parse_month

    month = parse_month(text)
    if not folder.first_month < month <= folder.last_month + 1:
        raise TimeRuleError(
            f"as-of month {text} is outside this folder's data; allowed "
            f"{format_month(folder.first_month + 1)} to {format_month(folder.last_month + 1)}"
        )
    return month


def _truth(directory: Path, given: Path | None, horizon: int) -> Callable[[int], pd.Series] | None:
    path = given if given is not None else directory.with_name(directory.name + "-truth")
    if not path.is_dir():
        if given is not None:
            raise DataError(f"truth folder {given} does not exist")
        return None
    from ews.synth.truth import load_truth, rw_probability

    truth = load_truth(path)
    return lambda month: rw_probability(truth, month, horizon)


@contextmanager
def _progress(first: str) -> Iterator[Callable[[str], None]]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(first, total=None)
        yield lambda message: bar.update(task, description=message)


def _console_table(report: BacktestReport) -> str:
    overall = report.overall()
    table = Table(title=f"Backtest over {report.folds['as_of'].nunique()} folds (model: {report.kind})")
    shown = [c for c in (*SHOWN, "truth_ratio_at_5pct") if c in overall.columns]
    for column in ("scorer", *shown):
        table.add_column(column, justify="left" if column == "scorer" else "right")
    for row in overall.to_dict("records"):
        table.add_row(str(row["scorer"]), *(_fmt(row[c]) for c in shown))
    buffer = io.StringIO()
    Console(width=160, file=buffer).print(table)
    return buffer.getvalue()


def _fmt(value: object) -> str:
    return "" if not isinstance(value, int | float) or value != value else f"{value:.3f}"


def _contract_output(table: pd.DataFrame, out: Path) -> pd.DataFrame:
    """CSV spells flags ``true``/``false`` (contract); Parquet keeps booleans."""
    if out.suffix == ".parquet":
        return table
    return table.assign(flagged=table["flagged"].map({True: "true", False: "false"}))


def _write_frame(frame: pd.DataFrame, out: Path) -> None:
    """Write next to ``out`` and rename into place, so no half-written file is ever left."""
    if out.is_dir():
        raise ConfigError(f"output {out} is a folder; give a file name ending in .csv or .parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    try:
        if out.suffix == ".parquet":
            frame.to_parquet(temp, index=False)
        else:
            frame.to_csv(temp, index=False)
        os.replace(temp, out)
    except OSError as exc:
        raise StorageError(f"could not write {out}: {exc}") from exc
    finally:
        if os.path.exists(temp):
            os.remove(temp)
