"""The masked-count attack (issue 12) on several synthetic worlds: how much more than tier + flag
an official's view reveals about "<3".

    python bench/bench_privacy.py [--seeds 5 7 11 13] [--area 31.71]

For each seed: synth one kota, train as of the first month, publish six months,
then fit the attacker of ``tests/security/attack.py`` (gradient boosting, RWs
grouped across months, 5-fold out-of-fold ROC-AUC) on every field of a camat's
RW detail and on tier + flag alone. Prints the gain per seed and its spread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "security"))

from attack import attack, collect, publish_world

MONTHS = ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[5, 7, 11, 13])
    parser.add_argument("--area", default="31.71")
    parser.add_argument("--keep", type=Path, help="Keep each world under KEEP/seed-N and reuse it when there")
    args = parser.parse_args()
    gains, before = [], []
    for seed in args.seeds:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) if args.keep is None else args.keep / f"seed-{seed}"
            database = f"sqlite:///{root / 'ews.db'}"
            if not (root / "ews.db").exists():
                publish_world(root, seed, MONTHS, args.area)
            result = attack(collect(database, MONTHS), seed)
            legacy = attack(collect(database, MONTHS, legacy=True), seed)
        gains.append(result.gain)
        before.append(legacy.gain)
        print(
            f"seed {seed}: masked RW-months {result.masked}, with 1-2 cases {result.positives}; "
            f"AUC tier+flag {result.auc_base:.3f}, all official fields {result.auc_all:.3f} "
            f"(gain {result.gain:+.3f}); the view before issue 12 {legacy.auc_all:.3f} "
            f"(gain {legacy.gain:+.3f}) ({time.perf_counter() - start:.0f} s)"
        )
    print(f"before: median gain {statistics.median(before):+.3f}, max {max(before):+.3f}")
    spread = f"median gain {statistics.median(gains):+.3f}, max {max(gains):+.3f}"
    print(f"official view: {spread} over {len(gains)} seeds")


if __name__ == "__main__":
    main()
