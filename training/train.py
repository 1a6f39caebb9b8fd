"""Analyst entry point: train the RW risk model from a TOML config and log it to MLflow.

    python training/train.py DIR [--config training/configs/default.toml] [--as-of YYYY-MM] [--no-log]

Same pipeline as `ews train` (validate, backtest, fit, log, register), with
model parameters and candidate kinds taken from the config file.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).parent / "configs" / "default.toml"


def main() -> None:
    from ews.config import TrainSettings, build_settings
    from ews.data.load import load_folder
    from ews.models.rw import train_rw
    from ews.months import parse_month
    from ews.tracking import log_task

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--as-of")
    parser.add_argument("--no-log", action="store_true", help="Train and print, but do not log to MLflow.")
    args = parser.parse_args()
    config = tomllib.loads(args.config.read_text(encoding="utf-8"))
    settings = build_settings(TrainSettings, **config.get("settings", {}))
    folder = load_folder(args.directory)
    as_of = parse_month(args.as_of) if args.as_of else folder.last_month + 1
    task = train_rw(folder, as_of, settings, print, kinds=config.get("kinds", ["logit", "hgb"]),
                    model_params=config.get("model", {}))  # fmt: skip
    print(task.card)
    if not args.no_log:
        info = log_task(task)
        print(f"registered {info.name} version {info.version} (champion: {info.champion})")


if __name__ == "__main__":
    main()
