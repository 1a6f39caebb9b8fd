"""Run the ``ews`` command line in-process, as the tests of every command do."""

from __future__ import annotations

import pytest

from ews.cli import main


def exit_code(argv: list[str]) -> int:
    """The exit code ``ews argv`` ends with (0 when it returns normally)."""
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of ``ews argv``."""
    code = exit_code(argv)
    out = capsys.readouterr()
    return code, out.out, out.err
