"""``ews score-cases``: reopen risk of every case recently closed as of a month (contract section 3).

Loading, validation, month checks, progress and atomic writing are the
helpers of :mod:`ews.cli.models`, so ``score`` and ``score-cases`` behave
alike; heavy libraries load inside the command.
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
    from ews.cli.models import _contract_output, _load, _progress, _score_month, _settings, _write_frame
    from ews.config import REOPEN_MODEL_NAME
    from ews.models.reopen_score import score_cases as score_table
    from ews.tracking import load_champion, load_model

    settings = _settings()
    folder = _load(directory)
    month = _score_month(folder, as_of)
    with _progress("loading the reopen model") as step:
        model = load_model(model_uri) if model_uri else load_champion(REOPEN_MODEL_NAME)
        step("scoring recently closed cases and explaining scores")
        table = score_table(folder, month, model, settings)
    _write_frame(_contract_output(table, out), out)
    flagged = int(table["flagged"].sum())
    console.print(
        f"{len(table)} recently closed cases scored as of {as_of}, {flagged} flagged for follow-up; "
        f"written to {out}",
        highlight=False,
    )
