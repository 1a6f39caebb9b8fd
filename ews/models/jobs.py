"""Model fits run side by side on a few threads, results in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ews.models.task import Progress, no_progress

Job = tuple[str, Callable[[], Any]]
"""A progress label and the work."""


def run_jobs(jobs: Sequence[Job], progress: Progress = no_progress, workers: int = 1) -> list[Any]:
    """Run each ``(label, job)``; results in the order given, progress as each finishes.

    With ``workers`` > 1 the jobs (model fits) run on that many threads: the
    tree and linear fits spend nearly all their time in compiled code that
    frees the GIL, and each fit pins itself to one OpenMP thread, so two fits
    on two cores take about the time of one and give the same numbers.
    """
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for label, job in jobs:
            progress(label)
            results.append(job())
        return results
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ews-fit") as pool:
        futures = [pool.submit(job) for _, job in jobs]
        outcomes = []
        for (label, _), future in zip(jobs, futures, strict=True):
            outcomes.append(future.result())
            progress(label + " done")
        return outcomes
