"""``ews validate DIR``: check a data folder and list every problem found."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ews.data.issues import ValidationReport
from ews.data.rawio import DEFAULT_CHUNK_ROWS

if TYPE_CHECKING:
    from ews.data.profile import FolderProfile

DEFAULT_MAX_LINES = 200


def register(app: typer.Typer) -> None:
    """Add the data-folder commands to the ``ews`` app."""
    app.command("validate")(validate)


def validate(
    directory: Annotated[
        Path,
        typer.Argument(
            help="The data folder: regions, signals, cases, case_events (+ neighbors), CSV or Parquet."
        ),
    ],
    max_lines: Annotated[
        int,
        typer.Option(
            "--max-lines", min=0, help="Print at most this many problems; the rest are counted by kind."
        ),
    ] = DEFAULT_MAX_LINES,
    chunk_rows: Annotated[
        int, typer.Option("--chunk-rows", min=1, help="Signal rows checked at a time (bounds memory use).")
    ] = DEFAULT_CHUNK_ROWS,
) -> None:
    """Check a data folder against the contract; exit 1 if there are errors (warnings alone exit 0).

    A folder without errors is also profiled: late, lapsed, paused or empty signal
    sources, a short history, cases past the last signal month, no neighbors file,
    no case events, one kota. These print as warnings after the row-level issues.
    """
    from ews.data.validate import validate_folder

    console = Console(stderr=True)
    with console.status(f"validating {directory} ..."):
        report = validate_folder(directory, chunk_rows=chunk_rows)
    profile = None
    if report.ok:
        with console.status(f"profiling {directory} ..."):
            profile = folder_profile(directory)
    for line in report_lines(report, max_lines, profile):
        typer.echo(line)
    if not report.ok:
        raise typer.Exit(code=1)


def folder_profile(directory: Path) -> FolderProfile:
    """Read and profile a folder; only called once validation found no errors, so reading cannot refuse it."""
    from ews.data.load import read_folder
    from ews.data.profile import profile_folder

    return profile_folder(read_folder(directory))


def report_lines(report: ValidationReport, max_lines: int, profile: FolderProfile | None = None) -> list[str]:
    """The issues (at most ``max_lines``), counts of the rest by kind, the profile, then the summary.

    The profile's warnings are never capped: there are a handful, and they say
    what the model will have to work with. They count in the summary's warnings.
    """
    lines = [str(issue) for issue in islice(report.issues, max_lines)]
    shown: dict[tuple[str, str, str, str], int] = {}
    for issue in islice(report.issues, max_lines):
        key = (issue.level, issue.file, issue.column or "", issue.check)
        shown[key] = shown.get(key, 0) + 1
    rest = [
        (key, count - shown.get(key, 0)) for key, count in report.counts.items() if count > shown.get(key, 0)
    ]
    if rest:
        lines.append(f"... not shown ({sum(n for _, n in rest)} more):")
        lines.extend(_rest_line(key, count) for key, count in rest)
    warnings = profile.warnings() if profile is not None else []
    if profile is not None:
        lines.append(f"profile: {profile.overview()}")
        lines.extend(f"warning profile: {text}" for text in warnings)
    lines.append(report.summary(extra_warnings=len(warnings)))
    return lines


def _rest_line(key: tuple[str, str, str, str], count: int) -> str:
    level, file, column, check = key
    where = f"{file} column {column}" if column else file
    return f"  {level:<6} {where}: {count} more ({check})"
