"""What the model commands share: argument types, the console, settings, the folder, progress, writing.

``ews train``, ``backtest``, ``score`` and ``score-cases`` validate the folder
first (:func:`validated_folder`), show progress on stderr (:func:`progress`)
and write their output to a temporary file in the target directory that is
renamed into place only when complete (:func:`write_atomically`). Kept apart from
the commands so each command module holds one command and its own helpers.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ews.exceptions import ConfigError, DataError, StorageError

if TYPE_CHECKING:
    import pandas as pd

    from ews.config import TrainSettings
    from ews.data.folder import DataFolder

console = Console(stderr=True)
DirArg = Annotated[Path, typer.Argument(help="The data folder (contract section 1), CSV or Parquet.")]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="As-of month YYYY-MM (default: the month after the last data).")
]
HorizonOpt = Annotated[int | None, typer.Option("--horizon", help="Label horizon in months (default 1).")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Seed for every random choice (default 0).")]


def train_settings(**overrides: Any) -> TrainSettings:
    from ews.config import TrainSettings, build_settings

    return build_settings(TrainSettings, **overrides)


def validated_folder(directory: Path) -> DataFolder:
    from ews.data.load import load_folder

    if not directory.is_dir():
        raise DataError(f"data folder {directory} does not exist or is not a folder")
    with console.status(f"validating {directory} ..."):
        return load_folder(directory)


def as_of_month(folder: DataFolder, text: str | None) -> int:
    from ews.months import parse_month

    return folder.last_month + 1 if text is None else parse_month(text)


@contextmanager
def progress(first: str) -> Iterator[Callable[[str], None]]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(first, total=None)
        yield lambda message: bar.update(task, description=message)


def write_frame(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` as CSV, or Parquet if ``out`` ends in .parquet (:func:`write_atomically`)."""

    def write(temp: str) -> None:
        if out.suffix == ".parquet":
            frame.to_parquet(temp, index=False)
        else:
            frame.to_csv(temp, index=False)

    write_atomically(out, write, "give a file name ending in .csv or .parquet")


def write_atomically(out: Path, write: Callable[[str], None], allowed: str) -> None:
    """Let ``write`` fill a temporary file next to ``out``, then rename it into place, so no
    half-written file is ever left. ``allowed`` ends the message when ``out`` is a folder."""
    if out.is_dir():
        raise ConfigError(f"output {out} is a folder; {allowed}")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    try:
        write(temp)
        os.replace(temp, out)
    except OSError as exc:
        raise StorageError(f"could not write {out}: {exc}") from exc
    finally:
        if os.path.exists(temp):
            os.remove(temp)
