"""``ews synth --profile campaign,post_opening`` writes the effects ``ews monitor`` must find, and
every ``ews synth`` writes ``checks.csv`` drawn from the truth."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_run import run_cli

from ews.months import parse_month

START, END = "2022-01", "2025-12"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ews.synth import generate

    out = tmp_path_factory.mktemp("synth-monitor") / "data"
    generate(
        out, seed=3, start=parse_month(START), end=parse_month(END), areas=["31.71"],
        profiles=["campaign,post_opening"],
    )  # fmt: skip
    return out


def test_monitor_finds_the_post_opening_and_labels_the_campaign_seasonal(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ews.synth.monitor_effects import post_opening
    from ews.synth.profiles import SynthProfile

    monkeypatch.delenv("EWS_DATABASE_URL", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'absent' / 'mlflow.db'}")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["monitor", str(world), "--as-of", "2026-01", "--json", "r.json"], capsys)
    assert code == 0, out + err
    found = json.loads(Path("r.json").read_text(encoding="utf-8"))
    seen = {(s["signal"], s["kind"], s["area_code"], s["from_month"]) for s in found["sources"]}
    regions = pd.read_csv(world / "regions.csv", dtype=str)
    span = SynthProfile.parse("campaign,post_opening").span(parse_month(START), parse_month(END))
    shift = post_opening(regions["rw_code"], span)
    assert (shift.area, shift.from_month) == ("31.71.06", "2025-04")  # Menteng, the 9th-last month
    assert ("kontak_pos_pengaduan", "shift", shift.area, shift.from_month) in seen
    assert ("panggilan_112_kdrt", "seasonal", "31", "2025-11") in seen
    assert not any(s["signal"] == "panggilan_112_kdrt" and s["kind"] == "shift" for s in found["sources"])
    assert [a["kind"] for a in found["alerts"]] == ["source_shift"]  # the campaign is not alerted on


def test_synth_writes_checks_drawn_from_the_truth(world: Path) -> None:
    from ews.data.validate import validate_folder

    checks = pd.read_csv(world / "checks.csv", dtype=str)
    assert list(checks.columns) == ["rw_code", "visit_date", "outcome", "role"]
    regions = set(pd.read_csv(world / "regions.csv", dtype=str)["rw_code"])
    assert set(checks["rw_code"]) <= regions and set(checks["role"]) <= {"lurah", "camat"}
    assert set(checks["outcome"]) <= {
        "sudah_dicek_aman",
        "ada_indikasi",
        "dirujuk_uptd_ppa",
        "tidak_dapat_dicek",
    }
    assert checks["visit_date"].min() >= START and checks["visit_date"].max() <= f"{END}-31"
    concern = checks["outcome"].isin(["ada_indikasi", "dirujuk_uptd_ppa"]).mean()
    assert 0.05 < concern < 0.95  # flags are the truth's top 5%: many, not all, had an incident
    assert not validate_folder(world).errors
