"""Benchmark ``ews monitor`` on full synthetic Jakarta (``ews synth DIR --seed 0``); issue 14 asks <= 10 s.

Times the whole command in a child process (start-up, validation, every
part, JSON and HTML written) and prints the median of ``--runs``: once on
the folder alone, once with a service store holding 12 published months of
scores (the truth's own probabilities, flags the top 5%) and checks drawn
from the truth. No MLflow store: the registry part is skipped, as on a
machine that never trained.

    python bench/bench_monitor.py [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import insert

from ews.months import format_month, parse_month
from ews.synth.truth import Truth, rw_probability

AS_OF = "2026-01"
BUDGET_S = 10.0
PUBLISHED = [format_month(m) for m in range(parse_month("2025-01"), parse_month("2025-12") + 1)]


def _scores(truth: Truth, month: str, regions: pd.DataFrame) -> pd.DataFrame:
    score = rw_probability(truth, parse_month(month)).reindex(regions["rw_code"]).to_numpy()
    rank = pd.Series(-score).rank(method="first").astype(int).to_numpy()
    frame = regions[["rw_code", "kelurahan_code", "kecamatan_code", "kota_code"]].assign(
        as_of=month, score=score
    )
    extra = {"tier": "rendah", "top_factors": "[]", "cases_3m": 0, "cases_12m": 0, "open_cases": 0}
    return frame.assign(rank=rank, flagged=rank <= 0.05 * len(rank), **extra)


def _publication(month: str) -> dict[str, object]:
    at = dt.datetime.fromisoformat(f"{month}-01T08:00:00+00:00")
    counts = {"n_rws": 0, "n_flagged": 0, "n_cases": 0}
    return {"as_of": month, "published_at": at, "rw_model": "truth", "reopen_model": "none", **counts}


def _review(check: Any, now: dt.datetime) -> dict[str, object]:
    visit = dt.date.fromisoformat(check.visit_date)
    return {
        "rw_code": check.rw_code,
        "as_of": format_month(check.month),
        "outcome": check.outcome,
        "note": "",
        "visit_date": visit,
        "author": "bench",
        "author_role": check.role,
        "created_at": now,
    }


def publish(folder: Path, url: str) -> None:
    """12 published months and their checks, written straight into a migrated store."""
    from ews.db.engine import Store
    from ews.db.models import Publication, Review, RwScore
    from ews.synth.monitor_effects import synthetic_checks
    from ews.synth.truth import load_truth

    truth = load_truth(folder.with_name(folder.name + "-truth"))
    regions = pd.read_csv(folder / "regions.csv", dtype=str)
    scores = pd.concat([_scores(truth, m, regions) for m in PUBLISHED], ignore_index=True)
    flags = scores[scores["flagged"]].assign(month=lambda f: f["as_of"].map(parse_month))
    checks = synthetic_checks(truth.rw_month, flags)
    store = Store.open(url)
    now = dt.datetime.now(dt.UTC)
    with store.engine.begin() as conn:
        conn.execute(insert(Publication), [_publication(m) for m in PUBLISHED])
        conn.execute(insert(RwScore), scores.to_dict("records"))
        conn.execute(insert(Review), [_review(c, now) for c in checks.itertuples()])
    store.close()


def run_once(folder: Path, work: Path, extra: list[str]) -> float:
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{work / 'no-mlflow' / 'mlflow.db'}"}
    env.pop("EWS_DATABASE_URL", None)
    argv = [
        sys.executable,
        "-m",
        "ews",
        "monitor",
        str(folder),
        "--as-of",
        AS_OF,
        "--json",
        str(work / "m.json"),
    ]
    start = time.perf_counter()
    subprocess.run([*argv, *extra], check=True, env=env, cwd=work, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from ews.synth import generate

    with tempfile.TemporaryDirectory(prefix="ews-bench-monitor-") as temp:
        work = Path(temp)
        folder = work / "jakarta"
        generate(folder, seed=0)
        url = f"sqlite:///{work / 'ews.db'}"
        publish(folder, url)
        for label, extra in (("folder only", []), ("folder + service store", ["--database-url", url])):
            times = [run_once(folder, work, extra) for _ in range(args.runs)]
            median = statistics.median(times)
            verdict = "within" if median <= BUDGET_S else "OVER"
            spread = f"{min(times):.2f}-{max(times):.2f}"
            print(
                f"ews monitor, full synthetic Jakarta, {label}: median {median:.2f} s over {args.runs} runs "
                f"({spread}); {median / BUDGET_S:.2f} of the {BUDGET_S:.0f} s budget, {verdict}"
            )


if __name__ == "__main__":
    main()
