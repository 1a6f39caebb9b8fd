"""Write folders atomically: build in a hidden sibling directory, then rename into place.

A crash or Ctrl-C leaves either the old folder or the new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pandas as pd

from ews.exceptions import ConfigError, StorageError

Format = Literal["csv", "parquet"]


def check_target(path: Path, force: bool) -> None:
    """Refuse a file, or a non-empty folder unless ``force``."""
    if path.exists() and not path.is_dir():
        raise ConfigError(f"output {path} exists and is a file, not a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise ConfigError(
            f"output folder {path} is not empty; choose another folder or pass --force to replace it"
        )


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A temporary directory next to ``target``; removed if the block fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    os.chmod(temp, 0o755)  # mkdtemp makes it private; the result is an ordinary shared folder
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def install(temp: Path, target: Path) -> None:
    """Move ``temp`` to ``target``, replacing what is there (the caller checked ``force``)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, old)
    try:
        os.replace(temp, target)
    except OSError as exc:
        if old is not None:
            os.replace(old, target)
        raise StorageError(f"could not move the new folder into {target}: {exc}") from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_frame(frame: pd.DataFrame, folder: Path, name: str, fmt: Format) -> None:
    """``name.csv`` (UTF-8, header, empty cells for missing) or ``name.parquet``."""
    if fmt == "csv":
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    else:
        frame.to_parquet(folder / f"{name}.parquet", index=False)


def write_atomically(target: Path, writer: Callable[[Path], None]) -> None:
    """Run ``writer`` on a staging folder and install it at ``target``."""
    with staging(target) as temp:
        writer(temp)
        install(temp, target)
