"""GET /v1/models: each champion's training month, id, kind, backtest and bias audit (from its MLflow run)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from ews.app import create_app
from ews.config import REOPEN_MODEL_NAME, RW_MODEL_NAME, ServeSettings
from ews.months import format_month, parse_month
from ews.service.live import LiveModels, champion_loader
from ews.service.model_info import audit_summary, backtest_out, headline_metric

START = parse_month("2022-01")
AS_OF = START + 19


def _trained_task() -> Any:
    """A small real backtest (model vs one baseline, with two audit dimensions) wrapped as an RW task."""
    from ews.models.backtest import run_backtest
    from ews.models.backtest_fold import fit_on_matured
    from ews.models.backtest_types import BacktestSpec, FlagRule
    from ews.models.flow import report_tables
    from ews.models.task import TrainedTask

    rng = np.random.default_rng(1)
    index = pd.MultiIndex.from_product(
        [np.arange(START, AS_OF + 1), [f"u{i:02d}" for i in range(60)]], names=["as_of", "key"]
    )
    x = pd.DataFrame({"a": rng.normal(size=len(index)), "b": rng.normal(size=len(index))}, index=index)
    y = pd.Series((rng.random(len(index)) < 1 / (1 + np.exp(2 - 1.5 * x["a"]))).astype(int), index=index)
    keys = index.get_level_values("key")
    groups = pd.DataFrame(
        {
            "kota": np.where(keys < "u30", "31.71", "31.72"),
            "poverty_tercile": np.where(x["b"] > 0, "T3", "T1"),
        },
        index=index,
    )
    months = index.get_level_values("as_of")
    spec = BacktestSpec(
        features=x, labels=lambda k: y[months + 1 <= k], baselines=x[["b"]], audit_groups=groups
    )
    params = {"kind": "logit", "random_state": 0}
    report = run_backtest(spec, AS_OF, 3, FlagRule(0.1), params)
    model = fit_on_matured(spec, AS_OF, params)
    return TrainedTask(
        RW_MODEL_NAME, model, ("a", "b"), report, report.summary(), AS_OF, 1, model.data_fingerprint_,
        params={"kind": "logit", "seed": 0}, tables=report_tables(report),
    )  # fmt: skip


def test_models_carry_the_logged_backtest_and_audit(world: Any, mlflow_uri: str) -> None:
    from ews.tracking import log_task

    task = _trained_task()
    log_task(task)
    settings = ServeSettings(database_url=world.url, mlflow_tracking_uri=mlflow_uri)
    with TestClient(create_app(settings, model_loader=champion_loader)) as client:
        body = client.get("/v1/models", headers=world.headers("analyst")).json()
        brief = client.get("/v1/models", headers=world.headers("lurah")).json()
    (rw,) = body["live"]  # no reopen champion: only the RW champion is described
    assert (rw["name"], rw["version"], rw["alias"]) == (RW_MODEL_NAME, "1", "champion")
    assert (rw["trained_as_of"], rw["kind"], rw["model_id"]) == ("2023-08", "logit", task.model.model_id_)
    scorers = {s["scorer"]: s for s in rw["backtest"]["scorers"]}
    assert [s["role"] for s in rw["backtest"]["scorers"]] == ["model", "baseline"]
    assert rw["backtest"]["folds"] == 3 and rw["backtest"]["best_baseline"] == "b"
    for name in ("model", "b"):
        for metric in ("precision_at_5pct", "pr_auc", "roc_auc", "recall_flagged"):
            assert scorers[name]["metrics"][metric] == pytest.approx(
                task.metrics[f"backtest.{name}.{metric}"]
            )
    calibration = task.metrics["backtest.model.calibration_ratio"]
    assert scorers["model"]["metrics"]["calibration_ratio"] == pytest.approx(calibration)
    expected = task.report.audit.groupby(["dimension", "group"])[["n", "flag_rate"]].mean()
    audit = {(a["dimension"], a["group"]): a for a in rw["bias_audit"]}
    assert set(audit) == set(expected.index)
    for key, row in expected.iterrows():
        assert (audit[key]["n"], audit[key]["flag_rate"]) == pytest.approx((row["n"], row["flag_rate"]))
    lurah = brief["live"][0]
    assert lurah == {
        **dict.fromkeys(rw, None),
        **{k: rw[k] for k in ("name", "version", "alias", "trained_as_of")},
    }


def test_a_registry_without_champions_describes_nothing(world: Any, mlflow_uri: str) -> None:
    live = champion_loader(ServeSettings(database_url=world.url, mlflow_tracking_uri=mlflow_uri))
    assert (live.reopen, live.info) == (None, ())


@pytest.mark.parametrize(
    ("who", "sees_evaluation"),
    [("analyst", True), ("admin", True), ("lurah", False), ("camat", False), ("case_system", False)],
)
def test_evaluation_is_for_analysts_and_admins(world: Any, who: str, sees_evaluation: bool) -> None:
    from ews.service.model_schemas import AuditGroup, ModelInfo

    info = ModelInfo(
        name=REOPEN_MODEL_NAME, version="2", alias="champion", trained_as_of="2025-06", model_id="abc",
        kind="hgb",
        backtest=backtest_out({"backtest.model.precision_at_20pct": 0.3}, "precision_at_20pct"),
        bias_audit=[AuditGroup(dimension="kota", group="31.71", n=10, flag_rate=0.2, observed_rate=0.1,
                               precision=None, recall=0.5)],
    )  # fmt: skip
    app = create_app(ServeSettings(database_url=world.url), model_loader=lambda _s: LiveModels(info=(info,)))
    with TestClient(app) as client:
        (model,) = client.get("/v1/models", headers=world.headers(who)).json()["live"]
    assert (model["version"], model["trained_as_of"]) == ("2", "2025-06")
    assert (model["backtest"] is not None, model["bias_audit"] is not None, model["kind"] == "hgb") == (
        sees_evaluation,
    ) * 3


def test_backtest_groups_metrics_by_scorer_and_finds_the_best_baseline() -> None:
    metrics = {
        "backtest.truth.precision_at_5pct": 0.5,
        "backtest.recent.precision_at_5pct": 0.2,
        "backtest.model.precision_at_5pct": 0.3,
        "backtest.model.brier": 0.04,
        "backtest.model.roc_auc": math.nan,  # not measured in any fold: left out, not served as NaN
        "backtest.cases_12m.precision_at_5pct": 0.25,
        "backtest.folds": 6.0,
        "train.seconds": 3.0,
    }
    out = backtest_out(metrics, "precision_at_5pct")
    assert out is not None
    assert [s.scorer for s in out.scorers] == ["model", "cases_12m", "recent", "truth"]
    assert out.scorers[0].metrics == {"brier": 0.04, "precision_at_5pct": 0.3}
    assert (out.best_baseline, out.folds) == ("cases_12m", 6)
    assert backtest_out({"train.seconds": 1.0}, "precision_at_5pct") is None


def test_headline_metric_is_the_follow_up_share() -> None:
    assert headline_metric(RW_MODEL_NAME) == "precision_at_5pct"
    assert headline_metric(REOPEN_MODEL_NAME) == "precision_at_20pct"


def test_audit_summary_means_over_folds_and_keeps_unmeasured_as_null() -> None:
    text = (
        "as_of,dimension,group,n,flag_rate,observed_rate,precision,recall\n"
        "300,kota,31.71,10,0.2,0.1,0.5,\n"
        "301,kota,31.71,20,0.4,0.3,,\n"
        "300,poverty_tercile,T1,5,0.0,0.0,,\n"
    )
    first, second = audit_summary(text)
    assert (first.dimension, first.group, first.n) == ("kota", "31.71", 15.0)
    assert (first.flag_rate, first.observed_rate, first.precision, first.recall) == pytest.approx(
        (0.3, 0.2, 0.5, None)
    )
    assert (second.group, second.precision, second.recall) == ("T1", None, None)


def test_trained_as_of_reads_the_month_index_tag() -> None:
    from ews.service.model_info import trained_as_of

    assert trained_as_of({"ews.as_of": str(AS_OF)}, {}) == format_month(AS_OF)
    assert trained_as_of({}, {"as_of": "2024-12"}) == "2024-12"
    assert trained_as_of({}, {}) is None
