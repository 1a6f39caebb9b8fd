"""Loading registered models back from MLflow: any model URI, or a registered model's ``@champion``.

Separate from :mod:`ews.tracking` (logging and registering) because scoring,
publishing and the API only ever load: a model file is downloaded, its skops
types checked against ``ews.tracking.SKOPS_TYPES`` and loaded trusting
exactly those (:func:`ews.tracking.load_skops`), then checked to be a
RiskClassifier the current ews can score with. MLflow is imported inside functions.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ews.config import TrackingSettings
from ews.exceptions import ModelError, ModelNotFoundError
from ews.models.estimator import RiskClassifier
from ews.tracking import CHAMPION, alias_version, connect, load_skops


def _skops_path(uri: str, scratch: str) -> tuple[Path, str | None]:
    """The model file of the MLflow sklearn model at ``uri``, downloaded to ``scratch``, and its format."""
    from mlflow.artifacts import download_artifacts
    from mlflow.models import Model

    local = Path(download_artifacts(artifact_uri=uri, dst_path=scratch))
    flavor = Model.load(str(local)).flavors["sklearn"]
    return local / str(flavor["pickled_model"]), flavor.get("serialization_format")


def load_model(uri: str, settings: TrackingSettings | None = None) -> RiskClassifier:
    """Load a RiskClassifier from any MLflow model URI (``models:/name@champion``, ``runs:/...``)."""
    connect(settings)
    with tempfile.TemporaryDirectory() as scratch:
        try:
            path, serialization = _skops_path(uri, scratch)
        except Exception as exc:
            raise ModelNotFoundError(
                f"no model could be loaded from {uri!r}; train one with `ews train DIR`"
            ) from exc
        if serialization != "skops":
            raise ModelError(f"the model at {uri!r} is saved as {serialization!r}; only 'skops' is loaded")
        try:
            model = load_skops(path, uri)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelNotFoundError(f"the model at {uri!r} could not be read ({exc})") from exc
    if not isinstance(model, RiskClassifier):
        raise ModelNotFoundError(
            f"the model at {uri!r} is a {type(model).__name__}, not an ews RiskClassifier"
        )
    _check_compatible(model, uri)
    return model


def _check_compatible(model: RiskClassifier, uri: str) -> None:
    # A model saved by an older ews lacks parameters the current class reads at scoring time;
    # get_params() reads every one of them, so the mismatch surfaces here as one sentence.
    try:
        model.get_params()
    except AttributeError as exc:
        raise ModelError(
            f"the model at {uri!r} was saved by an older version of ews ({exc}); "
            "retrain it with `ews train DIR`"
        ) from exc


def load_champion(name: str, settings: TrackingSettings | None = None) -> RiskClassifier:
    """The ``@champion`` version of a registered model; ``ModelNotFoundError`` if there is none."""
    mlflow = connect(settings)
    if alias_version(mlflow.MlflowClient(), name) is None:
        raise ModelNotFoundError(f"no model is registered as {name}@{CHAMPION}; run `ews train DIR` first")
    return load_model(f"models:/{name}@{CHAMPION}", settings)
