"""`ews score-cases`: contract columns from the @champion reopen model, one-sentence errors, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ews.cli import _register_commands, app
from ews.config import TrainSettings
from ews.data.load import read_folder
from ews.exceptions import EwsError
from ews.features.cases import reopen_population
from ews.models.reopen import train_reopen
from ews.months import parse_month as pm

COLUMNS = ["case_id", "rw_code", "as_of", "closed_at", "score", "tier", "rank", "flagged", "top_factors"]


def run(*args: str) -> tuple[int, str]:
    """Invoke the CLI the way ``ews.cli.main`` does: EwsError -> one sentence and exit 1."""
    _register_commands()
    result = CliRunner().invoke(app, list(args))
    if isinstance(result.exception, EwsError):
        return 1, str(result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_without_a_registered_model_nothing_is_written(tiny_world: Path, mlflow_uri: str) -> None:
    code, message = run("score-cases", str(tiny_world), "--as-of", "2024-12", "--out", "cases.csv")
    assert code == 1 and "ews-case-reopen" in message
    assert not Path("cases.csv").exists()


def test_bad_month_is_one_sentence(tiny_world: Path, mlflow_uri: str) -> None:
    code, message = run("score-cases", str(tiny_world), "--as-of", "2024-13", "--out", "cases.csv")
    assert code == 1 and "'2024-13' is not a calendar month" in message
    assert not Path("cases.csv").exists()


def test_scores_every_recently_closed_case_with_the_champion(tiny_world: Path, mlflow_uri: str) -> None:
    from ews.tracking import log_task

    folder = read_folder(tiny_world)
    log_task(train_reopen(folder, folder.last_month + 1, TrainSettings()))
    code, output = run("score-cases", str(tiny_world), "--as-of", "2024-12", "--out", "out/cases.csv")
    assert code == 0, output
    table = pd.read_csv("out/cases.csv", dtype={"flagged": str, "case_id": str})
    assert list(table.columns) == COLUMNS
    assert set(table["case_id"]) == set(reopen_population(folder, pm("2024-12"))["case_id"])
    assert set(table["flagged"]) <= {"true", "false"} and (table["flagged"] == "true").any()
    assert (table["as_of"] == "2024-12").all() and table["score"].between(0, 1).all()
    factor = json.loads(table["top_factors"].iloc[0])[0]
    assert {"feature", "value", "contribution", "text", "text_en"} <= set(factor)
    assert [p.name for p in Path("out").iterdir()] == ["cases.csv"]
    code, output = run("score-cases", str(tiny_world), "--as-of", "2024-12", "--out", "cases.parquet")
    assert code == 0, output
    assert pd.read_parquet("cases.parquet")["flagged"].dtype == bool


def test_help_names_the_options() -> None:
    _register_commands()
    result = CliRunner().invoke(app, ["score-cases", "--help"])
    assert result.exit_code == 0
    assert "--as-of" in result.output and "--model-uri" in result.output
