"""Learner (issue 15): ews's HGB on a kecamatan sample vs every row, and LightGBM / XGBoost on Dask.

    pip install -e ".[bench-learners]"                             # lightgbm, xgboost (pinned)
    python bench/bench_learner.py --provinces 4 --seed 0            # synthesise (~10 s), then compare
    python bench/bench_learner.py --folder /work/scale/nat40 --learners ews-sample,lgbm-dask,xgb-dask
    python bench/bench_learner.py --folder DIR --learners ews-all --no-baseline --isolate  # capped child

One train/test split, built as ``ews backtest`` builds its last fold: the RW spec of
``ews.models.flow.prepare`` (features from the warm-up's end to the as-of month, the
month after the data; labels through ``spec.labels``; above ``max_fit_rows`` RW-months a
seeded kecamatan sample, ``ews.models.rw.fit_sample``), the latest trainable fold month
as the test month (every RW), training rows = labels matured before it. Learners:

* ``ews-sample``  (a) ``fit_on_matured`` on the sampled spec with ews's RW defaults: the
  teacher's soft targets, the distilled HGB student, calibration; what ews does today.
* ``ews-all``     (b) the same on a spec without sample (``max_fit_rows`` lifted): every
  RW-month, its own teacher.
* ``hgb-labels-all``  RiskClassifier hgb with ``distill=False`` on every row: the plain
  classifier of the 0/1 labels (negative share and calibration as ews's defaults).
* ``lgbm-dask`` / ``xgb-dask``  ``DaskLGBMClassifier`` / ``DaskXGBClassifier`` (hist) of the
  0/1 labels on every row, on a ``LocalCluster(n_workers=W, threads_per_worker=1)``, the
  rows scattered in partitions over the workers (float32).
* ``lgbm-dask-soft`` / ``xgb-dask-soft``  their regressors of the (b) teacher's soft targets:
  ews's distilled student, on every row, distributed.
* ``lgbm-1``  LightGBM (not Dask) on one thread, labels, every row: the learner without Dask.

The Dask and LightGBM learners learn from the rows the RiskClassifier's base model learns
from (``ews.models.sampling.base_mask``: before the calibration window and its gap), all
of them (no negative sampling), with ews's tree settings: rounds, learning rate, leaves,
min rows per leaf (XGBoost: ``min_child_weight`` = that many rows' hessian), L2 1.0, 255
bins, fixed rounds. They are not calibrated: the measures are ranking ones (ROC-AUC,
PR-AUC, precision@5% against the labels as ews's backtest knows them at the as-of month,
and the truth ratio at 5%, ``ews.models.metrics.truth_metrics``, from the synthetic truth
as ``ews backtest`` reads it).

Per learner: fit wall seconds (shipping the rows to the workers timed apart; the teacher
too), peak RSS of this whole process tree during the fit (driver + workers; the driver
holds the feature frame throughout, so the peak above the RSS before the fit is printed
too) and of the largest worker, and native exact SHAP (LightGBM ``pred_contrib``, XGBoost
``pred_contribs``) on the test month: on the cluster and on one local thread, with the
largest gap between the contributions' sum and the raw margin; ews's own explanation
(``ews.models.explain.contributions``, shap's TreeExplainer) of (a) on the same rows.
A Dask fit whose tree exceeds ``--rss-cap-gb`` has its workers killed and is reported;
an in-process fit whose estimated need exceeds it is skipped and reported, unless the
bench runs with ``--isolate``: then it runs again as a child (``--force-in-process``)
whose whole tree bench_scale's sampler kills above the cap, and that is reported.
Timings are wall seconds on a shared machine: other work on it shows up in them.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pandas as pd
from bench_scale import (
    GB,
    ROOT,
    TreeSampler,
    fmt_seconds,
    kill_tree,
    print_table,
    run_measured,
    world,
)

LEARNERS = (
    "ews-sample",
    "ews-all",
    "hgb-labels-all",
    "lgbm-1",
    "lgbm-dask",
    "xgb-dask",
    "lgbm-dask-soft",
    "xgb-dask-soft",
)
DASK = ("lgbm-dask", "xgb-dask", "lgbm-dask-soft", "xgb-dask-soft")
SOFT = ("ews-all", "lgbm-dask-soft", "xgb-dask-soft")
K = 0.05
NO_SAMPLE = 10**12


# --------------------------------------------------------------------------- measuring


class CappedSampler(TreeSampler):
    """A TreeSampler whose cap kills this process's descendants only (Dask workers), never itself."""

    def over_cap(self) -> None:
        import psutil

        for child in psutil.Process(self.pid).children(recursive=False):
            kill_tree(child.pid)


