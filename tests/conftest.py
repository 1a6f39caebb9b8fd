"""Shared fixtures: small synthetic worlds, and a private MLflow store per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def mlflow_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated MLflow store, made once: its migrations cost 10-20 s on a busy machine."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    SqlAlchemyStore(f"sqlite:///{path}", str(path.parent / "artifacts")).engine.dispose()
    return path


@pytest.fixture
def mlflow_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mlflow_template: Path) -> str:
    """A private MLflow SQLite store for one test (a copy of the empty template; nothing shared)."""
    import shutil

    shutil.copyfile(mlflow_template, tmp_path / "mlflow.db")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    return uri


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty service database: a SQLite file, or a private schema on EWS_TEST_DATABASE_URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ews.db'}"
        return
    base = os.environ.get("EWS_TEST_DATABASE_URL")
    if not base:
        pytest.skip(
            "PostgreSQL variant: EWS_TEST_DATABASE_URL is not set and no server was found "
            "(./dev test uses one answering on 127.0.0.1:5432)"
        )
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def service_world(database_url: str) -> Any:
    """``database_url`` with the hand-built world of tests/service_world.py published and one key per role."""
    from service_world import build_service_world

    return build_service_world(database_url)
