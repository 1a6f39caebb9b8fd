"""The Markdown model card logged with every trained task (template in docs/model.md)."""

from __future__ import annotations

import pandas as pd

from ews.models.backtest_types import BacktestReport
from ews.models.task import TrainedTask
from ews.months import format_month

CARD_METRICS = (
    "precision_at_5pct",
    "recall_at_5pct",
    "precision_at_10pct",
    "precision_flagged",
    "recall_flagged",
    "pr_auc",
    "roc_auc",
    "brier",
    "truth_ratio_at_5pct",
)

USE = (
    "Ranks units (RWs or recently closed cases) by the calibrated probability of the label so that "
    "lurah, camat and UPTD PPA staff know where to look first. A score prompts a human check and never "
    "decides alone (UU 27/2022 PDP: people may object to decisions based solely on automated processing)."
)
LIMITS = (
    "Labels are *reported* cases: the model learns where violence is reported, which depends on reach and "
    "trust in services as well as on violence itself. Check the audit table for groups flagged much more or "
    "less often than their observed rate. Scores are probabilities for one horizon, not certainties."
)


def model_card(task: TrainedTask) -> str:
    """Markdown: identity, intended use, data, backtest vs baselines, calibration, audit, limits."""
    model = task.model
    lines = [
        f"# Model card: {task.registered_name}",
        "",
        f"- as-of month: {format_month(task.as_of)}; horizon: {task.horizon} month(s)",
        f"- kind: {model.kind} (chosen by mean backtest PR-AUC); calibration: {model.calibration}",
        f"- model id: `{model.model_id_}`; data fingerprint: `{task.data_fingerprint[:16]}`",
        f"- features: {len(task.feature_names)}; base rate in training: {model.base_rate_:.4f}",
        "",
        "## Intended use",
        USE,
        "",
        "## Training data",
        _data_section(task),
        "",
        "## Backtest (mean over folds)",
        _metric_table(task.report),
        "",
        "## Calibration",
        _calibration_line(task.report),
        "",
        "## Bias audit (flag list, all folds)",
        _audit_table(task.report),
        "",
        "## Limitations",
        LIMITS,
    ]
    return "\n".join(lines) + "\n"


def _markdown(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.3f}"
    return str(value)


def _metric_table(report: BacktestReport) -> str:
    overall = report.overall()
    shown = [c for c in CARD_METRICS if c in overall.columns]
    return _markdown(overall[["scorer", *shown]])


def _calibration_line(report: BacktestReport) -> str:
    observed = float(report.predictions["label"].mean())
    predicted = float(report.predictions["score"].mean())
    return (
        f"Mean predicted rate {predicted:.4f} vs observed rate {observed:.4f} over the backtest folds; "
        "see reliability.png."
    )


def _audit_table(report: BacktestReport) -> str:
    if report.audit.empty:
        return "No audit groups were available."
    columns = ["n", "flag_rate", "observed_rate", "precision", "recall"]
    table = report.audit.groupby(["dimension", "group"], sort=True)[columns].mean().reset_index()
    return _markdown(table)


def _data_section(task: TrainedTask) -> str:
    """What the history plan shrank and which columns fits left out (empty or constant in their window)."""
    folds = int(task.report.folds["as_of"].nunique()) if len(task.report.folds) else 0
    lines = [f"- backtest folds: {folds}"]
    lines += [f"- {note}" for note in task.notes if not note.startswith("left out")]
    table = task.tables.get("left_out_columns.csv")
    if table is None or not len(table):
        lines.append("- every feature column had data in every fitting window")
        return "\n".join(lines)
    lines += ["", "Columns left out of a fit because they were empty or constant in its window:", ""]
    summary = table.groupby(["feature", "reason"], sort=True)["fit"].agg(lambda f: ", ".join(f)).reset_index()
    return "\n".join(lines) + "\n" + _markdown(summary)
