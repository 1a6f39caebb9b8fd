"""The model commands: ``ews train``, ``backtest``, ``score`` and ``promote`` (contract section 3).

Each of the first three is a module of its own (:mod:`ews.cli.train`,
:mod:`ews.cli.backtest`, :mod:`ews.cli.score`) sharing :mod:`ews.cli.common`;
``promote`` is small enough to live here with :func:`register`, which adds
all four in the order ``ews --help`` lists them. sklearn, shap and MLflow
load inside commands.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ews.cli.backtest import backtest
from ews.cli.score import score
from ews.cli.train import train
from ews.exceptions import ConfigError


def register(app: typer.Typer) -> None:
    """Add the model commands to the ``ews`` app."""
    app.command("train")(train)
    app.command("backtest")(backtest)
    app.command("score")(score)
    app.command("promote")(promote)


def promote(
    model: Annotated[
        str, typer.Option("--model", help="Which model: rw (ews-rw-risk) or reopen (ews-case-reopen).")
    ] = "rw",
) -> None:
    """Move @champion to the newest version if its backtest is not worse; say why either way."""
    from ews.config import REOPEN_MODEL_NAME, RW_MODEL_NAME
    from ews.promotion import promote as promote_version

    names = {"rw": RW_MODEL_NAME, "reopen": REOPEN_MODEL_NAME}
    if model not in names:
        raise ConfigError(f"--model {model!r} is unknown; choose rw or reopen")
    from ews.config import HEADLINE_METRIC

    result = promote_version(names[model], metric=f"backtest.model.{HEADLINE_METRIC[names[model]]}")
    typer.echo(result.message)
