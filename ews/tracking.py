"""The MLflow edge: open the store, log trained tasks, register models, read their runs back.

MLflow is imported inside functions (it costs seconds). The tracking URI comes
from ``MLFLOW_TRACKING_URI`` (default ``sqlite:///mlruns/mlflow.db``); a SQLite
store needs its directory to exist, so it is created first. Models are saved
with the skops format, and loaded trusting exactly :data:`SKOPS_TYPES`, an
allow-list kept here, never the list the artifact carries (a crafted model could
whitelist anything there), so loading never unpickles arbitrary code; and with
explicit ``pip_requirements`` (MLflow's
guessing costs seconds per model).

Loading a registered model back is :mod:`ews.model_loading`, moving
``@champion`` is :mod:`ews.promotion`; both open the store and read the
alias through :func:`connect` and :func:`alias_version` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ews.config import TrackingSettings, build_settings
from ews.exceptions import ModelError, ModelNotFoundError, TrackingError
from ews.models.estimator import RiskClassifier
from ews.models.task import TrainedTask

EXPERIMENT = "ews"
CHAMPION = "champion"
# The types skops does not trust by itself that an ews RiskClassifier holds: found with
# ``skops.io.get_untrusted_types`` on trained models of every kind (logit, hgb, counts,
# distilled hgb) and calibration. A model holding anything else is refused, when logged and
# when loaded; add a type here only after checking that loading it runs no foreign code.
SKOPS_TYPES: Final = frozenset(
    {
        "ews.models.estimator.RiskClassifier",
        "ews.models.linear.LogAugment",
        "numpy.dtype",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    }
)


@dataclass(frozen=True)
class ModelVersionInfo:
    """A registered model version and whether it is now the champion."""

    name: str
    version: int
    run_id: str
    model_id: str
    champion: bool


@dataclass(frozen=True)
class RunRecord:
    """What ``log_task`` kept about the run behind one registered version.

    ``metrics`` and ``params`` as logged, ``tags`` (``ews.as_of`` is the month
    index, ``ews.kind``, ``ews.model_id``), and ``tables``: the CSV text of each
    ``backtest/<file>`` artifact that was asked for and exists.
    """

    name: str
    version: int
    run_id: str
    metrics: dict[str, float]
    params: dict[str, str]
    tags: dict[str, str]
    tables: dict[str, str]


def connect(settings: TrackingSettings | None = None) -> Any:
    """The ``mlflow`` module, pointed at the configured tracking URI (a SQLite store's folder created)."""
    import mlflow

    settings = settings or build_settings(TrackingSettings)
    uri = settings.mlflow_tracking_uri
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    return mlflow


def _experiment_id(mlflow: Any, settings: TrackingSettings | None) -> str:
    settings = settings or build_settings(TrackingSettings)
    found = mlflow.get_experiment_by_name(EXPERIMENT)
    if found is not None:
        return str(found.experiment_id)
    location = Path(settings.artifact_root).resolve().as_uri()
    return str(mlflow.create_experiment(EXPERIMENT, artifact_location=location))


def warm_up(settings: TrackingSettings | None = None) -> str:
    """Import MLflow and open (on first use: create and migrate) the store and the experiment.

    ``ews train`` runs this beside the training, which would otherwise wait
    for it at the end: on a fresh SQLite store it takes about 6 s.
    """
    try:
        return _experiment_id(connect(settings), settings)
    except Exception as exc:
        raise TrackingError(f"MLflow could not open its store: {exc}") from exc


def log_task(task: TrainedTask, settings: TrackingSettings | None = None) -> ModelVersionInfo:
    """Log params, metrics, figures, tables, card and model; register; crown the first version."""
    try:
        mlflow = connect(settings)
        with mlflow.start_run(
            experiment_id=_experiment_id(mlflow, settings), run_name=task.registered_name
        ) as run:
            _log_run(mlflow, task)
            version = _log_model(mlflow, task)
        return _register(mlflow, task, run.info.run_id, version)
    except Exception as exc:
        if isinstance(exc, TrackingError):
            raise
        raise TrackingError(f"MLflow could not log {task.registered_name}: {exc}") from exc


def _log_run(mlflow: Any, task: TrainedTask) -> None:
    mlflow.log_params({k: str(v)[:500] for k, v in task.params.items()})
    mlflow.log_metrics({k: float(v) for k, v in task.metrics.items()})
    mlflow.set_tags(
        {
            "ews.task": task.registered_name,
            "ews.model_id": task.model.model_id_,
            "ews.data_fingerprint": task.data_fingerprint,
            "ews.as_of": str(task.as_of),
            "ews.kind": task.model.kind,
            **_left_out_tags(task),
        }
    )
    for name, figure in task.figures.items():
        mlflow.log_figure(figure, f"plots/{name}")
    for name, table in task.tables.items():
        mlflow.log_text(table.to_csv(index=False), f"backtest/{name}")
    mlflow.log_text(task.card, "model_card.md")


def _left_out_tags(task: TrainedTask) -> dict[str, str]:
    """The columns some fit left out (empty or constant in its window) and the run's notes, as tags.

    MLflow caps a tag at 8,000 characters; the full table is the
    ``backtest/left_out_columns.csv`` artifact.
    """
    table = task.tables.get("left_out_columns.csv")
    names = sorted(set(table["feature"])) if table is not None and len(table) else []
    tags = {"ews.left_out_columns": ", ".join(names)[:7000] or "none"}
    if task.notes:
        tags["ews.notes"] = " | ".join(task.notes)[:7000]
    return tags


def _pip_requirements() -> list[str]:
    from importlib.metadata import version

    return [f"{p}=={version(p)}" for p in ("scikit-learn", "numpy", "pandas", "scipy", "skops")]


def _trusted_types(model: RiskClassifier) -> list[str]:
    """Types inside this model that skops would otherwise refuse to load; ``ModelError`` when one is
    outside :data:`SKOPS_TYPES` (such a model could never be loaded back)."""
    import skops.io

    found = skops.io.get_untrusted_types(data=skops.io.dumps(model))
    _check_types(found, f"the {type(model).__name__} being logged")
    return sorted(found)


def _check_types(found: list[str], what: str) -> None:
    extra = sorted(set(found) - SKOPS_TYPES)
    if extra:
        raise ModelError(
            f"{what} holds types outside the allow-list ews.tracking.SKOPS_TYPES "
            f"({', '.join(extra)}); allowed: {', '.join(sorted(SKOPS_TYPES))}"
        )


def load_skops(path: Path, uri: str) -> Any:
    """The object in the skops file ``path``, trusting exactly :data:`SKOPS_TYPES`.

    The file's types are read (``get_untrusted_types`` reads the schema, loading nothing) and
    any type outside the allow-list refuses the whole model with ``ModelError``.
    """
    import skops.io

    _check_types(skops.io.get_untrusted_types(file=path), f"the model at {uri!r}")
    return skops.io.load(path, trusted=sorted(SKOPS_TYPES))


def _log_model(mlflow: Any, task: TrainedTask) -> Any:
    from mlflow.sklearn import log_model

    info = log_model(
        task.model,
        name="model",
        serialization_format="skops",
        skops_trusted_types=_trusted_types(task.model),
        pip_requirements=_pip_requirements(),
        registered_model_name=task.registered_name,
        await_registration_for=0,
    )
    return info.registered_model_version


def _register(mlflow: Any, task: TrainedTask, run_id: str, version: Any) -> ModelVersionInfo:
    client = mlflow.MlflowClient()
    number = int(version)
    client.set_model_version_tag(task.registered_name, str(number), "ews.model_id", task.model.model_id_)
    crowned = alias_version(client, task.registered_name) is None
    if crowned:
        client.set_registered_model_alias(task.registered_name, CHAMPION, str(number))
    return ModelVersionInfo(task.registered_name, number, run_id, task.model.model_id_, crowned)


def alias_version(client: Any, name: str) -> int | None:
    """The version of ``name`` that holds ``@champion``, or None when none does."""
    from mlflow.exceptions import MlflowException

    try:
        return int(client.get_model_version_by_alias(name, CHAMPION).version)
    except MlflowException:
        return None


def read_run_record(
    name: str, version: int | str, tables: tuple[str, ...] = (), settings: TrackingSettings | None = None
) -> RunRecord:
    """Metrics, params, tags and the named backtest CSVs of the run behind ``name`` version ``version``."""
    mlflow = connect(settings)
    from mlflow.exceptions import MlflowException

    try:
        client = mlflow.MlflowClient()
        run_id = str(client.get_model_version(name, str(version)).run_id)
        data = client.get_run(run_id).data
    except MlflowException as exc:
        raise ModelNotFoundError(f"version {version} of {name} has no readable MLflow run: {exc}") from exc
    texts = {t: text for t in tables if (text := _artifact_text(mlflow, run_id, f"backtest/{t}")) is not None}
    return RunRecord(
        name, int(version), run_id, dict(data.metrics), dict(data.params), dict(data.tags), texts
    )


def _artifact_text(mlflow: Any, run_id: str, path: str) -> str | None:
    """A text artifact of the run, or None when it was never logged (older runs, other tasks)."""
    try:
        return str(mlflow.artifacts.load_text(f"runs:/{run_id}/{path}"))
    except Exception:  # MLflow raises several unrelated types for a missing artifact
        return None