def own_rss() -> int:
    """RSS of this process and its descendants."""
    return TreeSampler(os.getpid()).tree_rss()


@dataclass
class Result:
    """One learner on the split: costs, quality, SHAP."""

    name: str
    rows: int = 0
    teacher_s: float = float("nan")
    ship_s: float = float("nan")
    fit_s: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)
    before: int = 0
    worker_peak: int = 0
    quality: dict[str, float] = field(default_factory=dict)
    shap_cluster_s: float = float("nan")
    shap_local_s: float = float("nan")
    shap_gap: float = float("nan")
    status: str = "ok"

    @property
    def fit(self) -> float:
        return statistics.median(self.fit_s) if self.fit_s else float("nan")

    @property
    def peak_bytes(self) -> int:
        return int(statistics.median(self.peak)) if self.peak else 0


def measured(
    result: Result, action: Callable[[], Any], cap_gb: float, repeats: int, capped: bool = False
) -> Any:
    """``action()`` ``repeats`` times: wall seconds and peak tree RSS of each into ``result``."""
    out = None
    cap = cap_gb * GB if capped else None
    for _ in range(repeats):
        result.before = own_rss()
        with CappedSampler(os.getpid(), 0.2, cap) as sampler:
            start = time.perf_counter()
            try:
                out = action()
            except Exception as error:  # a killed worker fails the fit: report it, go on
                if sampler.killed_at is None:
                    raise
                result.status = f"workers killed at {sampler.killed_at / GB:.1f} GB ({type(error).__name__})"
                return None
            seconds = time.perf_counter() - start
        if sampler.killed_at is not None:
            result.status = f"workers killed at {sampler.killed_at / GB:.1f} GB"
            return None
        result.fit_s.append(seconds)
        result.peak.append(sampler.peak)
        result.worker_peak = max(result.worker_peak, sampler.peak_child)
    return out


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --------------------------------------------------------------------------- the split


@dataclass
class Split:
    """One spec's training rows for the last fold, as the RiskClassifier's base model sees them."""

    spec: Any
    params: dict[str, Any]
    month: int
    teacher_s: float
    build_s: float


def prepared(folder: Any, as_of: int, settings: Any, truth: Any, teach_it: bool) -> Split:
    """``flow.prepare`` of the RW task (the teacher fitted apart, timed); the last trainable fold month."""
    from ews.models import flow
    from ews.models.backtest import fold_months, trainable_folds
    from ews.models.rw import RW_TASK
    from ews.models.rw_teacher import teach

    start = time.perf_counter()
    # Candidates without hgb: prepare builds the spec and parameters and skips the teacher.
    ready = flow.prepare(RW_TASK, folder, as_of, settings, lambda _: None, truth, None, ("logit",))
    build_s = time.perf_counter() - start
    teacher_s = float("nan")
    if teach_it and ready.params.get("distill"):
        start = time.perf_counter()
        ready = teach(folder, replace(ready, kinds=("hgb",)), as_of, settings, lambda _: None)
        teacher_s = time.perf_counter() - start
    spec = ready.spec
    month = trainable_folds(spec, fold_months(spec, as_of, ready.plan.folds))[-1]
    return Split(spec, {**ready.params, "kind": "hgb"}, month, teacher_s, build_s)


