"""The ``ews`` command line (contract section 3).

Each submodule registers its commands on the one Typer app; heavy libraries
(sklearn, shap, mlflow) are imported inside commands so ``--help`` and
``validate`` stay fast. ``main`` turns every :class:`EwsError` into one
sentence on stderr and exit 1 (bad input or usage); any other exception is
a bug of ews: one sentence, the traceback in a log file named on stderr,
and exit 2 (contract section 3). Never a traceback on the terminal.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from ews.exceptions import EwsError

COMMAND_MODULES = ("data", "synth", "models", "cases", "serve", "demo", "monitor")

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
    """Add every command module's commands once: ``main`` may run many times in one process (tests)."""
    if app.registered_commands or app.registered_groups:
        return
    for name in COMMAND_MODULES:
        importlib.import_module(f"ews.cli.{name}").register(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _register_commands()
    # MLflow's per-file download bars would drown the command's own progress line.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as exc:
        # Click ends a usage error (unknown option, missing argument) with 2; the contract says 1,
        # keeping 2 for internal errors. No ews command exits 2 through SystemExit on its own.
        sys.exit(1 if exc.code == 2 else exc.code)
    except EwsError as exc:
        _say("error:", str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        stderr.print("interrupted; nothing was written", highlight=False)
        sys.exit(130)
    except Exception as exc:  # the last resort: one sentence and a log, never a traceback
        log = write_crash_log(exc, sys.argv[1:] if argv is None else argv)
        _say(
            "internal error:",
            f"{type(exc).__name__} in ews (a bug, not your data's fault); "
            f"nothing was written. The traceback is in {log}",
        )
        sys.exit(2)


def _say(label: str, message: str) -> None:
    """Print ``label message`` on stderr, the message verbatim.

    A message quotes the user's values (a path, an address such as
    ``nonsense:::x``, a ``[2020-01]`` range): as a plain ``Text`` rich reads
    no markup or ``:emoji:`` codes in it, so the user sees what they typed.
    """
    stderr.print(Text.assemble((label, "bold red"), " ", message), highlight=False, soft_wrap=True)


def write_crash_log(exc: BaseException, argv: list[str]) -> Path:
    """Write the traceback of ``exc`` to a new log file and return its path.

    The file goes under ``EWS_LOG_DIR`` (default: the system's temporary
    folder, ``ews-logs``), so a read-only working directory cannot hide it.
    """
    folder = Path(os.environ.get("EWS_LOG_DIR") or Path(tempfile.gettempdir()) / "ews-logs")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=time.strftime("ews-%Y%m%d-%H%M%S-"), suffix=".log", dir=folder)
    except OSError:
        handle, name = tempfile.mkstemp(prefix="ews-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(f"ews {' '.join(argv)}\n\n")
        out.write("".join(traceback.format_exception(exc)))
    return Path(name)
