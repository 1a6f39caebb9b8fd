"""Contract section 3: exit 1 for bad input or usage, exit 2 and a log file for an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run_cli


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, out, err = run_cli(argv, capsys)
    return code, out + err


@pytest.mark.parametrize("argv", [["train", "--no-such-option"], ["score"], ["no-such-command"]])
def test_usage_errors_exit_one(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(argv, capsys)
    assert code == 1 and "Traceback" not in text


def test_an_internal_error_is_one_sentence_exit_two_and_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ews.data.load

    def broken(path: Path) -> None:
        raise ZeroDivisionError("a bug deep inside")

    monkeypatch.setenv("EWS_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(ews.data.load, "load_folder", broken)
    code, text = _run(["train", str(tmp_path)], capsys)
    assert code == 2 and "Traceback" not in text
    assert "internal error: ZeroDivisionError" in text
    (log,) = (tmp_path / "logs").glob("ews-*.log")
    assert str(log) in text.replace("\n", "")
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "a bug deep inside" in logged and "train" in logged.splitlines()[0]


def test_an_error_message_shows_the_users_text_verbatim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A path (or address) can hold rich markup and :emoji: codes; the message must not interpret them.
    folder = tmp_path / "[bold]data[/bold] :smile:"
    code, text = _run(["validate", str(folder)], capsys)
    assert code == 1 and "Traceback" not in text
    assert "[bold]data[/bold] :smile:" in text.replace("\n", "")
    assert "\N{SMILING FACE WITH OPEN MOUTH}" not in text


def test_command_output_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    import pandas as pd

    from ews.cli.common import write_atomically, write_frame
    from ews.exceptions import ConfigError, StorageError

    with pytest.raises(ConfigError, match=r"is a folder; give a file name ending in \.csv or \.parquet"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path)
    out = tmp_path / "scores.csv"
    write_frame(pd.DataFrame({"a": [1, 2]}), out)
    before = out.read_bytes()

    def fails_halfway(temp: str) -> None:
        Path(temp).write_text("a\n3\n", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(StorageError, match=r"could not write .*scores\.csv: disk full"):
        write_atomically(out, fails_halfway, "give a file name")
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]
