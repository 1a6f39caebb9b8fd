"""Ranking quality on stress worlds: how close ews gets to the truth, and to the best baseline.

For each stress world of ``ews synth --profile`` (and the default world) it
backtests both models with their default settings, exactly as ``ews train``
does, and prints per world:
- RW: the model's precision@5%, the truth ratio at 5% (the model's expected
  precision over that of the generating truth's own top 5%), the best
  baseline's precision@5% and the model's ratio to it;
- reopen: ROC-AUC of the model and of its two rules (partner first,
  recency), at the follow-up capacity table's folds.
The choice between candidate models comes from the backtest alone; the truth
is only read here, to judge. Targets (issue 11): truth ratio >= 0.95 and
above the best baseline on informative worlds; >= 0.97 of the best baseline
on thin ones (short histories, long case tails).
Usage: python bench/bench_quality.py [--profiles a,b,...] [--area 31.71] [--seed N] [--out FILE.csv]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any


def default_profiles() -> tuple[str, ...]:
    """The default world and every ``ews synth --profile`` stress world."""
    from ews.synth.profiles import PROFILES

    return ("default", *PROFILES)


THIN = ("short_14", "short_18", "case_tail")


def build(root: Path, profile: str, seed: int, areas: list[str] | None) -> Path:
    from ews.synth import generate

    out = root / profile.replace(",", "+")
    generate(out, seed=seed, areas=areas, profiles=() if profile == "default" else profile.split(","))
    return out


def rw_row(folder: Any, truth: Any, settings: Any) -> dict[str, Any]:
    from ews.models.rw import backtest_rw
    from ews.synth.truth import rw_probability

    _, report = backtest_rw(folder, folder.last_month + 1, settings, truth=lambda m: rw_probability(truth, m))
    overall = report.overall().set_index("scorer")
    best, best_value = report.best_baseline()
    model = float(overall.loc["model", "precision_at_5pct"])
    return {
        "rw_kind": report.kind,
        "rw_folds": int(report.folds["as_of"].nunique()),
        "rw_p5": model,
        "rw_truth_ratio": float(overall.loc["model", "truth_ratio_at_5pct"]),
        "rw_best_baseline": best,
        "rw_baseline_p5": best_value,
        "rw_vs_baseline": model / best_value if best_value > 0 else float("nan"),
    }


def reopen_row(folder: Any, truth: Any, settings: Any) -> dict[str, Any]:
    from ews.exceptions import EwsError
    from ews.models.reopen import backtest_reopen
    from ews.models.reopen_capacity import capacity_overall
    from ews.synth.truth import reopen_probability

    try:
        _, report, capacity = backtest_reopen(
            folder, folder.last_month + 1, settings, truth=lambda ids, m: reopen_probability(truth, ids, m)
        )
    except EwsError as exc:
        return {"reopen": f"not trained: {str(exc)[:60]}"}
    overall = capacity_overall(capacity).set_index("scorer")
    auc = overall["roc_auc"]
    return {
        "reopen_kind": report.kind,
        "reopen_auc": float(auc["model"]),
        "reopen_auc_partner_rule": float(auc["partner_rule"]),
        "reopen_auc_recency": float(auc["recency"]),
        "reopen_truth_ratio_20": float(overall.loc["model", "truth_ratio_at_20pct"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default=";".join(default_profiles()),
                        help="worlds separated by ';' (a world may combine profiles with ',')")  # fmt: skip
    parser.add_argument("--area", action="append", default=None, help="keep only this area (small worlds)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="also write the table as CSV")
    args = parser.parse_args()

    import pandas as pd

    from ews.config import TrainSettings
    from ews.data.load import read_folder
    from ews.synth.truth import load_truth

    root = Path(tempfile.mkdtemp(prefix="bench-quality-"))
    rows = []
    for profile in args.profiles.split(";"):
        start = time.perf_counter()
        path = build(root, profile, args.seed, args.area)
        folder, truth = read_folder(path), load_truth(path.with_name(path.name + "-truth"))
        row: dict[str, Any] = {"world": profile, "thin": profile in THIN}
        row |= rw_row(folder, truth, TrainSettings())
        row |= reopen_row(folder, truth, TrainSettings())
        row["seconds"] = round(time.perf_counter() - start, 1)
        rows.append(row)
        shown = (f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items())
        print(" ".join(shown), flush=True)
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.out:
        table.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
