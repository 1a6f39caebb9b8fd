"""Fixtures for the synthetic-Jakarta tests: a full-province world over two years."""

from __future__ import annotations

from pathlib import Path

import pytest

from ews.data.folder import DataFolder
from ews.data.load import read_folder
from ews.months import parse_month


@pytest.fixture(scope="session")
def jakarta_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All of DKI Jakarta, 2024-01..2025-12, seed 0, CSV (truth at ``<dir>-truth``)."""
    from ews.synth import generate

    out = tmp_path_factory.mktemp("jakarta") / "data"
    generate(out, seed=0, start=parse_month("2024-01"), end=parse_month("2025-12"))
    return out


@pytest.fixture(scope="session")
def jakarta(jakarta_dir: Path) -> DataFolder:
    """The full-province world, read back through the contract loader."""
    return read_folder(jakarta_dir)
