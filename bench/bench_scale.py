"""National scale (issue 15): train, score, publish and API reads at ~106k RWs, and a Dask LocalCluster.

    python bench/bench_scale.py one-machine --folder /work/scale/nat40 [--workdir bench/out/scale/nat40]
    python bench/bench_scale.py one-machine --provinces 40          # synthesise first (~80 s)
    python bench/bench_scale.py one-machine --folder DIR --stages api   # one stage again, same workdir
    python bench/bench_scale.py dask --folder /work/scale/nat40 [--workers 2] [--by province,kota]
    python bench/bench_scale.py dask --provinces 367 --start 2023-01    # the ~1.0M-RW world

one-machine runs each command as a subprocess of its own, in --workdir (its
own MLflow store and service database, so a stage can run again alone), with
a sampler that sums the RSS of the command's whole process tree every 0.5 s
(an upper bound: pages shared by a parent and its forked children count
twice) and kills the tree above --rss-cap-gb:

* train:   ``ews train DIR`` (both models, backtest, MLflow)
* score:   ``ews score DIR --as-of M --out FILE`` (with reason codes)
* publish: ``ews publish DIR --as-of M`` (RW and case scores, the 12-month trend)
* quality: the truth ratio at 5% (the model's expected precision@5% under the
  generating truth over the truth's own, mean over the backtest folds, as
  ``ews backtest`` reports it). ``ews train`` logs no truth metrics, so this
  reads ``backtest.model.truth_ratio_at_5pct`` from the train's MLflow run when
  it is there and otherwise runs ``ews backtest DIR`` (same seed, folds and
  model choice as the train's backtest, plus the truth; timed too; its
  precision@5% is checked against the train run's)
* api:     ``ews serve`` on the published month; wrk at 8 connections on
  /v1/rw/{code} (50 RWs spread over the country, in turn) and three /v1/flags
  pages, with an analyst key; p50/p99 per URL

Targets (issue 15): train <= 20 min at peak RSS <= 10 GB; score <= 3 min;
publish <= 3 min; API reads p99 <= 10 ms; truth ratio >= 0.95 (as on Jakarta).

dask builds RW features and scores with reason codes on a
``LocalCluster(n_workers=W, threads_per_worker=1, processes=True)``,
partitioned by province and by kota, and prints per-partition worker seconds
(median, p90, max), wall time, the driver's split time, the bytes shipped
(pickled partitions and model out, the gathered result back), peak RSS of the
whole tree and of the largest worker, and the same work in this
process on the same folder as the baseline, with the ratio and whether the
results are identical. It also prints a projection for a real cluster of N
workers: driver overhead (wall - sum of task seconds / W) + max(largest task,
sum of task seconds / N). The model is the MLflow champion of --mlflow-db
(e.g. the one-machine workdir's) or, by default, one fitted quickly on the
first province (its quality is not what is measured; its cost per RW is).

Every run ends with a summary table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_api import free_port, wait_ready  # the API bench's server helpers

ROOT = Path(__file__).resolve().parent.parent
GB = 2**30
STAGES = ("train", "score", "score-cases", "publish", "quality", "api")
TARGETS = {"train": 20 * 60.0, "score": 3 * 60.0, "publish": 3 * 60.0}
TRAIN_RSS_GB = 10.0
READ_P99_MS = 10.0
TRUTH_TARGET = 0.95
TRUTH_METRIC = "backtest.model.truth_ratio_at_5pct"


# --------------------------------------------------------------------------- measuring


class TreeSampler:
    """A thread summing the RSS of ``pid`` and all its descendants every ``every`` seconds.

    Above ``cap_bytes`` (if given) it kills the tree (children first) and records
    the RSS it saw; ``peak`` is the largest sum seen, ``peak_child`` the largest
    RSS of a single descendant (a Dask worker, say).
    """

    def __init__(self, pid: int, every: float = 0.5, cap_bytes: float | None = None) -> None:
        self.pid, self.every, self.cap = pid, every, cap_bytes
        self.peak = 0
        self.peak_child = 0
        self.killed_at: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def tree_rss(self) -> int:
        import psutil

        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                rss = proc.memory_info().rss
                total += rss
                if proc is not procs[0]:
                    self.peak_child = max(self.peak_child, rss)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = self.tree_rss()
            self.peak = max(self.peak, rss)
            if self.cap is not None and rss > self.cap and self.killed_at is None:
                self.killed_at = rss
                self.over_cap()
            self._stop.wait(self.every)

    def over_cap(self) -> None:
        """What passing the cap does: kill the whole tree."""
        kill_tree(self.pid)


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid``'s descendants, then ``pid`` (only that tree)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [*root.children(recursive=True), root]
    except psutil.Error:
        return
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.send_signal(signal.SIGKILL)


@dataclass
class Measured:
    """One stage: wall seconds, peak tree RSS, exit code, the RSS it was killed at (if it was)."""

    name: str
    seconds: float
    peak_bytes: int
    returncode: int
    killed_at: float | None = None
    log: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.killed_at is None

    def status(self) -> str:
        if self.killed_at is not None:
            return f"killed at {self.killed_at / GB:.1f} GB"
        return "ok" if self.returncode == 0 else f"exit {self.returncode} (see {self.log})"


def run_measured(
    name: str,
    cmd: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    cap_gb: float | None,
    every: float = 0.5,
) -> Measured:
    """Run ``cmd`` with output to ``cwd/logs/NAME.log``; its wall time and peak tree RSS."""
    logs = cwd / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {' '.join(cmd)}  (log: {log})", flush=True)
    cap = None if cap_gb is None else cap_gb * GB
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        with TreeSampler(proc.pid, every, cap) as sampler:
            try:
                returncode = proc.wait()
            except KeyboardInterrupt:
                kill_tree(proc.pid)
                raise
        seconds = time.perf_counter() - start
    result = Measured(name, seconds, sampler.peak, returncode, sampler.killed_at, log)
    print(
        f"    {name}: {fmt_seconds(seconds)}, peak tree RSS {result.peak_bytes / GB:.2f} GB, "
        f"{result.status()}",
        flush=True,
    )
    return result


def fmt_seconds(seconds: float) -> str:
    if seconds != seconds:
        return "-"
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def verdict(met: bool | None) -> str:
    return "-" if met is None else ("met" if met else "NOT met")


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    line = "  ".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(f"{c!s:<{w}}" for c, w in zip(row, widths, strict=True)))


# --------------------------------------------------------------------------- worlds


def ews_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ews", *args]


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def world(args: argparse.Namespace, workdir: Path) -> tuple[Path, Measured | None]:
    """``--folder``, or a national world of ``--provinces`` synthesised (once) under the workdir."""
    if args.folder is not None:
        folder = args.folder.resolve()
        if not folder.is_dir():
            sys.exit(f"data folder {folder} does not exist")
        return folder, None
    name = f"nat{args.provinces}-{args.start}-{args.end}-s{args.seed}"
    folder = (args.worlds or workdir).resolve() / name
    truth = folder.with_name(folder.name + "-truth")
    if (truth / "truth.json").exists() and folder.is_dir():
        print(f"reusing {folder}", flush=True)
        return folder, None
    folder.parent.mkdir(parents=True, exist_ok=True)
    cmd = ews_cmd("synth", str(folder), "--provinces", str(args.provinces), "--seed", str(args.seed))
    cmd += ["--start", args.start, "--end", args.end, "--force"]
    measured = run_measured("synth", cmd, folder.parent, base_env(), args.rss_cap_gb)
    if not measured.ok:
        sys.exit(f"ews synth failed: {measured.status()}")
    return folder, measured


def last_month(folder: Path) -> str:
    """The last month (YYYY-MM) of the signals' month column and the cases' dates (Parquet or CSV)."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    def column_max(sub: str, column: str) -> str | None:
        path = folder / sub
        files = sorted(path.glob("*.parquet")) if path.is_dir() else []
        files = files or [f for f in (folder / f"{sub}.parquet", folder / f"{sub}.csv") if f.is_file()]
        if not files:
            return None
        fmt = "csv" if str(files[0]).endswith(".csv") else "parquet"
        table = ds.dataset([str(f) for f in files], format=fmt).to_table(columns=[column])
        value = pc.max(table.column(column)).as_py()
        return None if value is None else str(value)[:7]

    columns = (("signals", "month"), ("cases", "reported_at"), ("case_events", "at"))
    found = [m for m in (column_max(sub, column) for sub, column in columns) if m]
    if not found:
        sys.exit(f"cannot tell the last month of {folder}: give --as-of")
    return max(found)


