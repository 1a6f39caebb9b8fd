"""``ews monitor`` and ``ews export-checks`` end to end on a small synthetic world with injected changes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from cli_run import run_cli
from monitor_world import EXPECTED, PUBLISHED, build, publish

from ews.data.validate import validate_folder


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("monitor"))


@pytest.fixture
def quiet_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No service database, no MLflow store: nothing from the developer's environment leaks in."""
    monkeypatch.delenv("EWS_DATABASE_URL", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'absent' / 'mlflow.db'}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def monitor(
    world: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, dict[str, object]]:
    code, out, err = run_cli(
        ["monitor", str(world), "--as-of", "2026-01", "--json", "r.json", *extra], capsys
    )
    assert "Traceback" not in out + err
    found = json.loads(Path("r.json").read_text(encoding="utf-8")) if code == 0 else {}
    return code, out + err, found


def test_monitor_finds_every_injected_change_at_its_area_and_month(
    world: Path, quiet_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, found = monitor(world, capsys, "--lookback", "48")
    assert code == 0, text
    assert set(found) == {"as_of", "sources", "scores", "realised", "realised_note", "checks", "alerts"}
    sources = found["sources"]
    assert isinstance(sources, list)
    seen = {(s["signal"], s["kind"], s["area_code"], s["from_month"]) for s in sources}
    assert seen >= EXPECTED
    assert not any(s["kind"] == "shift" and s["signal"] == "panggilan_112_kdrt" for s in sources)  # campaign
    assert set(sources[0]) >= {"signal", "area_code", "kind", "from_month", "size"}
    assert found["scores"] == {**found["scores"], "available": False}  # type: ignore[dict-item]
    assert "not available" in found["realised_note"]  # type: ignore[operator]
    assert Path("r.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "- [source_shift] kontak_pos_pengaduan rose" in text


def test_monitor_reads_published_scores_and_checks_from_the_service_store(
    world: Path, quiet_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{quiet_env / 'ews.db'}"
    checks = publish(world, url)
    code, text, found = monitor(world, capsys, "--database-url", url)
    assert code == 0, text
    realised = found["realised"]
    assert isinstance(realised, list)
    # Labels mature 1 + 6 months after a published month: 2024-06..2025-06 by 2026-01.
    assert [r["month"] for r in realised] == PUBLISHED[:13]
    assert all(r["expected_low"] is None and 0.0 <= r["precision"] <= 1.0 for r in realised)
    assert all(0.5 < r["calibration"] < 2.0 for r in realised)  # the truth's own probabilities
    scores = found["scores"]
    assert (
        isinstance(scores, dict)
        and scores["month"] == "2025-12"
        and scores["kota"][0]["kota_code"] == "31.71"
    )
    part = found["checks"]
    assert isinstance(part, dict) and part["available"] and "among checked RWs" in part["note"]
    top = part["by_tier"][0]
    assert top["tier"] == "sangat_tinggi" and top["checked"] > 0
    assert 0.5 < part["flags_checked_share"] < 0.9 and checks > 0
    assert 2 <= part["days_to_check_median"] <= 25
    assert "no registered backtest" in text or "no MLflow store" in text
    assert_stored(url, found)


def assert_stored(url: str, found: dict[str, object]) -> None:
    """The month's report is in the service store, as written to --json and r.html."""
    from ews.db.engine import Store
    from ews.db.monitor_reports import load_report

    store = Store.open(url)
    try:
        with store.session() as session:
            stored = load_report(session, "2026-01")
    finally:
        store.close()
    assert stored is not None and json.loads(stored.report_json) == found
    assert stored.report_html == Path("r.html").read_text(encoding="utf-8")


def test_export_checks_writes_the_contract_columns_without_notes_or_authors(
    world: Path, quiet_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{quiet_env / 'ews.db'}"
    checks = publish(world, url)
    out = quiet_env / "folder"
    out.mkdir()
    monkeypatch.setenv("EWS_DATABASE_URL", url)
    code, text, _ = run_cli(["export-checks", str(out)], capsys)
    assert code == 0, text
    with (out / "checks.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == checks and list(rows[0]) == ["rw_code", "visit_date", "outcome", "role"]
    assert "rahasia" not in (out / "checks.csv").read_text(encoding="utf-8")
    folder = shutil.copytree(world, quiet_env / "with_exported_checks")
    shutil.copyfile(out / "checks.csv", folder / "checks.csv")
    assert validate_folder(folder).ok  # the exported file passes `ews validate` beside the data


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["monitor", "{world}", "--as-of", "2030-01"], "outside this folder's data"),
        (["monitor", "{world}", "--as-of", "2025-13"], "is not a calendar month"),
        (["monitor", "{tmp}/nowhere", "--as-of", "2025-06"], "does not exist"),
        (
            ["monitor", "{world}", "--as-of", "2025-06", "--database-url", "sqlite:///{tmp}/none.db"],
            "does not exist",
        ),
        (["monitor", "{world}", "--as-of", "2025-06", "--lookback", "0"], "lookback"),
        (["export-checks", "{tmp}"], "no service database"),
        (["export-checks", "{tmp}/nowhere", "--database-url", "sqlite:///x.db"], "does not exist"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_1(
    argv: list[str], words: str, world: Path, quiet_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(world=world, tmp=quiet_env) for a in argv]
    code, out, err = run_cli(args, capsys)
    assert code == 1 and words in err and "Traceback" not in out + err
    assert not list(quiet_env.glob("*.json"))


def _fake_champion(folds_csv: str) -> None:
    """Register ``ews-rw-risk`` version 1 as @champion on a run holding only its backtest folds."""
    import mlflow

    from ews.tracking import warm_up

    with mlflow.start_run(experiment_id=warm_up()) as run:
        mlflow.log_text(folds_csv, "backtest/backtest_folds.csv")
    client = mlflow.MlflowClient()
    client.create_registered_model("ews-rw-risk")
    version = client.create_model_version("ews-rw-risk", f"runs:/{run.info.run_id}/model", run.info.run_id)
    client.set_registered_model_alias("ews-rw-risk", "champion", version.version)


def test_monitor_compares_with_the_champions_backtest_and_logs_to_mlflow(
    world: Path,
    mlflow_uri: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("EWS_DATABASE_URL", raising=False)
    _fake_champion(
        "as_of,scorer,precision_flagged\n24280,model,0.18\n24281,model,0.22\n24281,cases_12m,0.1\n"
    )
    url = f"sqlite:///{tmp_path / 'ews.db'}"
    publish(world, url)
    code, text, found = monitor(world, capsys, "--database-url", url)
    assert code == 0, text
    realised = found["realised"]
    assert isinstance(realised, list) and realised
    assert all(r["expected_low"] < 0.2 < r["expected_high"] for r in realised)
    assert "logged to MLflow run" in text

    import mlflow

    from ews.tracking import warm_up

    monitor_runs = "tags.`ews.task` = 'monitor'"
    runs = mlflow.search_runs([warm_up()], filter_string=monitor_runs, output_format="list")
    (run,) = runs
    names = {a.path for a in mlflow.MlflowClient().list_artifacts(run.info.run_id, "monitor")}
    assert names == {"monitor/realised.png", "monitor/report.json", "monitor/report.html"}


def test_a_database_never_published_to_leaves_the_sources_part_working(
    world: Path, quiet_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    sqlite3.connect(quiet_env / "empty.db").close()
    url = f"sqlite:///{quiet_env / 'empty.db'}"
    code, text, found = monitor(world, capsys, "--database-url", url)
    assert code == 0, text
    assert found["sources"] and "run `ews publish` first" in found["scores"]["reason"]  # type: ignore[index]
    assert (
        "monitor_reports" not in text and "stored in the service database" not in text
    )  # not read: not written
    code, _, err = run_cli(["export-checks", str(quiet_env), "--database-url", url], capsys)
    assert code == 1 and "run `ews publish` first" in err and not (quiet_env / "checks.csv").exists()


def test_the_full_folder_and_the_folder_cut_at_the_as_of_month_give_the_same_report(
    world: Path, quiet_env: Path
) -> None:
    from ews.data.folder import known_as_of
    from ews.data.load import read_folder
    from ews.monitor import MonitorSettings, report
    from ews.months import parse_month

    folder, month = read_folder(world), parse_month("2025-03")
    settings = MonitorSettings(lookback=36)
    assert report(folder, month, settings) == report(known_as_of(folder, month), month, settings)


def test_monitor_stores_and_replaces_the_months_report_on_either_database(
    world: Path, quiet_env: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import create_engine, func, select

    from ews.db.models import MonitorReportRow

    publish(world, database_url)
    for _ in range(2):  # the second run replaces the first month's row
        code, text, found = monitor(world, capsys, "--database-url", database_url)
        assert code == 0, text
        assert "stored in the service database as the report of 2026-01" in text
    assert_stored(database_url, found)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(MonitorReportRow)) == 1
    engine.dispose()
