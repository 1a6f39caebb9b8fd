"""`ews train/score/promote/backtest` on the tiny world: outputs per contract, one-sentence errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from ews.cli import _register_commands, app
from ews.exceptions import EwsError

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    """Invoke the CLI the way ``ews.cli.main`` does: EwsError -> one sentence and exit 1."""
    _register_commands()
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, EwsError):
        return 1, str(result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_bad_as_of_is_one_sentence(tiny_world: Path, mlflow_uri: str) -> None:
    code, message = run("score", str(tiny_world), "--as-of", "2024-13", "--out", "x.csv")
    assert code == 1 and "'2024-13' is not a calendar month" in message
    code, message = run("train", str(tiny_world), "--as-of", "2022-03")
    assert code == 1 and "needs at least 12 months of signals and cases before the as-of month" in message
    assert "train as of" in message and "or later" in message
    assert not Path("x.csv").exists()


def test_score_without_a_model_says_to_train(tiny_world: Path, mlflow_uri: str) -> None:
    code, message = run("score", str(tiny_world), "--as-of", "2025-01", "--out", "scores.csv")
    assert code == 1 and "no model is registered as ews-rw-risk@champion" in message
    assert not Path("scores.csv").exists()


def test_train_score_promote(tiny_world: Path, mlflow_uri: str) -> None:
    code, output = run("train", str(tiny_world))
    assert code == 0, output
    code, output = run("score", str(tiny_world), "--as-of", "2025-01", "--out", "out/scores.csv")
    assert code == 0, output
    table = pd.read_csv("out/scores.csv", dtype={"flagged": str})
    assert list(table.columns) == [
        "rw_code", "kelurahan_code", "kecamatan_code", "kota_code", "as_of",
        "score", "tier", "rank", "flagged", "top_factors",
    ]  # fmt: skip
    assert set(table["flagged"]) <= {"true", "false"} and (table["flagged"] == "true").any()
    assert sorted(table["rank"]) == list(range(1, len(table) + 1))
    assert table["score"].between(0, 1).all() and (table["as_of"] == "2025-01").all()
    factor = json.loads(table["top_factors"].iloc[0])[0]
    assert {"feature", "value", "contribution", "text"} <= set(factor)
    assert [p.name for p in Path("out").iterdir()] == ["scores.csv"]  # no temp file left behind
    code, output = run("score", str(tiny_world), "--as-of", "2024-12", "--out", "s.parquet")
    assert code == 0, output
    assert pd.read_parquet("s.parquet")["flagged"].dtype == bool
    code, output = run("promote")
    assert code == 0 and "already the newest" in output


def test_backtest_prints_model_baselines_and_truth(tiny_world: Path, mlflow_uri: str) -> None:
    code, output = run("backtest", str(tiny_world), "--folds", "3", "--out", "bt.csv")
    assert code == 0, output
    for scorer in ("model", "cases_12m", "cases_3m", "population", "truth"):
        assert scorer in output
    folds = pd.read_csv("bt.csv")
    assert folds["as_of"].nunique() == 3 and "truth_ratio_at_5pct" in folds