def next_month(month: str) -> str:
    year, mon = (int(p) for p in month.split("-"))
    year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return f"{year:04d}-{mon:02d}"


def count_rws(folder: Path) -> int:
    import pyarrow.dataset as ds

    path = folder / "regions.parquet"
    if not path.exists():
        path = folder / "regions.csv"
    fmt = "csv" if path.suffix == ".csv" else "parquet"
    return int(ds.dataset(str(path), format=fmt).count_rows())


# --------------------------------------------------------------------------- one machine


def stage_env(workdir: Path) -> dict[str, str]:
    env = base_env()
    env["MLFLOW_TRACKING_URI"] = f"sqlite:///{workdir / 'mlruns' / 'mlflow.db'}"
    env["EWS_DATABASE_URL"] = f"sqlite:///{workdir / 'ews.db'}"
    # `ews` commands in the workdir must not pick up a developer's .env from elsewhere.
    return env


def truth_from_mlflow(workdir: Path) -> tuple[float | None, float | None, str]:
    """``backtest.model.truth_ratio_at_5pct`` of the newest ``ews-rw-risk`` version's run, if logged."""
    db = workdir / "mlruns" / "mlflow.db"
    if not db.exists():
        return None, None, "no MLflow store in the workdir"
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{db}")
    versions = client.search_model_versions("name='ews-rw-risk'")
    if not versions:
        return None, None, "no ews-rw-risk version registered"
    newest = max(versions, key=lambda v: int(v.version))
    metrics = client.get_run(newest.run_id).data.metrics
    precision = metrics.get("backtest.model.precision_at_5pct")
    note = f"run {newest.run_id[:8]} (version {newest.version})"
    if precision is not None:
        note += f", backtest precision@5% {precision:.3f}"
    return metrics.get(TRUTH_METRIC), precision, note


