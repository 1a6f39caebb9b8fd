"""API fixtures shared by tests/api and tests/security: a real reopen scorer, and a running app over
the published hand-built world. Each package's conftest imports them (``pytest_plugins`` is only
allowed in the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from service_world import live_models

from ews.app import create_app
from ews.config import ServeSettings


@pytest.fixture(scope="session")
def reopen_scorer() -> Any:
    """A real (small, seeded) reopen model: the first feature drives the label."""
    from ews.features.cases_encode import CASE_FEATURES
    from ews.models.estimator import RiskClassifier
    from ews.models.reopen_scorer import ReopenScorer

    rng = np.random.default_rng(0)
    features = pd.DataFrame(rng.normal(size=(1500, len(CASE_FEATURES))), columns=list(CASE_FEATURES))
    labels = (rng.random(len(features)) < 1 / (1 + np.exp(-(features.iloc[:, 0] - 1.5)))).astype(int)
    model = RiskClassifier(kind="hgb", max_iter=20, min_samples_leaf=50, random_state=0).fit(features, labels)
    return ReopenScorer(model)


@pytest.fixture
def app_client(service_world: Any, reopen_scorer: Any) -> Iterator[TestClient]:
    """A started app (lifespan run) over the service world, serving the real reopen scorer."""
    app = create_app(
        ServeSettings(database_url=service_world.url), model_loader=lambda _s: live_models(reopen_scorer)
    )
    with TestClient(app) as client:
        yield client


@pytest.fixture
def world(service_world: Any) -> Any:
    """The service world (keys per role); alias for readability in tests."""
    return service_world
