"""Fixtures for the data-folder tests; the frames themselves live in data_folders.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_folders import Frames, Writer, valid_frames, write_frames


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """``write(frames=None, fmt="csv", name="data")`` writes a folder and returns its path."""

    def _write(frames: Frames | None = None, fmt: str = "csv", name: str = "data") -> Path:
        return write_frames(tmp_path / name, valid_frames() if frames is None else frames, fmt)

    return _write
