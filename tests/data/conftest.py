"""Fixtures for the data-folder tests; the frames themselves live in data_folders.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from data_folders import Frames, Writer, valid_frames, write_frames

from ews.cli import data as cli_data


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """``write(frames=None, fmt="csv", name="data")`` writes a folder and returns its path."""

    def _write(frames: Frames | None = None, fmt: str = "csv", name: str = "data") -> Path:
        return write_frames(tmp_path / name, valid_frames() if frames is None else frames, fmt)

    return _write


@pytest.fixture
def app() -> typer.Typer:
    """A group app (as ews.cli.app is once several modules register) holding only ``validate``."""
    group = typer.Typer()

    @group.callback()
    def _root() -> None:
        """ews (test)."""

    cli_data.register(group)
    return group
