"""Every command on folders built unlike the default world: the stress matrix of issue 11.

Each case is a small stress world from ``ews synth --profile`` (one kota,
four years, or less where the profile shortens it), driven through the
command line exactly as an analyst would: validate -> train -> score ->
score-cases -> publish -> an API read. Every step must end with exit 0, or,
where the folder cannot support a model (no case events: no reopen model),
with one sentence saying so; never a traceback.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cli_run import run_cli
from fastapi.testclient import TestClient

from ews.months import format_month, parse_month
from ews.synth.profiles import PROFILES as SYNTH_PROFILES

# Every stress world of ``ews synth --profile``, and one that combines three.
PROFILES = [*SYNTH_PROFILES, "late_source,lapsed_source,short_18"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run ``ews`` in-process; the exit code and everything it printed."""
    code, out, err = run_cli(argv, capsys)
    text = out + err
    assert "Traceback" not in text, text
    return code, text


def _world(root: Path, profile: str) -> Path:
    from ews.synth import generate

    out = root / profile.replace(",", "+")
    generate(
        out, seed=3, start=parse_month("2022-01"), end=parse_month("2025-12"), areas=["31.71"],
        profiles=profile.split(","),
    )  # fmt: skip
    return out


def _as_of(folder: Path) -> str:
    """The month after the folder's last data (signals or case reports), as ``ews train`` defaults to."""
    from ews.data.load import read_folder

    return format_month(read_folder(folder).last_month + 1)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("profile", PROFILES)
def test_every_command_works_on_a_stress_world(
    profile: str, tmp_path: Path, mlflow_uri: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _world(tmp_path, profile)
    as_of = _as_of(folder)
    code, text = run(["validate", str(folder)], capsys)
    assert code == 0 and "0 errors" in text

    code, text = run(["train", str(folder)], capsys)
    assert code == 0, text
    assert "ews-rw-risk (" in text and "registered as version 1" in text
    reopen_trained = "ews-case-reopen (" in text
    if "no_events" in profile:
        assert not reopen_trained and "case-reopen model not trained" in text and "case_events" in text

    code, text = run(["score", str(folder), "--as-of", as_of, "--out", "scores.csv"], capsys)
    assert code == 0, text
    scores = _rows(Path("scores.csv"))
    assert len(scores) > 100 and all(0.0 <= float(r["score"]) <= 1.0 for r in scores)
    assert any(r["flagged"] == "true" for r in scores)

    code, text = run(["score-cases", str(folder), "--as-of", as_of, "--out", "cases.csv"], capsys)
    if reopen_trained:
        assert code == 0, text
    else:
        assert code == 1 and "no model is registered as ews-case-reopen@champion" in text
        assert not Path("cases.csv").exists()

    database = f"sqlite:///{tmp_path / 'ews.db'}"
    code, text = run(["publish", str(folder), "--as-of", as_of, "--database-url", database], capsys)
    assert code == 0, text
    _read_through_the_api(database, mlflow_uri, as_of, scores[0]["rw_code"], capsys)


def _read_through_the_api(
    database: str, mlflow_uri: str, as_of: str, rw_code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from ews.app import create_app
    from ews.config import ServeSettings

    code, text = run(["users", "add", "analis", "--role", "analyst", "--database-url", database], capsys)
    assert code == 0
    key = text.strip().splitlines()[-1]
    settings = ServeSettings(database_url=database, mlflow_tracking_uri=mlflow_uri)
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {key}"}
        detail = client.get(f"/v1/rw/{rw_code}", params={"as_of": as_of}, headers=headers)
        assert detail.status_code == 200, detail.text
        assert detail.json()["rw_code"] == rw_code
        flags = client.get("/v1/flags", params={"as_of": as_of}, headers=headers)
        assert flags.status_code == 200 and flags.json()["total"] > 0


def test_horizon_three_trains_and_scores(
    tmp_path: Path, mlflow_uri: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _world(tmp_path, "short_18")
    code, text = run(["train", str(folder), "--horizon", "3"], capsys)
    assert code == 0, text
    code, text = run(["score", str(folder), "--as-of", _as_of(folder), "--out", "h3.csv"], capsys)
    assert code == 0 and len(_rows(Path("h3.csv"))) > 100
