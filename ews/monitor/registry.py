"""What the registry's backtest led to expect of the published flags (the MLflow edge of the monitor).

Reads ``backtest/backtest_folds.csv`` of the run behind ``ews-rw-risk@champion``,
and logs a monitor report (JSON, HTML, the realised-performance plot) as a run.
A tracking store that does not exist (a missing SQLite file) is never
created: the monitor then says the expected range is not available.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ews.config import RW_MODEL_NAME, TrackingSettings
from ews.monitor.realised import Expectation, expectation_from_folds
from ews.monitor.result import MonitorReport

FOLDS_TABLE = "backtest_folds.csv"


def store_exists(tracking: TrackingSettings) -> bool:
    """False for a SQLite store whose file is missing (opening it would create an empty one)."""
    uri = tracking.mlflow_tracking_uri
    return not uri.startswith("sqlite:///") or Path(uri.removeprefix("sqlite:///")).is_file()


def backtest_expectation(tracking: TrackingSettings) -> tuple[Expectation | None, str]:
    """The champion's expectation, or None and one sentence saying why not."""
    if not store_exists(tracking):
        return None, f"no MLflow store at {tracking.mlflow_tracking_uri}"
    import mlflow
    from mlflow.exceptions import MlflowException

    from ews.exceptions import EwsError
    from ews.tracking import read_run_record

    mlflow.set_tracking_uri(tracking.mlflow_tracking_uri)
    try:
        version = str(mlflow.MlflowClient().get_model_version_by_alias(RW_MODEL_NAME, "champion").version)
        record = read_run_record(RW_MODEL_NAME, version, (FOLDS_TABLE,), tracking)
    except (MlflowException, EwsError) as exc:
        return None, f"no readable {RW_MODEL_NAME}@champion ({exc.__class__.__name__})"
    text = record.tables.get(FOLDS_TABLE)
    if text is None:
        return None, f"{RW_MODEL_NAME} version {version} has no {FOLDS_TABLE}"
    source = f"{RW_MODEL_NAME} version {version}"
    found = expectation_from_folds(pd.read_csv(io.StringIO(text)), source)
    return found, "" if found else f"{source}'s backtest has no precision of the flag list"


def log_report(report: MonitorReport, html: str, tracking: TrackingSettings) -> str:
    """Log the report (JSON, HTML, realised-performance plot, headline metrics) as an MLflow run; its id."""
    import mlflow

    from ews.exceptions import TrackingError
    from ews.monitor.plots import realised_figure
    from ews.tracking import warm_up

    experiment = warm_up(tracking)
    try:
        with mlflow.start_run(experiment_id=experiment, run_name=f"ews-monitor {report.as_of}") as run:
            mlflow.set_tags({"ews.task": "monitor", "ews.as_of": report.as_of})
            mlflow.log_metrics(_metrics(report))
            mlflow.log_dict(report.model_dump(mode="json"), "monitor/report.json")
            mlflow.log_text(html, "monitor/report.html")
            if report.realised:
                mlflow.log_figure(realised_figure(report.realised), "monitor/realised.png")
            return str(run.info.run_id)
    except Exception as exc:
        raise TrackingError(f"MLflow could not log the monitor report: {exc}") from exc


def _metrics(report: MonitorReport) -> dict[str, float]:
    out = {"monitor.sources": float(len(report.sources)), "monitor.alerts": float(len(report.alerts))}
    latest = report.realised[-1] if report.realised else None
    if latest is not None and latest.precision is not None:
        out["monitor.latest_precision"] = latest.precision
    return out
