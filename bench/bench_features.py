"""Benchmark the RW feature matrix: every RW of a synthetic Jakarta x every as-of month.

Prints medians over ``--runs`` and a ratio against a baseline measured in the
same run: the naive way to stay leakage-safe, a loop that cuts the folder
with ``known_as_of`` and builds each as-of month alone. The baseline is timed
on ``--subset`` months spread over the range and scaled to all months.

    python bench/bench_features.py [--runs 3] [--subset 6] [--data DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ews.data.folder import DataFolder, known_as_of
from ews.data.load import read_folder
from ews.features.rw import build_rw_features


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def naive_loop(folder: DataFolder, months: list[int]) -> None:
    """The baseline: one cut and one build per as-of month."""
    for month in months:
        build_rw_features(known_as_of(folder, month), [month])


def jakarta(data: Path | None, workdir: Path) -> DataFolder:
    """The folder at ``data``, or a whole synthetic Jakarta 2020-01..2025-12 generated with seed 0."""
    if data is None:
        from ews.synth import generate

        data = workdir / "jakarta"
        generate(data, seed=0, fmt="parquet")
    return read_folder(data)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions per measurement")
    parser.add_argument("--subset", type=int, default=6, help="as-of months the naive baseline is timed on")
    parser.add_argument(
        "--data", type=Path, default=None, help="an existing data folder (default: generate one)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = jakarta(args.data, Path(tmp))
    months = list(range(folder.first_month + 1, folder.last_month + 2))
    subset = [int(m) for m in np.linspace(months[0], months[-1], args.subset).round()]
    build_rw_features(folder, months[-2:])  # warm imports and caches outside the timings
    vectorised = median_seconds(lambda: build_rw_features(folder, months), args.runs)
    scoring = median_seconds(lambda: build_rw_features(folder, [months[-1]]), args.runs)
    naive = median_seconds(lambda: naive_loop(folder, subset), args.runs) / len(subset) * len(months)
    print(f"RWs: {len(folder.regions)}, as-of months: {len(months)}, signals: {len(folder.signal_columns)}")
    print(f"vectorised, all months at once: median {vectorised:.2f} s over {args.runs} runs")
    print(f"one as-of (scoring):            median {scoring:.2f} s")
    print(f"naive cut-and-build per as-of:  {naive:.2f} s (timed on {len(subset)} months, scaled)")
    print(f"ratio naive / vectorised:       {naive / vectorised:.1f}x")


if __name__ == "__main__":
    main()