def truth_from_folds(path: Path) -> tuple[float, list[float], float | None]:
    """Mean truth ratio at 5% of the model over the backtest folds, the per-fold values, and precision@5%."""
    import pandas as pd

    folds = pd.read_csv(path)
    model = folds[folds["scorer"] == "model"]
    per_fold = [float(v) for v in model["truth_ratio_at_5pct"]]
    precision = float(model["precision_at_5pct"].mean()) if "precision_at_5pct" in model else None
    return float(model["truth_ratio_at_5pct"].mean()), per_fold, precision


# wrk, as bench/bench_api.py runs it (copied: that file is edited separately).

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def parse_wrk(text: str) -> dict[str, float]:
    import re

    def latency(pct: str) -> float:
        match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "rps": float(rps.group(1)) if rps else float("nan"),
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def rotating_lua(paths: Sequence[str], key: str) -> str:
    """A wrk script sending GET to ``paths`` in turn with the analyst key."""
    listed = ", ".join(json.dumps(p) for p in paths)
    return (
        f'wrk.headers["Authorization"] = "Bearer {key}"\n'
        f"local paths = {{{listed}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = (i % #paths) + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )


def run_wrk(
    wrk: str, base: str, paths: Sequence[str], key: str, connections: int, duration: int
) -> dict[str, float]:
    for path in paths[:3]:
        get_json(base + path, key)  # wrk counts failures only: stop on the first one here
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(rotating_lua(paths, key))
    try:
        cmd = [wrk, "-t", "2", "-c", str(connections), "--latency", "-s", handle.name]
        subprocess.run([*cmd, "-d", "2s", base], capture_output=True, check=True)  # warm-up
        out = subprocess.run([*cmd, "-d", f"{duration}s", base], capture_output=True, text=True, check=True)
    finally:
        os.unlink(handle.name)
    return parse_wrk(out.stdout)


def get_json(url: str, key: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        return json.loads(urllib.request.urlopen(request, timeout=60).read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:400]
        raise RuntimeError(f"GET {url} answered {exc.code}: {detail}") from exc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill_tree(proc.pid)
        proc.wait()


def rw_sample(folder: Path, n: int) -> list[str]:
    """``n`` RW codes spread evenly over the regions table (so over every province)."""
    import numpy as np
    import pyarrow.dataset as ds

    path = folder / "regions.parquet"
    if not path.exists():
        path = folder / "regions.csv"
    fmt = "csv" if path.suffix == ".csv" else "parquet"
    codes = ds.dataset(str(path), format=fmt).to_table(columns=["rw_code"]).column("rw_code").to_pylist()
    picks = np.linspace(0, len(codes) - 1, min(n, len(codes))).round().astype(int)
    return [str(codes[i]) for i in picks]


def bench_api(
    folder: Path, workdir: Path, as_of: str, args: argparse.Namespace
) -> tuple[dict[str, dict[str, float]], Measured]:
    """Serve the published month; wrk on RW detail (50 RWs in turn) and three flag pages."""
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    if not Path(wrk).exists():
        sys.exit("wrk is missing (apt-get install wrk)")
    env = stage_env(workdir)
    done = subprocess.run(
        ews_cmd("users", "add", f"bench-scale-{int(time.time())}", "--role", "analyst"),
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"ews users add failed: {done.stderr.strip()[-400:]}")
    key = done.stdout.strip().splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (workdir / "logs").mkdir(exist_ok=True)
    log = open(workdir / "logs" / "serve.log", "wb")  # noqa: SIM115 - closed with the server
    start = time.perf_counter()
    proc = subprocess.Popen(
        ews_cmd("serve", "--port", str(port)), cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    results: dict[str, dict[str, float]] = {}
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(
            f"    note: load average {load:.1f} on {os.cpu_count()} cores: "
            "the latencies include waiting for a core"
        )
    try:
        with TreeSampler(proc.pid, 0.5, None) as sampler:
            wait_ready(f"{base}/v1/health", proc, timeout=300)
            ready = time.perf_counter() - start
            first = get_json(f"{base}/v1/flags?as_of={as_of}&page_size=50", key)
            total = int(first["total"])
            kelurahan = str(first["items"][0]["rw_code"]).rsplit(".", 1)[0] if first["items"] else None
            last_page = max(1, -(-total // 50))
            rws = [f"/v1/rw/{code}?as_of={as_of}" for code in rw_sample(folder, 50)]
            urls: dict[str, list[str]] = {
                "GET /v1/rw/{code} (50 RWs in turn)": rws,
                "GET /v1/flags (page 1)": [f"/v1/flags?as_of={as_of}"],
                f"GET /v1/flags (page {last_page}, the last)": [f"/v1/flags?as_of={as_of}&page={last_page}"],
            }
            if kelurahan:
                urls["GET /v1/flags?kelurahan="] = [f"/v1/flags?as_of={as_of}&kelurahan={kelurahan}"]
            for name, paths in urls.items():
                results[name] = run_wrk(wrk, base, paths, key, args.connections, args.duration)
                r = results[name]
                print(
                    f"    {name}: p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                    f"{r['rps']:.0f} req/s, non-2xx {r['non_2xx']:.0f}",
                    flush=True,
                )
    finally:
        stop(proc)
        log.close()
    served = Measured("api", ready, sampler.peak, 0, extra={"flags_total": total})
    return results, served


def one_machine(args: argparse.Namespace) -> None:
    workdir = (args.workdir or ROOT / "bench" / "out" / "scale").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    folder, synth = world(args, workdir)
    if args.workdir is None:  # one workdir per world, so stages of different worlds never mix
        workdir = workdir / folder.name
        workdir.mkdir(parents=True, exist_ok=True)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        sys.exit(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    as_of = args.as_of or next_month(last_month(folder))
    n_rws = count_rws(folder)
    env = stage_env(workdir)
    print(f"world {folder}: {n_rws:,} RWs; as-of {as_of}; workdir {workdir}", flush=True)
    print(
        f"stages: {', '.join(stages)}; RSS sampled every {args.every:g} s, cap {args.rss_cap_gb:g} GB",
        flush=True,
    )
    measured: dict[str, Measured] = {} if synth is None else {"synth": synth}
    scores = workdir / f"scores-{as_of}.csv"

    def stage(name: str, *cmd: str) -> Measured:
        result = run_measured(name, ews_cmd(*cmd), workdir, env, args.rss_cap_gb, args.every)
        measured[name] = result
        return result

    def wanted(name: str) -> bool:
        """``name`` was asked for, and no stage before it failed (later ones would read stale models)."""
        failed = [m.name for m in measured.values() if not m.ok]
        if name in stages and failed:
            print(f"    {name}: skipped, {failed[0]} failed", flush=True)
        return name in stages and not failed

    if wanted("train"):
        stage("train", "train", str(folder), "--as-of", as_of)
    if wanted("score"):
        stage("score", "score", str(folder), "--as-of", as_of, "--out", str(scores))
    if wanted("score-cases"):  # one process: the reason the reopen model has no --scheduler
        cases_out = workdir / f"case-scores-{as_of}.csv"
        stage("score-cases", "score-cases", str(folder), "--as-of", as_of, "--out", str(cases_out))
    if wanted("publish"):
        stage(
            "publish",
            "publish",
            str(folder),
            "--as-of",
            as_of,
            *(["--no-backfill"] if args.no_backfill else []),
        )

    truth: float | None = None
    truth_note = ""
    if wanted("quality"):
        truth, trained_precision, truth_note = truth_from_mlflow(workdir)
        if truth is not None:
            truth_note = f"from the train's MLflow run: {truth_note}"
        elif not folder.with_name(folder.name + "-truth").is_dir():
            truth_note = f"no truth folder next to {folder}"
        else:
            print(
                f"    the train's MLflow run has no {TRUTH_METRIC} ({truth_note}): "
                "running `ews backtest` with the truth",
                flush=True,
            )
            folds = workdir / "backtest_folds.csv"
            result = stage("quality", "backtest", str(folder), "--as-of", as_of, "--out", str(folds))
            truth_note = f"`ews backtest`: {result.status()}"
            if result.ok:
                truth, per_fold, precision = truth_from_folds(folds)
                spread = f"{min(per_fold):.3f}-{max(per_fold):.3f}" if per_fold else "-"
                extra = "" if precision is None else f", precision@5% {precision:.3f}"
                if precision is not None and trained_precision is not None:
                    same = abs(precision - trained_precision) < 1e-9
                    extra += " (= the train's)" if same else f" (the train's: {trained_precision:.3f})"
                truth_note = (
                    f"`ews backtest` with the truth, {len(per_fold)} folds (per fold {spread}){extra}"
                )
        shown = "-" if truth is None else f"{truth:.3f}"
        print(f"    truth ratio at 5%: {shown}  ({truth_note})", flush=True)

    reads: dict[str, dict[str, float]] = {}
    if wanted("api"):
        if not (workdir / "ews.db").exists():
            sys.exit(f"no published month in {workdir / 'ews.db'}: run the publish stage first")
        print(
            f"[{time.strftime('%H:%M:%S')}] api: ews serve + wrk, {args.connections} connections, "
            f"{args.duration} s per URL",
            flush=True,
        )
        reads, served = bench_api(folder, workdir, as_of, args)
        measured["api"] = served

    rows = []
    for name in ("synth", "train", "score", "score-cases", "publish", "quality"):
        if name not in measured:
            continue
        m = measured[name]
        target, met = "", None
        if name in TARGETS:
            target = f"<= {TARGETS[name] / 60:.0f} min"
            met = m.ok and m.seconds <= TARGETS[name]
            if name == "train":
                target += f", <= {TRAIN_RSS_GB:.0f} GB"
                met = met and m.peak_bytes <= TRAIN_RSS_GB * GB
        rows.append(
            [name, fmt_seconds(m.seconds), f"{m.peak_bytes / GB:.2f}", target, verdict(met), m.status()]
        )
    if "quality" in stages:
        shown = "-" if truth is None else f"{truth:.3f}"
        rows.append(
            [
                "truth ratio @5%",
                shown,
                "",
                f">= {TRUTH_TARGET}",
                verdict(None if truth is None else truth >= TRUTH_TARGET),
                truth_note,
            ]
        )
    if "api" in measured:
        served = measured["api"]
        rows.append(
            [
                "serve start",
                fmt_seconds(served.seconds),
                f"{served.peak_bytes / GB:.2f}",
                "",
                "-",
                f"{served.extra['flags_total']} flagged RWs",
            ]
        )
        for name, r in reads.items():
            failed = r["non_2xx"] or r["socket_errors"]
            met = None if failed else r["p99_ms"] <= READ_P99_MS
            rows.append(
                [
                    name,
                    f"p50 {r['p50_ms']:.2f} ms / p99 {r['p99_ms']:.2f} ms",
                    "",
                    f"p99 <= {READ_P99_MS:.0f} ms",
                    verdict(met),
                    f"{r['rps']:.0f} req/s" + (f", {r['non_2xx']:.0f} non-2xx" if failed else ""),
                ]
            )
    print_table(
        f"one machine: {n_rws:,} RWs, as-of {as_of} "
        f"({os.cpu_count()} cores, load avg {os.getloadavg()[0]:.1f}; "
        "RSS = whole process tree, peak)",
        ["stage", "wall", "peak GB", "target", "verdict", "note"],
        rows,
    )
    summary = {
        "folder": str(folder),
        "rws": n_rws,
        "as_of": as_of,
        "truth_ratio": truth,
        "reads": reads,
        "stages": {
            k: {"seconds": v.seconds, "peak_gb": v.peak_bytes / GB, "status": v.status()}
            for k, v in measured.items()
        },
    }
    (workdir / "results.json").write_text(json.dumps(summary, indent=2))


# --------------------------------------------------------------------------- dask


def pickled_size(obj: object) -> int:
    """Bytes of ``obj`` pickled as Dask ships it (protocol 5, array buffers out of band, counted too)."""
    import pickle

    buffers: list[pickle.PickleBuffer] = []
    size = len(pickle.dumps(obj, protocol=5, buffer_callback=buffers.append))
    return size + sum(buffer.raw().nbytes for buffer in buffers)


def frame_bytes(frame: Any) -> int:
    return int(frame.memory_usage(deep=True).sum())


def warm(folder: Any, as_of: int, model: Any, settings: Any) -> None:
    """Features and scores of a small folder, so no timed task pays for imports and first calls."""
    import ews.distributed.run  # noqa: F401
    from ews.features.rw import build_rw_features
    from ews.models.scoring import score_rws

    build_rw_features(folder, [as_of])
    score_rws(folder, as_of, model, settings)


@dataclass
class DaskRun:
    level: str
    what: str
    partitions: int
    wall: float
    task_seconds: list[float]
    sent: int
    back: int
    peak_bytes: int
    worker_peak: int
    identical: bool | None

    def stats(self) -> tuple[float, float, float, float]:
        import numpy as np

        s = np.asarray(self.task_seconds, dtype=float)
        if not len(s):
            return (float("nan"),) * 4
        return float(np.median(s)), float(np.percentile(s, 90)), float(s.max()), float(s.sum())


def timed_call(action: Callable[[], Any]) -> tuple[Any, float, TreeSampler]:
    """``action()``, its wall seconds, and the sampler of this process tree (workers included) meanwhile."""
    with TreeSampler(os.getpid(), 0.5) as sampler:
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
    return result, seconds, sampler


def dask_model(args: argparse.Namespace, folder: Any, as_of: int, settings: Any) -> tuple[Any, str]:
    """The champion of ``--mlflow-db``, or an HGB model fitted on the first province."""
    if args.mlflow_db is not None:
        os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{args.mlflow_db.resolve()}"
        os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
        from ews.model_loading import load_champion

        return load_champion("ews-rw-risk"), f"ews-rw-risk@champion of {args.mlflow_db}"
    from ews.features.partition import iter_partitions
    from ews.models.backtest_fold import fit_on_matured
    from ews.models.rw import rw_spec

    first = next(iter_partitions(folder, "province"))
    spec = rw_spec(first.folder, as_of, settings)
    model = fit_on_matured(spec, as_of, {"kind": args.kind})
    return model, f"{args.kind} fitted on province {first.key} ({len(first.own):,} RWs)"


def dask_bench(args: argparse.Namespace) -> None:
    import numpy as np
    import pandas as pd
    from distributed import Client, LocalCluster

    from ews.config import TrainSettings
    from ews.data.load import read_folder
    from ews.distributed.run import build_rw_features_distributed, score_rws_distributed
    from ews.features.partition import iter_partitions, sample_partition
    from ews.features.rw import build_rw_features
    from ews.models.scoring import score_rws
    from ews.months import format_month, parse_month

    workdir = (args.workdir or ROOT / "bench" / "out" / "scale").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    path, synth = world(args, workdir)
    levels = [lv.strip() for lv in args.by.split(",") if lv.strip()]
    for level in levels:
        if level not in ("province", "kota", "kecamatan"):
            sys.exit(f"--by: unknown level {level!r} (province, kota, kecamatan)")
    settings = TrainSettings()
    folder, load_s, load_sampler = timed_call(lambda: read_folder(path))
    as_of = parse_month(args.as_of) if args.as_of else folder.last_month + 1
    months = [m for m in range(as_of - args.feature_months + 1, as_of + 1) if m > folder.first_month]
    n_rws = len(folder.regions)
    print(
        f"world {path}: {n_rws:,} RWs, read in {load_s:.1f} s; as-of {format_month(as_of)}; "
        f"features for {len(months)} as-of month(s)",
        flush=True,
    )
    (model, model_note), fit_s, _ = timed_call(lambda: dask_model(args, folder, as_of, settings))
    model_bytes = pickled_size(model)
    print(f"model: {model_note} ({fit_s:.1f} s, {model_bytes / 1e6:.1f} MB pickled)", flush=True)

    first_rw = np.zeros(n_rws, dtype=bool)
    first_rw[0] = True
    small = sample_partition(folder, first_rw).folder  # the first RW's kecamatan and its neighbours
    warm(small, as_of, model, settings)
    baseline: dict[str, tuple[float, int]] = {}
    reference: dict[str, Any] = {}
    if not args.no_baseline:
        print(f"[{time.strftime('%H:%M:%S')}] in-process baseline", flush=True)
        frame, seconds, sampler = timed_call(lambda: build_rw_features(folder, months))
        baseline["features"], reference["features"] = (seconds, sampler.peak), frame
        print(f"    features in process: {seconds:.1f} s, peak {sampler.peak / GB:.2f} GB", flush=True)
        table, seconds, sampler = timed_call(lambda: score_rws(folder, as_of, model, settings))
        baseline["scores"], reference["scores"] = (seconds, sampler.peak), table
        print(f"    scores in process: {seconds:.1f} s, peak {sampler.peak / GB:.2f} GB", flush=True)

    split: dict[str, tuple[float, int, int]] = {}
    runs: list[DaskRun] = []
    cluster = LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        memory_limit=args.worker_memory,
    )
    client = Client(cluster)  # type: ignore[no-untyped-call]
    try:
        start = time.perf_counter()
        client.run(warm, small, as_of, model, settings)  # type: ignore[no-untyped-call]
        print(
            f"cluster up, workers warmed on {len(small.regions)} RWs in {time.perf_counter() - start:.1f} s"
        )
        for level in levels:
            # One partition at a time, as the runs below send them: the driver never holds them all.
            sizes, seconds, _ = timed_call(
                lambda lv=level: [pickled_size(part) for part in iter_partitions(folder, lv)]
            )
            part_bytes = sum(sizes)
            split[level] = (seconds, len(sizes), part_bytes)
            print(
                f"[{time.strftime('%H:%M:%S')}] dask by {level}: {split[level][1]} partitions "
                f"({part_bytes / 1e6:.0f} MB pickled), driver cut and pickled them in {seconds:.1f} s",
                flush=True,
            )
            jobs: list[tuple[str, Callable[[dict[str, float]], Any]]] = [
                (
                    "features",
                    lambda t, lv=level: build_rw_features_distributed(client, folder, months, lv, timings=t),
                ),
                (
                    "scores",
                    lambda t, lv=level: score_rws_distributed(
                        client, folder, as_of, model, settings, by=lv, timings=t
                    ),
                ),
            ]
            for what, job in jobs:
                timings: dict[str, float] = {}
                result, wall, sampler = timed_call(lambda job=job, timings=timings: job(timings))
                sent = part_bytes + (model_bytes * args.workers if what == "scores" else 0)
                same = None
                if what in reference:
                    try:
                        pd.testing.assert_frame_equal(result, reference[what], check_exact=True)
                        same = True
                    except AssertionError:
                        same = False
                run = DaskRun(
                    level,
                    what,
                    len(timings),
                    wall,
                    list(timings.values()),
                    sent,
                    frame_bytes(result),
                    sampler.peak,
                    sampler.peak_child,
                    same,
                )
                del result
                runs.append(run)
                med, p90, top, total = run.stats()
                print(
                    f"    {what}: wall {wall:.1f} s; {run.partitions} tasks, worker s median {med:.2f}, "
                    f"p90 {p90:.2f}, max {top:.2f}, sum {total:.1f}; shipped {sent / 1e6:.0f} MB out, "
                    f"~{run.back / 1e6:.0f} MB back; tree peak {sampler.peak / GB:.2f} GB "
                    f"(largest worker {sampler.peak_child / GB:.2f} GB)",
                    flush=True,
                )
    finally:
        client.close()  # type: ignore[no-untyped-call]
        cluster.close()  # type: ignore[no-untyped-call]

    rows = []
    for run in runs:
        med, p90, top, total = run.stats()
        base = baseline.get(run.what)
        ratio = f"{run.wall / base[0]:.2f}x" if base else "-"
        overhead = max(0.0, run.wall - total / args.workers)
        projected = {n: overhead + max(top, total / n) for n in args.project}
        rows.append(
            [
                f"{run.level}/{run.what}",
                str(run.partitions),
                f"{med:.2f}",
                f"{p90:.2f}",
                f"{top:.2f}",
                f"{total:.1f}",
                f"{run.wall:.1f}",
                f"{split[run.level][0]:.1f}",
                f"{overhead:.1f}",
                f"{run.sent / 1e6:.0f}/{run.back / 1e6:.0f}",
                f"{run.peak_bytes / GB:.2f}/{run.worker_peak / GB:.2f}",
                ratio,
                {None: "-", True: "yes", False: "NO"}[run.identical],
                " ".join(f"{n}:{projected[n]:.0f}" for n in args.project),
            ]
        )
    for what, (seconds, peak) in baseline.items():
        blank = [""] * 4
        rows.append([f"in-process/{what}", "1", *blank, f"{seconds:.1f}", *blank[:3], f"{peak / GB:.2f}"])
        rows[-1] += ["1.00x", "", ""]
    print_table(
        f"Dask LocalCluster: {args.workers} workers x 1 thread (processes), {n_rws:,} RWs, "
        f"as-of {format_month(as_of)}, {os.cpu_count()} cores, load avg {os.getloadavg()[0]:.1f}; "
        "seconds unless said",
        [
            "run",
            "tasks",
            "task med",
            "task p90",
            "task max",
            "task sum",
            "wall",
            "split",
            "overhead",
            "MB out/back",
            "peak GB tree/worker",
            "vs in-proc",
            "identical",
            "projected wall at N workers (N:s)",
        ],
        rows,
    )
    print(
        "task = seconds a partition's task ran on its worker; split = the driver cutting and pickling "
        "every partition, timed alone (runs cut them one at a time inside their wall);\n"
        "overhead = wall - task sum / workers (cutting, shipping, gather, the driver's "
        "scores, flags and ranks);\nprojected wall at N workers = overhead + max(task max, task sum / N) "
        "(shipping grows with the data, not with N);\nMB out = pickled partitions (+ the model once per "
        "worker), MB back = memory of the gathered result."
    )
    if synth is not None:
        print(f"synthesis: {fmt_seconds(synth.seconds)}, peak {synth.peak_bytes / GB:.2f} GB")
    print(
        f"read_folder on the driver: {load_s:.1f} s (peak {load_sampler.peak / GB:.2f} GB), "
        "not in the walls above"
    )
    out = {
        "folder": str(path),
        "rws": n_rws,
        "workers": args.workers,
        "read_s": load_s,
        "baseline": {k: {"seconds": v[0], "peak_gb": v[1] / GB} for k, v in baseline.items()},
        "runs": [run.__dict__ for run in runs],
        "split": {k: {"seconds": v[0], "partitions": v[1], "bytes": v[2]} for k, v in split.items()},
    }
    (workdir / f"dask-{path.name}-{args.workers}w.json").write_text(json.dumps(out, indent=2, default=str))


# --------------------------------------------------------------------------- command line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="See the module docstring (and docs/scale.md) for what each part measures.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        where = sub.add_mutually_exclusive_group(required=True)
        where.add_argument("--folder", type=Path, help="An existing data folder (its truth in FOLDER-truth).")
        where.add_argument("--provinces", type=int, help="Synthesise a national world of N provinces first.")
        sub.add_argument("--start", default="2020-01", help="First month of a synthesised world.")
        sub.add_argument("--end", default="2025-12", help="Last month of a synthesised world.")
        sub.add_argument("--seed", type=int, default=0, help="Seed of a synthesised world.")
        sub.add_argument(
            "--worlds", type=Path, default=None, help="Where synthesised worlds go (default: workdir)."
        )
        sub.add_argument(
            "--workdir", type=Path, default=None, help="Working folder (default bench/out/scale[/<world>])."
        )
        sub.add_argument(
            "--as-of", default=None, help="As-of month YYYY-MM (default: the month after the data)."
        )
        sub.add_argument(
            "--rss-cap-gb",
            type=float,
            default=16.0,
            help="Kill a measured command whose process tree exceeds this RSS.",
        )

    one = commands.add_parser("one-machine", help="train, score, publish, truth ratio and API reads, one box")
    common(one)
    one.add_argument(
        "--stages", default=",".join(STAGES), help=f"Comma-separated subset of {','.join(STAGES)}."
    )
    one.add_argument("--every", type=float, default=0.5, help="RSS sampling interval, seconds.")
    one.add_argument(
        "--no-backfill", action="store_true", help="Publish with --no-backfill (no trend scoring)."
    )
    one.add_argument("--connections", type=int, default=8, help="wrk connections.")
    one.add_argument("--duration", type=int, default=10, help="wrk seconds per URL.")
    one.set_defaults(run=one_machine)

    dsk = commands.add_parser("dask", help="features and scores on a Dask LocalCluster vs in process")
    common(dsk)
    dsk.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (1 thread each).")
    dsk.add_argument("--by", default="province,kota", help="Partition levels, comma-separated.")
    dsk.add_argument(
        "--feature-months",
        type=int,
        default=1,
        help="As-of months the feature run builds (ending at the as-of month).",
    )
    dsk.add_argument("--worker-memory", default="auto", help="LocalCluster memory_limit per worker.")
    dsk.add_argument(
        "--mlflow-db",
        type=Path,
        default=None,
        help="Score with ews-rw-risk@champion of this MLflow SQLite file (default: a quick fit).",
    )
    dsk.add_argument("--kind", default="hgb", choices=["hgb", "logit"], help="Kind of the quick fit.")
    dsk.add_argument("--no-baseline", action="store_true", help="Skip the in-process baseline.")
    dsk.add_argument(
        "--project",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[2, 8, 32, 128],
        help="Cluster sizes to project the wall time for, comma-separated.",
    )
    dsk.set_defaults(run=dask_bench)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
