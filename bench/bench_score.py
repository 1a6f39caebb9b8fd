"""Time `ews score` for every RW of a full synthetic Jakarta, with and without reason codes.

Prints medians of ``--runs`` runs of ``score_rws`` with reason codes (SHAP or
linear contributions + Indonesian text) and without (baseline, same run), and
their ratio. Target: <= 10 s with reason codes.
Usage: python bench/bench_score.py [DIR] [--runs N] [--kind hgb|logit]
"""

from __future__ import annotations

import argparse

from bench_train import timed, world


def main() -> None:
    from ews.config import TrainSettings
    from ews.data.load import read_folder
    from ews.models.backtest_fold import fit_on_matured
    from ews.models.rw import rw_spec
    from ews.models.scoring import score_rws

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kind", default="hgb", choices=["hgb", "logit"])
    args = parser.parse_args()
    folder = read_folder(world(args.directory))
    settings = TrainSettings()
    as_of = folder.last_month + 1
    model = fit_on_matured(rw_spec(folder, as_of, settings), as_of, {"kind": args.kind})
    plain = timed(lambda: score_rws(folder, as_of, model, settings, explain=False), args.runs)
    explained = timed(lambda: score_rws(folder, as_of, model, settings), args.runs)
    print(f"RWs {len(folder.regions)}, model {args.kind}")
    print(f"score without reason codes: median {plain:.2f} s")
    print(
        f"score with reason codes: median {explained:.2f} s, ratio {explained / plain:.2f}x (target <= 10 s)"
    )


if __name__ == "__main__":
    main()
