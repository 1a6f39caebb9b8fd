"""MLflow edge: logging, registry, @champion on the first version, promotion rules, loading."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from ews.exceptions import ModelError, ModelNotFoundError
from ews.model_loading import _check_compatible, load_champion, load_model
from ews.models.backtest import run_backtest
from ews.models.backtest_fold import fit_on_matured
from ews.models.backtest_types import BacktestSpec, FlagRule
from ews.models.task import TrainedTask
from ews.promotion import PROMOTION_METRIC, promote
from ews.tracking import CHAMPION, log_task


@pytest.fixture(scope="module")
def make_task() -> Callable[..., TrainedTask]:
    rng = np.random.default_rng(0)
    index = pd.MultiIndex.from_product(
        [np.arange(10, 30), [f"u{i}" for i in range(60)]], names=["as_of", "key"]
    )
    X = pd.DataFrame({"a": rng.normal(size=len(index)), "b": rng.normal(size=len(index))}, index=index)
    y = pd.Series((rng.random(len(index)) < 1 / (1 + np.exp(2 - 1.5 * X["a"]))).astype(int), index=index)
    as_of = index.get_level_values("as_of")
    spec = BacktestSpec(features=X, labels=lambda k: y[as_of + 1 <= k], baselines=X[["b"]])
    report = run_backtest(spec, 29, 2, FlagRule(0.1), {"kind": "hgb", "max_iter": 20, "min_samples_leaf": 20})
    model = fit_on_matured(spec, 29, {"kind": "hgb", "max_iter": 20, "min_samples_leaf": 20})
    X_now = X.xs(29, level="as_of")

    def make(name: str = "ews-rw-risk", metric: float | None = None) -> TrainedTask:
        metrics = report.summary()
        if metric is not None:
            metrics[PROMOTION_METRIC] = metric
        from ews.models.plots import reliability_figure

        return TrainedTask(
            name,
            model,
            ("a", "b"),
            report,
            metrics,
            29,
            1,
            model.data_fingerprint_,
            params={"kind": "hgb", "seed": 0},
            figures={"reliability.png": reliability_figure(report)},
            card="# card\n",
            tables={"backtest_folds.csv": report.folds, "now.csv": X_now},
        )

    return make


def test_first_version_is_champion_and_loads_back(
    mlflow_uri: str, make_task: Callable[..., TrainedTask]
) -> None:
    task = make_task()
    info = log_task(task)
    assert (info.version, info.champion) == (1, True)
    loaded = load_champion("ews-rw-risk")
    X = pd.DataFrame({"a": [0.0, 2.0, np.nan], "b": [1.0, -1.0, 0.5]})
    assert np.array_equal(loaded.predict_proba(X), task.model.predict_proba(X))
    assert loaded.model_id_ == task.model.model_id_
    import mlflow

    run = mlflow.get_run(info.run_id)
    assert run.data.tags["ews.model_id"] == task.model.model_id_
    assert PROMOTION_METRIC in run.data.metrics
    artifacts = {a.path for a in mlflow.MlflowClient().list_artifacts(info.run_id)}
    assert {"model_card.md", "plots", "backtest"} <= artifacts


def test_second_version_waits_and_promotion_needs_a_backtest_not_worse(
    mlflow_uri: str, make_task: Callable[..., TrainedTask]
) -> None:
    log_task(make_task(metric=0.30))
    second = log_task(make_task(metric=0.25))
    assert (second.version, second.champion) == (2, False)
    refused = promote("ews-rw-risk")
    assert not refused.promoted and refused.champion_version == 1
    assert "worse" in refused.message and "-0.0500" in refused.message
    log_task(make_task(metric=0.30))
    moved = promote("ews-rw-risk")
    assert moved.promoted and moved.champion_version == 3
    assert "+0.0000" in moved.message
    again = promote("ews-rw-risk")
    assert not again.promoted and "already" in again.message
    import mlflow

    alias = mlflow.MlflowClient().get_model_version_by_alias("ews-rw-risk", CHAMPION)
    assert int(alias.version) == 3


def test_missing_models_raise_model_not_found(mlflow_uri: str) -> None:
    with pytest.raises(ModelNotFoundError, match="ews-rw-risk@champion"):
        load_champion("ews-rw-risk")
    with pytest.raises(ModelNotFoundError, match="no registered model"):
        promote("ews-case-reopen")
    with pytest.raises(ModelNotFoundError, match="runs:/nope/model"):
        load_model("runs:/nope/model")


def test_a_model_saved_by_an_older_ews_is_refused_in_one_sentence(
    make_task: Callable[..., TrainedTask],
) -> None:
    # Simulate a model pickled before RiskClassifier gained `label_completeness`.
    old = copy.deepcopy(make_task().model)
    del old.label_completeness
    with pytest.raises(ModelError, match=r"older version of ews .*retrain it with `ews train DIR`"):
        _check_compatible(old, "models:/ews-rw-risk@champion")
    _check_compatible(make_task().model, "models:/ews-rw-risk@champion")  # the current class passes
