"""``ews score-cases``: reopen risk of every case recently closed as of a month (contract section 3).

Loading, validation, month checks, progress and atomic writing are the
helpers of :mod:`ews.cli.common` and :mod:`ews.cli.score`, so ``score`` and
``score-cases`` behave alike; heavy libraries load inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add the case commands to the ``ews`` app."""
    app.command("score-cases")(score_cases)


def score_cases(
    directory: Annotated[Path, typer.Argument(help="The data folder (contract section 1), CSV or Parquet.")],
    as_of: Annotated[
        str, typer.Option("--as-of", help="As-of month YYYY-MM: cases closed in the 180 days before.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output file: CSV, or Parquet if it ends in .parquet.")],
    model_uri: Annotated[
        str | None,
        typer.Option("--model-uri", help="MLflow model URI (default: models:/ews-case-reopen@champion)."),
    ] = None,
) -> None:
    """Score every case recently closed as of the month with the @champion reopen model and write FILE."""
    from ews.cli.score import score_to_file
    from ews.config import REOPEN_MODEL_NAME
    from ews.models.reopen_score import score_cases as score_table

    what = "recently closed cases"
    table = score_to_file(directory, as_of, out, model_uri, REOPEN_MODEL_NAME, score_table, what)
    flagged = int(table["flagged"].sum())
    console.print(
        f"{len(table)} recently closed cases scored as of {as_of}, {flagged} flagged for follow-up; "
        f"written to {out}",
        highlight=False,
    )
