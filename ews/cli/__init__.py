"""The ``ews`` command line (contract section 3).

Each submodule registers its commands on the one Typer app; heavy libraries
(sklearn, shap, mlflow) are imported inside commands so ``--help`` and
``validate`` stay fast. ``main`` turns every :class:`EwsError` into one
sentence on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer
from rich.console import Console

from ews.exceptions import EwsError

COMMAND_MODULES = ("data", "synth", "models", "cases", "serve", "demo")

app = typer.Typer(
    name="ews",
    help="Early-warning risk scores for violence against women and children in DKI Jakarta (RW level).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

stderr = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Early-warning risk scores for violence against women and children in DKI Jakarta (RW level)."""
    # A root callback keeps Typer in multi-command mode even if only one command module loads.


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"ews.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ews.cli.{name}":
                raise
            continue
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _register_commands()
    # MLflow's per-file download bars would drown the command's own progress line.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    try:
        app(args=argv, standalone_mode=True)
    except EwsError as exc:
        stderr.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        stderr.print("interrupted; nothing was written", highlight=False)
        sys.exit(130)