Rows = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any] | None]


def base_rows(split: Split, chunk: int = 250_000) -> Rows:
    """The rows ``fit_on_matured`` hands the classifier, cut to its base model's (``base_mask``).

    As float32 (what LightGBM and XGBoost bin from), copied a chunk at a time so the driver
    never holds a second float64 copy of millions of rows; with their labels and soft targets.
    """
    from ews.models.sampling import base_mask, calibration_mask

    spec = split.spec
    labels = spec.labels(split.month)
    matured = np.asarray(labels.index.get_level_values("as_of") < split.month)
    if spec.fit_rows is not None:
        matured &= spec.fit_rows[: len(labels)]
    keys = pd.DataFrame(index=spec.features.index[: len(labels)][matured])  # the masks read the index only
    gap = int(split.params["calibration_gap"])
    held = calibration_mask(keys, int(split.params["calibration_months"]), gap)
    learn = base_mask(keys, held, gap)
    positions = np.flatnonzero(matured)[learn]
    matrix = np.empty((len(positions), spec.features.shape[1]), dtype=np.float32)
    for lo in range(0, len(positions), chunk):
        rows = positions[lo : lo + chunk]
        matrix[lo : lo + len(rows)] = spec.features.iloc[rows].to_numpy(dtype=np.float32)
    y = labels.to_numpy(dtype=np.int64)[positions]
    soft = None if spec.soft_targets is None else spec.soft_targets.to_numpy(dtype=np.float64)[positions]
    return matrix, y, soft


def score(scores: pd.Series, labels: pd.Series, truth: pd.Series | None) -> dict[str, float]:
    from ews.models import metrics as m

    out = m.ranking_metrics(scores, labels, (K,))
    if truth is not None:
        out.update(m.truth_metrics(scores, truth, K))
    return out


# --------------------------------------------------------------------------- learners


def tree_params(params: dict[str, Any], soft: bool) -> dict[str, Any]:
    """ews's HGB settings for this target: the student's rounds for soft targets, the classifier's else."""
    rounds = params["student_max_iter"] if soft else params["max_iter"]
    rate = params["student_learning_rate"] if soft else params["learning_rate"]
    return {
        "rounds": int(rounds),
        "learning_rate": float(rate),
        "leaves": int(params["max_leaf_nodes"]),
        "min_leaf": int(params["min_samples_leaf"]),
        "l2": 1.0,  # RiskClassifier's l2_regularization default, not overridden by the RW defaults
    }


def lgbm_kwargs(tp: dict[str, Any], seed: int) -> dict[str, Any]:
    return {
        "n_estimators": tp["rounds"],
        "learning_rate": tp["learning_rate"],
        "num_leaves": tp["leaves"],
        "max_depth": -1,
        "min_child_samples": tp["min_leaf"],
        "min_child_weight": 1e-3,
        "reg_lambda": tp["l2"],
        "max_bin": 255,
        "subsample": 1.0,
        "colsample_bytree": 1.0,
        "n_jobs": 1,
        "random_state": seed,
        "verbose": -1,
    }


def xgb_kwargs(tp: dict[str, Any], seed: int, hessian: float) -> dict[str, Any]:
    return {
        "n_estimators": tp["rounds"],
        "learning_rate": tp["learning_rate"],
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": tp["leaves"],
        "max_depth": 0,
        "min_child_weight": tp["min_leaf"] * hessian,
        "reg_lambda": tp["l2"],
        "max_bin": 256,
        "n_jobs": 1,
        "random_state": seed,
    }


@dataclass
class Cluster:
    client: Any
    cluster: Any
    workers: list[str]
    start_s: float


def start_cluster(workers: int) -> Cluster:
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0
    )
    client = Client(cluster)  # type: ignore[no-untyped-call]
    addresses = sorted(client.scheduler_info()["workers"])
    return Cluster(client, cluster, addresses, time.perf_counter() - start)


