"""``ews serve --data-dir``: the map's data folder reaches the app; a missing folder is one sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ews.cli import main


def _serve(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[Any]]:
    import uvicorn

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kwargs: started.append(app))
    try:
        main(["serve", *argv])
    except SystemExit as exc:
        return int(exc.code or 0), started
    return 0, started


def test_data_dir_reaches_the_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "regions.csv").write_text("rw_code,lat,lon\n31.71.01.1001.001,-6.17,106.82\n", encoding="utf-8")
    code, started = _serve(
        ["--data-dir", str(data), "--database-url", f"sqlite:///{tmp_path / 'e.db'}"], monkeypatch
    )
    assert code == 0
    (app,) = started
    assert app.state.settings.data_dir == str(data)
    assert app.state.web_geometry().centroids == {"31.71.01.1001.001": (-6.17, 106.82)}


def test_a_missing_data_dir_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, started = _serve(["--data-dir", str(tmp_path / "nowhere")], monkeypatch)
    err = capsys.readouterr().err
    assert (code, started) == (1, [])
    assert "nowhere" in err and "Traceback" not in err


def test_serve_freezes_the_startup_heap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, started = _serve(["--database-url", f"sqlite:///{tmp_path / 'e.db'}"], monkeypatch)
    assert code == 0
    (app,) = started
    assert app.state.freeze_heap is True  # apps made elsewhere (tests) leave the process's gc alone
