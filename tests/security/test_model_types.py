"""Finding 9 of issue 12: model loading trusted the skops types listed inside the artifact.

A crafted model in the registry listed ``os.system`` among its own trusted types and was
loaded. Now ``ews.tracking`` loads trusting exactly ``SKOPS_TYPES``, kept in the code, and
refuses a model holding anything else with one sentence.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io

from ews.exceptions import ModelError
from ews.model_loading import load_model
from ews.models.estimator import RiskClassifier
from ews.tracking import SKOPS_TYPES, _trusted_types, load_skops


@pytest.fixture(scope="module")
def models() -> dict[str, RiskClassifier]:
    """Small models of every kind the pipeline trains (and a distilled hgb)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.poisson(2.0, size=(600, 4)).astype(float), columns=["cases_3m", "cases_12m", "a", "b"]
    )
    y = (rng.random(len(frame)) < 1 / (1 + np.exp(2 - 0.5 * frame["cases_3m"]))).astype(int)
    small: dict[str, Any] = {"max_iter": 10, "min_samples_leaf": 20}
    found = {kind: RiskClassifier(kind=kind, **small).fit(frame, y) for kind in ("logit", "hgb", "counts")}
    soft = np.clip(0.15 + 0.7 * y.to_numpy(), 0, 1)
    found["distilled"] = RiskClassifier(kind="hgb", distill=True, **small).fit(frame, y, soft_targets=soft)
    return found


def _crafted(model: RiskClassifier) -> RiskClassifier:
    crafted = RiskClassifier(**model.get_params())
    crafted.__dict__.update(model.__dict__)
    crafted.hook_ = os.system  # type: ignore[attr-defined]
    return crafted


def test_every_kind_of_model_needs_only_allowed_types(
    models: dict[str, RiskClassifier], tmp_path: Path
) -> None:
    for kind, model in models.items():
        assert set(_trusted_types(model)) <= SKOPS_TYPES, kind
        path = tmp_path / f"{kind}.skops"
        skops.io.dump(model, path)
        loaded = load_skops(path, kind)
        assert type(loaded) is RiskClassifier


def test_a_skops_file_with_an_extra_type_is_refused(
    models: dict[str, RiskClassifier], tmp_path: Path
) -> None:
    path = tmp_path / "crafted.skops"
    skops.io.dump(_crafted(models["logit"]), path)
    extra = sorted(set(skops.io.get_untrusted_types(file=path)) - SKOPS_TYPES)
    assert extra  # the crafted file really holds a type outside the allow-list
    with pytest.raises(
        ModelError, match=r"^the model at 'crafted' holds types outside the allow-list"
    ) as caught:
        load_skops(path, "crafted")
    assert all(name in str(caught.value) for name in extra)
    with pytest.raises(ModelError, match="being logged holds types outside"):
        _trusted_types(_crafted(models["logit"]))


def test_a_registered_model_whitelisting_its_own_extra_type_is_refused(
    models: dict[str, RiskClassifier], mlflow_uri: str
) -> None:
    """The attack of the finding: the artifact's own MLmodel lists the extra type as trusted."""
    import mlflow
    from mlflow.sklearn import log_model

    # Another test in this process may have pointed mlflow elsewhere; log where ews will load from.
    mlflow.set_tracking_uri(mlflow_uri)
    crafted = _crafted(models["hgb"])
    trusted = skops.io.get_untrusted_types(data=skops.io.dumps(crafted))
    with mlflow.start_run():
        info = log_model(crafted, name="model", serialization_format="skops", skops_trusted_types=trusted)
    with pytest.raises(ModelError, match=r"holds types outside the allow-list ews\.tracking\.SKOPS_TYPES"):
        load_model(info.model_uri)
    # The same model without the extra attribute loads.
    with mlflow.start_run():
        info = log_model(
            models["hgb"], name="model", serialization_format="skops", skops_trusted_types=sorted(SKOPS_TYPES)
        )
    assert type(load_model(info.model_uri)) is RiskClassifier
