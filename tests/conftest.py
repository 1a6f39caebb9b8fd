"""Shared fixtures: small synthetic worlds, and a private MLflow store per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ews.months import parse_month


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One kecamatan (Gambir), 2022-01..2024-12, CSV; truth at ``<dir>-truth``."""
    from ews.synth import generate

    out = tmp_path_factory.mktemp("tiny") / "data"
    generate(out, seed=7, start=parse_month("2022-01"), end=parse_month("2024-12"), areas=["31.71.01"])
    return out


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jakarta Pusat (one kota), 2020-01..2025-12, CSV; truth at ``<dir>-truth``."""
    from ews.synth import generate

    out = tmp_path_factory.mktemp("small") / "data"
    generate(out, seed=11, start=parse_month("2020-01"), end=parse_month("2025-12"), areas=["31.71"])
    return out


@pytest.fixture
def mlflow_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private MLflow SQLite store for one test (no shared state between tests)."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    return uri
