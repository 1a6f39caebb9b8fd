"""``ews backtest``: the RW model's temporal backtest against baselines, as a table (contract section 3).

On a synthetic world the truth folder beside the data (``DIR-truth``) adds
the true probabilities as a scorer. sklearn loads inside the command.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ews.cli.common import (
    AsOfOpt,
    DirArg,
    HorizonOpt,
    SeedOpt,
    as_of_month,
    console,
    progress,
    train_settings,
    validated_folder,
    write_frame,
)
from ews.exceptions import DataError

if TYPE_CHECKING:
    import pandas as pd

    from ews.models.backtest_types import BacktestReport

SHOWN = ("precision_at_5pct", "precision_at_10pct", "precision_flagged", "recall_flagged", "pr_auc", "brier")


def backtest(
    directory: DirArg,
    as_of: AsOfOpt = None,
    folds: Annotated[
        int | None, typer.Option("--folds", help="Rolling-origin as-of months (default 6).")
    ] = None,
    horizon: HorizonOpt = None,
    seed: SeedOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the per-fold metrics here (CSV).")] = None,
    truth: Annotated[
        Path | None,
        typer.Option("--truth", help="Truth folder of a synthetic world (default: DIR-truth if present)."),
    ] = None,
) -> None:
    """Temporal backtest of the RW model against baselines (and the truth on synthetic data)."""
    from ews.models import flow
    from ews.models.rw import RW_TASK

    settings = train_settings(horizon=horizon, seed=seed, backtest_folds=folds)
    folder = validated_folder(directory)
    month = as_of_month(folder, as_of)
    truth_fn = _truth(directory, truth, settings.horizon)
    with progress("backtesting the RW risk model") as step:
        ready, report = flow.backtest(RW_TASK, folder, month, settings, step, truth_fn)
    for note in ready.notes:
        console.print(note, highlight=False)
    if len(report.left_out):
        console.print(flow.left_out_line(report.left_out), highlight=False)
    typer.echo(_console_table(report))
    if out is not None:
        write_frame(report.folds, out)
        console.print(f"per-fold metrics written to {out}", highlight=False)


def _truth(directory: Path, given: Path | None, horizon: int) -> Callable[[int], pd.Series] | None:
    path = given if given is not None else directory.with_name(directory.name + "-truth")
    if not path.is_dir():
        if given is not None:
            raise DataError(f"truth folder {given} does not exist")
        return None
    from ews.synth.truth import load_truth, rw_probability

    truth = load_truth(path)
    return lambda month: rw_probability(truth, month, horizon)


def _console_table(report: BacktestReport) -> str:
    overall = report.overall()
    table = Table(title=f"Backtest over {report.folds['as_of'].nunique()} folds (model: {report.kind})")
    shown = [c for c in (*SHOWN, "truth_ratio_at_5pct") if c in overall.columns]
    for column in ("scorer", *shown):
        table.add_column(column, justify="left" if column == "scorer" else "right")
    for row in overall.to_dict("records"):
        table.add_row(str(row["scorer"]), *(_fmt(row[c]) for c in shown))
    buffer = io.StringIO()
    Console(width=160, file=buffer).print(table)
    return buffer.getvalue()


def _fmt(value: object) -> str:
    return "" if not isinstance(value, int | float) or value != value else f"{value:.3f}"
