"""Fixtures for the generic model pieces: a small hand-built panel, and one RW run on small_world."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ews.config import TrainSettings
from ews.models.backtest_types import BacktestSpec
from ews.models.task import TrainedTask


def toy_panel(n_units: int = 80, n_months: int = 24, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Features a (signal), b (noise), c (signal with gaps) and labels from a known logistic model."""
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [np.arange(100, 100 + n_months), [f"u{i:03d}" for i in range(n_units)]], names=["as_of", "key"]
    )
    n = len(index)
    a, b, c = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
    logit = -2.5 + 1.2 * a + 0.8 * c
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    c[rng.random(n) < 0.15] = np.nan
    return pd.DataFrame({"a": a, "b": b, "c": c}, index=index), pd.Series(y, index=index, name="label")


@pytest.fixture(scope="session")
def panel() -> tuple[pd.DataFrame, pd.Series]:
    return toy_panel()


@pytest.fixture(scope="session")
def make_panel() -> Callable[..., tuple[pd.DataFrame, pd.Series]]:
    return toy_panel


@pytest.fixture(scope="session")
def rw_settings() -> TrainSettings:
    return TrainSettings(backtest_folds=6)


@pytest.fixture(scope="session")
def truth_fn(small_world: Path) -> Callable[[int], pd.Series]:
    from ews.synth.truth import load_truth, rw_probability

    truth = load_truth(small_world.with_name(small_world.name + "-truth"))
    return lambda month: rw_probability(truth, month, 1)


@pytest.fixture(scope="session")
def small_folder(small_world: Path):  # type: ignore[no-untyped-def]
    from ews.data.load import read_folder

    return read_folder(small_world)


@pytest.fixture(scope="session")
def small_task(small_folder, rw_settings, truth_fn):  # type: ignore[no-untyped-def]
    """One full RW training run on Jakarta Pusat (backtest with truth included), shared by the RW tests."""
    from ews.models.rw import train_rw

    return train_rw(small_folder, small_folder.last_month + 1, rw_settings, truth=truth_fn)


def toy_spec(X: pd.DataFrame, y: pd.Series) -> BacktestSpec:
    """The toy panel as a backtest task: labels mature one month after their as-of month."""
    as_of = y.index.get_level_values("as_of")

    def labels(known_at: int) -> pd.Series:
        return y[as_of + 1 <= known_at]

    keys = X.index.get_level_values("key")
    groups = pd.Series([f"g{int(k[1:]) % 8}" for k in keys.unique()], index=keys.unique())
    audit = pd.DataFrame({"half": np.where(X["b"] > 0, "high", "low")}, index=X.index)
    return BacktestSpec(
        features=X,
        labels=labels,
        baselines=pd.DataFrame({"only_a": X["a"], "noise": X["b"]}, index=X.index),
        capacity_groups=groups,
        audit_groups=audit,
    )


@pytest.fixture(scope="session")
def toy_backtest(panel: tuple[pd.DataFrame, pd.Series]) -> tuple[BacktestSpec, int]:
    """The toy panel as a backtest task, and its last as-of month."""
    X, y = panel
    return toy_spec(X, y), int(X.index.get_level_values("as_of").max())


@pytest.fixture(scope="session")
def make_toy_task(panel: tuple[pd.DataFrame, pd.Series]) -> Callable[..., TrainedTask]:
    """A TrainedTask from the toy panel (fast), with an optional override of its logged metrics."""
    from ews.models.backtest import run_backtest
    from ews.models.backtest_fold import fit_on_matured
    from ews.models.backtest_types import FlagRule

    X, y = panel
    spec = toy_spec(X, y)
    known_at = int(X.index.get_level_values("as_of").max())
    params = {"kind": "logit"}
    report = run_backtest(spec, known_at, 3, FlagRule(0.1, 2), params)
    model = fit_on_matured(spec, known_at, params)

    def make(name: str = "ews-rw-risk", **metrics: float) -> TrainedTask:
        return TrainedTask(
            registered_name=name,
            model=model,
            feature_names=tuple(X.columns),
            report=report,
            metrics={**report.summary(), **{k.replace("__", "."): v for k, v in metrics.items()}},
            as_of=known_at,
            horizon=1,
            data_fingerprint=model.data_fingerprint_,
            params={"kind": "logit"},
            card="# card\n",
            tables={"backtest_folds.csv": report.folds},
        )

    return make
