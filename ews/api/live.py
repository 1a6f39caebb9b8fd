"""Models the service holds in memory: loaded once at start-up, swapped whole on reload.

Published RW scores come from the database, so the only live model is the
case-reopen scorer behind ``POST /v1/cases/reopen-risk``. ``LiveModels`` is
immutable: a reload builds a new one and replaces the reference on
``app.state`` in one assignment, so a request that already holds the old one
finishes with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ews.api.schemas import ModelInfo
from ews.config import REOPEN_MODEL_NAME, ServeSettings
from ews.exceptions import ModelNotFoundError

log = logging.getLogger("ews.api")


class CaseScorer(Protocol):
    """What the service needs from the reopen model (``ews.models.reopen.ReopenScorer``)."""

    def score(self, payload: Any, as_of: Any = None) -> Any: ...


@dataclass(frozen=True)
class LiveModels:
    """The live reopen scorer (None when no champion is registered) and what it is."""

    reopen: CaseScorer | None = None
    info: tuple[ModelInfo, ...] = ()
    loaded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

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
    """Load ``ews-case-reopen@champion`` from MLflow; an empty ``LiveModels`` when none is registered."""
    from ews.config import TrackingSettings, build_settings
    from ews.models.reopen_scorer import ReopenScorer
    from ews.tracking import load_model

    version = champion_version(REOPEN_MODEL_NAME, settings.mlflow_tracking_uri)
    if version is None:
        log.warning("no %s@champion is registered; POST /v1/cases/reopen-risk answers 503", REOPEN_MODEL_NAME)
        return LiveModels()
    # Load the version just resolved, so the version reported is the one serving even if the alias moves.
    uri = f"models:/{REOPEN_MODEL_NAME}/{version}"
    tracking = build_settings(TrackingSettings, MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri)
    scorer = ReopenScorer(load_model(uri, tracking))
    info = ModelInfo(name=REOPEN_MODEL_NAME, version=version, alias="champion", uri=uri, loaded_at=_now())
    return LiveModels(reopen=scorer, info=(info,))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
