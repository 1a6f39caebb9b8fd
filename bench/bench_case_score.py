"""Benchmark live scoring of one case payload (``ReopenScorer.score``), reason codes included.

Trains a reopen model (no backtest) on a synthetic Jakarta Pusat, turns every
recently closed case of one month into a :class:`CasePayload`, then times
``--calls`` single-case calls and prints the median and p99 per call. The
baseline, measured in the same run, is ``model.predict_proba`` on one
prepared feature row without reason codes; the ratio is scorer / baseline.
Target: median <= 3 ms.

    python bench/bench_case_score.py [--calls 2000] [--kind hgb|logit] [--data DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder
from ews.data.load import read_folder
from ews.features.cases import build_case_features, reopen_labels, reopen_population
from ews.features.cases_payload import CaseEventIn, CasePayload
from ews.models.estimator import RiskClassifier
from ews.models.reopen import reopen_params
from ews.models.reopen_scorer import ReopenScorer
from ews.months import month_start, parse_month


def per_call(action: Callable[[int], object], calls: int) -> np.ndarray:  # type: ignore[type-arg]
    """Wall time of each of ``calls`` calls, in milliseconds (after 50 warm-up calls)."""
    for i in range(50):
        action(i)
    times = np.empty(calls)
    for i in range(calls):
        start = time.perf_counter()
        action(i)
        times[i] = (time.perf_counter() - start) * 1e3
    return times


def payloads(folder: DataFolder, as_of: int) -> list[CasePayload]:
    """One payload per recently closed case (history only; no RW context, as a case system would send)."""
    ids = set(reopen_population(folder, as_of)["case_id"])
    events = folder.case_events[folder.case_events["at"] < month_start(as_of)]
    out = []
    for case in folder.cases[folder.cases["case_id"].isin(ids)].itertuples():
        own = events[events["case_id"] == case.case_id]
        out.append(
            CasePayload(
                case_id=case.case_id,
                reported_at=case.reported_at.date(),
                channel=case.channel,
                violence_type=case.violence_type,
                victim_group=case.victim_group,
                perpetrator_relation=case.perpetrator_relation,
                place=None if pd.isna(case.place) else case.place,
                events=[
                    CaseEventIn(event=e, at=a.date()) for e, a in zip(own["event"], own["at"], strict=True)
                ],
            )
        )
    return out


def train(folder: DataFolder, as_of: int, kind: str) -> RiskClassifier:
    months = list(range(folder.first_month + 12, as_of))
    labels = reopen_labels(folder, months, known_at=as_of)
    features = build_case_features(folder, months).loc[labels.index]
    params = reopen_params(len(features), 0, {"kind": kind})
    return RiskClassifier(**params).fit(features, labels.to_numpy())


def report(name: str, times: np.ndarray) -> None:  # type: ignore[type-arg]
    print(f"{name}: median {np.median(times):.3f} ms, p99 {np.percentile(times, 99):.3f} ms")


def world(data: Path | None, workdir: Path) -> DataFolder:
    if data is None:
        from ews.synth import generate

        data = workdir / "pusat"
        generate(data, seed=11, start=parse_month("2020-01"), end=parse_month("2025-12"), areas=["31.71"])
    return read_folder(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--kind", choices=("hgb", "logit"), default="hgb")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        folder = world(args.data, Path(workdir))
        as_of = folder.last_month - 2
        model = train(folder, as_of, args.kind)
        cases = payloads(folder, as_of)
        rows = build_case_features(folder, [as_of]).xs(as_of, level="as_of")
    scorer = ReopenScorer(model)
    live = per_call(lambda i: scorer.score(cases[i % len(cases)], as_of), args.calls)
    prepared = [rows.iloc[[i]] for i in range(len(rows))]
    base = per_call(lambda i: model.predict_proba(prepared[i % len(prepared)]), args.calls)
    print(f"kind={args.kind} payloads={len(cases)} calls={args.calls}")
    report("ReopenScorer.score (with reason codes)", live)
    report("baseline predict_proba (one row, no reasons)", base)
    print(f"ratio scorer/baseline (median): {np.median(live) / np.median(base):.2f}")


if __name__ == "__main__":
    main()
