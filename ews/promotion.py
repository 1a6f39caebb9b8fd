"""Moving ``@champion``: to the newest registered version when its backtest is not worse.

Separate from :mod:`ews.tracking` (logging and registering, where the first
version of a model is crowned) because promotion is a decision with its own
rule and its own one-sentence answers (``ews promote``). MLflow is imported
inside functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ews.config import TrackingSettings
from ews.exceptions import ModelNotFoundError, TrackingError
from ews.tracking import CHAMPION, alias_version, connect

PROMOTION_METRIC = "backtest.model.precision_at_5pct"


@dataclass(frozen=True)
class Promotion:
    """The outcome of ``promote``: what moved (if anything) and why, in one sentence."""

    name: str
    promoted: bool
    champion_version: int
    candidate_version: int
    message: str


def promote(name: str, settings: TrackingSettings | None = None, metric: str = PROMOTION_METRIC) -> Promotion:
    """Move ``@champion`` to the newest version if its backtest ``metric`` is not worse; say why."""
    mlflow = connect(settings)
    client = mlflow.MlflowClient()
    newest = _newest_version(client, name)
    champion = alias_version(client, name)
    if champion is None:
        client.set_registered_model_alias(name, CHAMPION, str(newest.version))
        return Promotion(
            name,
            True,
            int(newest.version),
            int(newest.version),
            f"{name} had no champion; version {newest.version} is now @{CHAMPION}",
        )
    if int(newest.version) == champion:
        return Promotion(
            name,
            False,
            champion,
            champion,
            f"version {champion} of {name} is already the newest and @{CHAMPION}; nothing to do",
        )
    return _compare_and_move(client, name, champion, newest, metric)


def _newest_version(client: Any, name: str) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        versions = client.search_model_versions(f"name='{name}'")
    except MlflowException as exc:
        raise ModelNotFoundError(f"no registered model named {name!r}; run `ews train DIR` first") from exc
    if not versions:
        raise ModelNotFoundError(f"no registered model named {name!r}; run `ews train DIR` first")
    return max(versions, key=lambda v: int(v.version))


def _run_metric(client: Any, run_id: str, metric: str) -> float:
    value = client.get_run(run_id).data.metrics.get(metric)
    if value is None:
        raise TrackingError(f"run {run_id} has no metric {metric!r}, so its backtest cannot be compared")
    return float(value)


def _compare_and_move(client: Any, name: str, champion: int, newest: Any, metric: str) -> Promotion:
    old = _run_metric(client, client.get_model_version(name, str(champion)).run_id, metric)
    new = _run_metric(client, newest.run_id, metric)
    change = f"{metric} {new:.4f} vs {old:.4f} ({new - old:+.4f})"
    if new >= old:
        client.set_registered_model_alias(name, CHAMPION, str(newest.version))
        return Promotion(
            name,
            True,
            int(newest.version),
            int(newest.version),
            f"version {newest.version} of {name} is now @{CHAMPION} (was {champion}): {change}",
        )
    return Promotion(
        name,
        False,
        champion,
        int(newest.version),
        f"version {newest.version} of {name} stays unpromoted, its backtest is worse: {change}",
    )
