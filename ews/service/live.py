"""Models the service holds in memory: loaded once at start-up, swapped whole on reload.

Published RW scores come from the database, so the only live model is the
case-reopen scorer behind ``POST /v1/cases/reopen-risk``; the RW champion is
described (version, training month, backtest, bias audit) but not loaded.
The descriptions are read from MLflow once per load. ``LiveModels`` is
immutable: a reload builds a new one and replaces the reference on
``app.state`` in one assignment, so a request that already holds the old one
finishes with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from ews.config import REOPEN_MODEL_NAME, RW_MODEL_NAME, ServeSettings, TrackingSettings, build_settings
from ews.exceptions import ModelNotFoundError
from ews.service.model_schemas import ModelInfo

log = logging.getLogger("ews.api")


class CaseScorer(Protocol):
    """What the service needs from the reopen model (``ews.models.reopen.ReopenScorer``)."""

    def score_parts(self, payload: Any, as_of: Any = None) -> Any: ...


@dataclass(frozen=True)
class LiveModels:
    """The live reopen scorer (None when no champion is registered) and every champion's description."""

    reopen: CaseScorer | None = None
    info: tuple[ModelInfo, ...] = ()
    loaded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @cached_property
    def reopen_info(self) -> ModelInfo:
        """The reopen model as a live score names it (its evaluation stays on ``GET /v1/models``)."""
        found = next((m for m in self.info if m.name == REOPEN_MODEL_NAME), None)
        if found is None:
            return ModelInfo(name=REOPEN_MODEL_NAME, version=None)
        return found.model_copy(update={"backtest": None, "bias_audit": None})

    def require_reopen(self) -> CaseScorer:
        """The reopen scorer; raise ``ModelNotFoundError`` (503) when none is loaded."""
        if self.reopen is None:
            raise ModelNotFoundError(
                f"no {REOPEN_MODEL_NAME} model is loaded; train one and call POST /v1/admin/reload"
            )
        return self.reopen


ModelLoader = Callable[[ServeSettings], LiveModels]


def no_models(_settings: ServeSettings) -> LiveModels:
    """A loader for a service that only serves published scores."""
    return LiveModels()


def champion_version(name: str, tracking_uri: str) -> str | None:
    """The version behind ``name@champion``, or None when nothing is registered."""
    import mlflow
    from mlflow.exceptions import MlflowException

    if tracking_uri.startswith("sqlite:///") and not Path(tracking_uri.removeprefix("sqlite:///")).is_file():
        return None  # opening a missing SQLite store would create an empty MLflow database
    mlflow.set_tracking_uri(tracking_uri)
    try:
        return str(mlflow.MlflowClient().get_model_version_by_alias(name, "champion").version)
    except MlflowException:
        return None


def champion_loader(settings: ServeSettings) -> LiveModels:
    """Load ``ews-case-reopen@champion`` and describe both champions; empty parts when none is registered."""
    from ews.model_loading import load_model
    from ews.models.reopen_scorer import ReopenScorer

    tracking = build_settings(TrackingSettings, MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri)
    rw = describe_champion(RW_MODEL_NAME, tracking)
    version = champion_version(REOPEN_MODEL_NAME, settings.mlflow_tracking_uri)
    if version is None:
        log.warning("no %s@champion is registered; POST /v1/cases/reopen-risk answers 503", REOPEN_MODEL_NAME)
        return LiveModels(info=() if rw is None else (rw,))
    # Load the version just resolved, so the version reported is the one serving even if the alias moves.
    scorer = ReopenScorer(load_model(_uri(REOPEN_MODEL_NAME, version), tracking))
    reopen = describe_version(REOPEN_MODEL_NAME, version, tracking)
    return LiveModels(reopen=scorer, info=tuple(m for m in (rw, reopen) if m is not None))


def describe_champion(name: str, tracking: TrackingSettings) -> ModelInfo | None:
    """``name@champion`` described from its MLflow run, or None when nothing is registered."""
    version = champion_version(name, tracking.mlflow_tracking_uri)
    return None if version is None else describe_version(name, version, tracking)


def describe_version(name: str, version: str, tracking: TrackingSettings) -> ModelInfo:
    """One version's description; name and version alone (and a warning) when its run cannot be read."""
    from ews.exceptions import EwsError
    from ews.service.model_info import AUDIT_TABLE, model_info
    from ews.tracking import read_run_record

    uri = _uri(name, version)
    try:
        record = read_run_record(name, version, (AUDIT_TABLE,), tracking)
    except EwsError as exc:
        log.warning("%s v%s is served without its backtest figures: %s", name, version, exc)
        return ModelInfo(name=name, version=version, alias="champion", uri=uri, loaded_at=_now())
    return model_info(record, alias="champion", uri=uri, loaded_at=_now())


def _uri(name: str, version: str) -> str:
    return f"models:/{name}/{version}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