def scatter(
    cl: Cluster, matrix: np.ndarray[Any, Any], y: np.ndarray[Any, Any], parts: int
) -> tuple[Any, Any, list[Any]]:
    """``matrix`` and ``y`` in ``parts`` row blocks, each block's two on the same worker, as dask arrays."""
    import dask.array as da

    bounds = np.linspace(0, len(matrix), parts + 1).astype(int)
    xs, ys, futures = [], [], []
    for i in range(parts):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        where = [cl.workers[i % len(cl.workers)]]
        fx, fy = cl.client.scatter([matrix[lo:hi], y[lo:hi]], workers=where, direct=True)
        futures += [fx, fy]
        xs.append(da.from_delayed(fx, shape=(hi - lo, matrix.shape[1]), dtype=matrix.dtype))  # type: ignore[no-untyped-call]
        ys.append(da.from_delayed(fy, shape=(hi - lo,), dtype=y.dtype))  # type: ignore[no-untyped-call]
    dx, dy = da.concatenate(xs), da.concatenate(ys)  # type: ignore[no-untyped-call]
    return dx, dy, futures


def dask_learner(
    name: str,
    cl: Cluster,
    full: Split,
    rows: Rows,
    x_test: pd.DataFrame,
    args: argparse.Namespace,
    result: Result,
) -> pd.Series | None:
    """Fit one Dask learner; its scores on the test month; SHAP timed on the cluster and locally."""
    import dask.array as da

    matrix, y, soft = rows
    is_soft = name.endswith("-soft")
    if is_soft and soft is None:
        result.status = "no soft targets (the full spec has no teacher)"
        return None
    target = soft if is_soft else y.astype(np.float32)
    assert target is not None
    tp = tree_params(full.params, is_soft)
    start = time.perf_counter()
    dx, dy, futures = scatter(cl, matrix, np.asarray(target, dtype=np.float32), 2 * len(cl.workers))
    from distributed import wait

    wait(futures)  # type: ignore[no-untyped-call]
    result.ship_s = time.perf_counter() - start
    result.rows = len(matrix)
    test = x_test.to_numpy(dtype=np.float32)
    dtest = da.from_array(test, chunks=(max(1, -(-len(test) // len(cl.workers))), test.shape[1]))  # type: ignore[no-untyped-call]
    if name.startswith("lgbm"):
        import lightgbm as lgb
        from lightgbm.dask import DaskLGBMClassifier, DaskLGBMRegressor

        kind: Any = DaskLGBMRegressor if is_soft else DaskLGBMClassifier
        extra = {"objective": "regression"} if is_soft else {}
        model = kind(client=cl.client, tree_learner="data", **lgbm_kwargs(tp, args.train_seed), **extra)
        fitted = measured(result, lambda: model.fit(dx, dy), args.rss_cap_gb, args.repeats, capped=True)
        if fitted is None:
            return None
        local = fitted.to_local()
        values = local.predict(test) if is_soft else local.predict_proba(test)[:, 1]
        start = time.perf_counter()
        contrib = fitted.predict(dtest, pred_contrib=True).compute()
        result.shap_cluster_s = time.perf_counter() - start
        start = time.perf_counter()
        contrib_local = local.predict(test, pred_contrib=True)
        result.shap_local_s = time.perf_counter() - start
        raw = local.predict(test, raw_score=True)
        assert isinstance(local.booster_, lgb.Booster)
    else:
        import xgboost as xgb
        from xgboost.dask import DaskXGBClassifier, DaskXGBRegressor

        rate = float(np.mean(y))
        hessian = 1.0 if is_soft else rate * (1.0 - rate)
        kind = DaskXGBRegressor if is_soft else DaskXGBClassifier
        model = kind(**xgb_kwargs(tp, args.train_seed, hessian))
        model.client = cl.client
        fitted = measured(result, lambda: model.fit(dx, dy), args.rss_cap_gb, args.repeats, capped=True)
        if fitted is None:
            return None
        booster = fitted.get_booster()
        booster.set_param({"nthread": 1})
        dm = xgb.DMatrix(test)
        values = booster.predict(dm)
        start = time.perf_counter()
        dmat = xgb.dask.DaskDMatrix(cl.client, dtest)
        contrib = xgb.dask.predict(cl.client, booster, dmat, pred_contribs=True).compute()
        result.shap_cluster_s = time.perf_counter() - start
        start = time.perf_counter()
        contrib_local = booster.predict(dm, pred_contribs=True)
        result.shap_local_s = time.perf_counter() - start
        raw = booster.predict(dm, output_margin=True)
    contrib, contrib_local = np.asarray(contrib), np.asarray(contrib_local)
    result.shap_gap = float(
        max(
            np.max(np.abs(contrib.sum(axis=1) - raw)),
            np.max(np.abs(contrib_local.sum(axis=1) - raw)),
        )
    )
    return pd.Series(np.asarray(values, dtype=np.float64), index=x_test.index)


def lgbm_local(
    rows: Rows,
    full: Split,
    x_test: pd.DataFrame,
    args: argparse.Namespace,
    result: Result,
) -> pd.Series | None:
    import lightgbm as lgb

    matrix, y, _ = rows
    result.rows = len(matrix)
    model = lgb.LGBMClassifier(**lgbm_kwargs(tree_params(full.params, False), args.train_seed))
    fitted = measured(result, lambda: model.fit(matrix, y), args.rss_cap_gb, args.repeats)
    test = x_test.to_numpy(dtype=np.float32)
    start = time.perf_counter()
    contrib = fitted.predict(test, pred_contrib=True)
    result.shap_local_s = time.perf_counter() - start
    result.shap_gap = float(np.max(np.abs(contrib.sum(axis=1) - fitted.predict(test, raw_score=True))))
    return pd.Series(fitted.predict_proba(test)[:, 1], index=x_test.index)


def ews_learner(
    split: Split, params: dict[str, Any], x_test: pd.DataFrame, args: argparse.Namespace, result: Result
) -> tuple[pd.Series | None, Any]:
    """``fit_on_matured`` as the backtest's fold runs it; skipped when its estimated need exceeds the cap."""
    from ews.models.backtest_fold import fit_on_matured

    labels = split.spec.labels(split.month)
    matured = np.asarray(labels.index.get_level_values("as_of") < split.month)
    if split.spec.fit_rows is not None:
        matured &= split.spec.fit_rows[: len(labels)]
    result.rows = int(matured.sum())
    # The fit's own copies: the row selection, its float64 matrix, the base rows cut from it.
    need = own_rss() + 3 * result.rows * split.spec.features.shape[1] * 8
    if need > args.rss_cap_gb * GB and not args.force_in_process:
        result.status = f"skipped: needs ~{need / GB:.1f} GB > cap {args.rss_cap_gb:.0f} GB"
        return None, None
    model = measured(
        result, lambda: fit_on_matured(split.spec, split.month, params), args.rss_cap_gb, args.repeats
    )
    return pd.Series(model.predict_proba(x_test)[:, 1], index=x_test.index), model


# --------------------------------------------------------------------------- run


def run(args: argparse.Namespace) -> None:
    from ews.config import TrainSettings
    from ews.data.load import load_folder
    from ews.models.backtest_types import month_rows
    from ews.months import format_month

    chosen = [s.strip() for s in args.learners.split(",") if s.strip()]
    unknown = [c for c in chosen if c not in LEARNERS]
    if unknown:
        sys.exit(f"--learners: unknown {unknown}; known: {', '.join(LEARNERS)}")
    if "ews-sample" not in chosen and not args.no_baseline:
        chosen.insert(0, "ews-sample")  # the baseline every ratio is against
    libraries = {"lgbm": "lightgbm", "xgb": "xgboost"}
    needed = sorted({lib for c in chosen for prefix, lib in libraries.items() if c.startswith(prefix)})
    missing = [lib for lib in needed if importlib.util.find_spec(lib) is None]
    if missing:
        sys.exit(f"--learners needs {', '.join(missing)}: pip install -e '.[bench-learners]'")
    workdir = (args.workdir or Path("/tmp/learner")).resolve()
    path, _ = world(args, workdir)
    truth_dir = path.with_name(path.name + "-truth")
    settings = TrainSettings(seed=args.train_seed)
    start = time.perf_counter()
    folder = load_folder(path)
    as_of = folder.last_month + 1
    truth_fn = None
    if truth_dir.is_dir():
        from ews.synth.truth import load_truth, rw_probability

        truth_obj = load_truth(truth_dir)
        truth_fn = lambda month: rw_probability(truth_obj, month, settings.horizon)  # noqa: E731
    log(f"{path}: {len(folder.regions):,} RWs, loaded in {time.perf_counter() - start:.1f} s")

    log(f"sampled spec (max_fit_rows {settings.max_fit_rows:,}) and its teacher")
    sample = prepared(folder, as_of, settings, truth_fn, teach_it="ews-sample" in chosen)
    month = sample.month
    x_test = month_rows(sample.spec.features, month)
    final = sample.spec.labels(as_of)
    labels = final.xs(month, level="as_of").reindex(x_test.index).fillna(0).astype(np.int64)
    truth = sample.spec.truth(month) if sample.spec.truth is not None else None
    sampled = (
        "no sample" if sample.spec.fit_rows is None else f"{int(sample.spec.fit_rows.sum()):,} rows kept"
    )
    log(
        f"  features {sample.spec.features.shape} ({sampled}) in {sample.build_s:.1f} s, teacher "
        f"{sample.teacher_s:.1f} s; test month {format_month(month)}: {len(x_test):,} RWs, "
        f"{int(labels.sum()):,} with a case"
    )
    results: dict[str, Result] = {}
    scores: dict[str, pd.Series] = {}

    def record(name: str, result: Result, values: pd.Series | None) -> None:
        results[name] = result
        if values is not None:
            scores[name] = values
            result.quality = score(values, labels, truth)
        q = result.quality
        log(
            f"  {name}: {result.status}; fit {fmt_seconds(result.fit)}, peak {result.peak_bytes / GB:.2f} GB "
            f"(before {result.before / GB:.2f}); AUC {q.get('roc_auc', float('nan')):.4f}, "
            f"p@5% {q.get('precision_at_5pct', float('nan')):.4f}, "
            f"truth ratio {q.get('truth_ratio_at_5pct', float('nan')):.4f}"
        )

    if "ews-sample" in chosen:
        log("ews-sample: fit_on_matured on the sampled spec")
        res = Result("ews-sample", teacher_s=sample.teacher_s)
        values, model_a = ews_learner(sample, sample.params, x_test, args, res)
        if model_a is not None:
            from ews.models.explain import contributions

            start = time.perf_counter()
            contributions(model_a, x_test)
            res.shap_local_s = time.perf_counter() - start
        record("ews-sample", res, values)
    sample.spec = model_a = None  # the test rows, labels and truth are kept apart
    gc.collect()

    rest = [c for c in chosen if c != "ews-sample"]
    if not rest:
        report(args, path, results, month, len(x_test))
        return
    teach_full = any(c in SOFT for c in rest)
    log(f"full spec (no sample){' and its teacher' if teach_full else ''}")
    full_settings = settings.model_copy(update={"max_fit_rows": NO_SAMPLE})
    full = prepared(folder, as_of, full_settings, truth_fn, teach_it=teach_full)
    del folder
    assert full.month == month, (full.month, month)
    assert list(month_rows(full.spec.features, month).columns) == list(x_test.columns)
    log(
        f"  features {full.spec.features.shape} in {full.build_s:.1f} s, teacher {full.teacher_s:.1f} s; "
        f"tree settings: {tree_params(full.params, False)}; student: {tree_params(full.params, True)}"
    )
    for name in ("ews-all", "hgb-labels-all"):
        if name in rest:
            log(f"{name}: fit_on_matured on every row")
            params = full.params if name == "ews-all" else {**full.params, "distill": False}
            res = Result(name, teacher_s=full.teacher_s if name == "ews-all" else float("nan"))
            values, _ = ews_learner(full, params, x_test, args, res)
            record(name, res, values)
    dask_names = [c for c in rest if c in DASK]
    if "lgbm-1" in rest or dask_names:
        rows = base_rows(full)
        full.spec = None  # the driver keeps the float32 rows only: the feature frame's GBs go
        gc.collect()
        log(f"  base rows of every RW: {len(rows[0]):,} ({rows[1].mean():.4f} with a case)")
        if "lgbm-1" in rest:
            log("lgbm-1: LightGBM on one thread")
            res = Result("lgbm-1")
            record("lgbm-1", res, lgbm_local(rows, full, x_test, args, res))
        if dask_names:
            cl = start_cluster(args.workers)
            log(f"  LocalCluster of {args.workers} workers x 1 thread up in {cl.start_s:.1f} s")
            try:
                for name in dask_names:
                    log(f"{name}")
                    res = Result(name, teacher_s=full.teacher_s if name.endswith("-soft") else float("nan"))
                    try:
                        values = dask_learner(name, cl, full, rows, x_test, args, res)
                    except Exception as error:  # say why, keep going with the others
                        res.status = f"failed: {type(error).__name__}: {str(error)[:160]}"
                        values = None
                    record(name, res, values)
                    cl.client.cancel(list(cl.client.futures))
                    if not res.status.startswith("ok"):
                        cl.client.close()
                        cl.cluster.close()
                        cl = start_cluster(args.workers)
            finally:
                cl.client.close()
                cl.cluster.close()
    report(args, path, results, month, len(x_test))


def report(args: argparse.Namespace, path: Path, results: dict[str, Result], month: int, n_test: int) -> None:
    from ews.months import format_month

    base = results.get("ews-sample", Result("none"))

    def ratio(value: float, against: float) -> str:
        return "-" if value != value or against != against or against == 0 else f"{value / against:.2f}x"

    def num(value: float, digits: int = 4) -> str:
        return "-" if value != value else f"{value:.{digits}f}"

    rows = []
    for r in results.values():
        q = r.quality
        total = r.fit + (0.0 if r.teacher_s != r.teacher_s else r.teacher_s)
        base_total = base.fit + (0.0 if base.teacher_s != base.teacher_s else base.teacher_s)
        rows.append(
            [
                r.name,
                f"{r.rows:,}",
                num(r.teacher_s, 1),
                num(r.ship_s, 1),
                num(r.fit, 1),
                ratio(r.fit, base.fit),
                ratio(total, base_total),
                f"{r.peak_bytes / GB:.2f}" if r.peak else "-",
                f"{(r.peak_bytes - r.before) / GB:.2f}" if r.peak else "-",
                f"{r.worker_peak / GB:.2f}" if r.worker_peak else "-",
                num(q.get("roc_auc", float("nan"))),
                num(q.get("pr_auc", float("nan"))),
                num(q.get("precision_at_5pct", float("nan"))),
                num(q.get("truth_ratio_at_5pct", float("nan"))),
                num(r.shap_cluster_s, 2),
                num(r.shap_local_s, 2),
                "-" if r.shap_gap != r.shap_gap else f"{r.shap_gap:.1e}",
                r.status,
            ]
        )
    print_table(
        f"Learners on {path.name}, test month {format_month(month)} ({n_test:,} RWs); "
        f"{args.repeats} repeat(s), median fit; {args.workers} Dask workers x 1 thread; "
        f"{os.cpu_count()} cores, load avg {os.getloadavg()[0]:.1f}; seconds unless said",
        [
            "learner",
            "fit rows",
            "teacher",
            "ship",
            "fit",
            "fit vs a",
            "teacher+fit vs a",
            "peak GB",
            "peak-before",
            "worker GB",
            "ROC-AUC",
            "PR-AUC",
            "p@5%",
            "truth@5%",
            "SHAP dask",
            "SHAP 1 thr",
            "SHAP gap",
            "status",
        ],
        rows,
    )
    print(
        "fit rows: rows handed to the learner (ews-*: before its own base/calibration split and negative "
        "sample; others: the base rows, all of them);\nteacher: the distillation teacher's fit and soft "
        "targets (ews-sample: on the sample; ews-all and *-soft: on every row, in process);\nship: "
        "scattering the rows to the workers; peak: RSS of the whole process tree (driver with the "
        "feature frames + workers) during the fit;\nSHAP: exact contributions of the test month (ews-sample: "
        "ews.models.explain.contributions, shap TreeExplainer; others native), gap = max |sum - raw margin|."
    )
    out = Path(args.json) if args.json else None
    if out is not None:
        data = {name: {**r.__dict__, "fit": r.fit, "peak_bytes": r.peak_bytes} for name, r in results.items()}
        out.write_text(
            json.dumps({"folder": str(path), "month": format_month(month), "results": data}, indent=2)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", type=Path, help="An existing data folder (its truth in FOLDER-truth).")
    where.add_argument("--provinces", type=int, help="Synthesise a national world of N provinces first.")
    parser.add_argument("--start", default="2020-01", help="First month of a synthesised world.")
    parser.add_argument("--end", default="2025-12", help="Last month of a synthesised world.")
    parser.add_argument("--seed", type=int, default=0, help="Seed of a synthesised world.")
    parser.add_argument("--train-seed", type=int, default=0, help="ews's training seed (sample, learners).")
    parser.add_argument("--worlds", type=Path, default=None, help="Where synthesised worlds go.")
    parser.add_argument("--workdir", type=Path, default=None, help="Working folder (default /tmp/learner).")
    parser.add_argument(
        "--learners", default=",".join(LEARNERS), help=f"Comma-separated subset of {','.join(LEARNERS)}."
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="LocalCluster worker processes (1 thread each)."
    )
    parser.add_argument("--repeats", type=int, default=1, help="Fits per learner (the table shows medians).")
    parser.add_argument(
        "--rss-cap-gb", type=float, default=20.0, help="Kill Dask workers / skip in-process fits above this."
    )
    parser.add_argument("--json", default=None, help="Also write the results here (JSON).")
    parser.add_argument(
        "--no-baseline", action="store_true", help="Leave out ews-sample (ratios then show '-')."
    )
    parser.add_argument(
        "--force-in-process",
        action="store_true",
        help="Run in-process fits whatever their estimated need: only under an outer RSS cap "
        "(e.g. bench_scale.run_measured), since an in-process fit cannot be stopped from inside.",
    )
    parser.add_argument(
        "--isolate",
        action="store_true",
        help="Run this bench again as a child with --force-in-process, its whole tree killed above "
        "--rss-cap-gb (the in-process fits of every row can then be tried on any world).",
    )
    args = parser.parse_args()
    if args.isolate:
        isolated(args)
        return
    run(args)


def isolated(args: argparse.Namespace) -> None:
    """This command again in a child process, capped at ``--rss-cap-gb`` by bench_scale's sampler."""
    workdir = (args.workdir or Path("/tmp/learner")).resolve()
    argv = [a for a in sys.argv[1:] if a != "--isolate"]
    cmd = [sys.executable, str(Path(__file__).resolve()), *argv, "--force-in-process"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    measured = run_measured("bench_learner", cmd, workdir, env, args.rss_cap_gb, every=0.2)
    log_path = measured.log
    if log_path is not None:
        print(log_path.read_text(), end="")
    print(f"isolated run: {measured.status()}, peak tree RSS {measured.peak_bytes / GB:.2f} GB")


if __name__ == "__main__":
    main()
