"""Time `ews train` on a full synthetic Jakarta (backtest included), and its RW part.

Prints the median of ``--runs`` runs of
- ``ews train DIR`` as a command (both models: features, teacher, backtest
  folds, final fits, plots, cards, MLflow logging into a fresh SQLite store);
- ``train_rw`` alone (the RW model without MLflow);
and their ratio to a plain sklearn LogisticRegression (mean imputation,
scaling) fitted once on the same training matrix in the same run: about what
one plain model costs here. Target: ``ews train`` <= 90 s on 2 cores.
Usage: python bench/bench_train.py [DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def timed(function: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def world(directory: str | None) -> Path:
    """The given folder, or a freshly generated full Jakarta (seed 0)."""
    if directory:
        return Path(directory)
    from ews.synth import generate

    out = Path(tempfile.mkdtemp(prefix="bench-train-")) / "jakarta"
    generate(out, seed=0)
    return out


def ews_train(directory: Path) -> None:
    """``ews train DIR`` in a fresh working folder with its own MLflow store."""
    work = Path(tempfile.mkdtemp(prefix="bench-train-run-"))
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{work / 'mlruns' / 'mlflow.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "ews", "train", str(directory)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"ews train failed: {done.stderr.strip()[-400:]}")


def main() -> None:
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ews.config import TrainSettings
    from ews.data.load import read_folder
    from ews.models.rw import rw_spec, train_rw

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", nargs="?")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    directory = world(args.directory)
    folder = read_folder(directory)
    settings = TrainSettings()
    as_of = folder.last_month + 1
    spec = rw_spec(folder, as_of, settings)
    labels = spec.labels(as_of)
    matrix, y = spec.features.loc[labels.index].to_numpy(), labels.to_numpy()
    plain = timed(
        lambda: make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)).fit(
            matrix, y
        ),
        args.runs,
    )
    command = timed(lambda: ews_train(directory), args.runs)
    full = timed(lambda: train_rw(folder, as_of, settings), args.runs)
    print(f"RWs {len(folder.regions)}, training rows {len(y)}, features {matrix.shape[1]}")
    print(f"plain LogisticRegression fit: median {plain:.1f} s")
    ratio = command / plain
    print(f"ews train (both models, MLflow): median {command:.1f} s  ratio {ratio:.1f}x  target <= 90 s")
    print(f"train_rw alone (backtest included): median {full:.1f} s  ratio {full / plain:.1f}x")


if __name__ == "__main__":
    main()
