"""Response models that describe the models in service: version, training month, backtest, bias audit.

The figures are read once from the MLflow run behind each registered version
(``ews.service.model_info``) and served by ``GET /v1/models``. Analysts and
admins receive all of them; lurah, camat and the case system receive the
name, version, alias and trained-as-of month only (the other fields null).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ews.service.schema_base import Out, Utc

METRICS_DOC = (
    "Mean over backtest folds, keyed by metric: precision_at_5pct, recall_at_5pct, precision_at_10pct, "
    "recall_at_10pct (top 5%/10% of units), precision_flagged and recall_flagged (the capacity-limited "
    "flag list), pr_auc, roc_auc; for the model also brier, calibration_ratio (mean score / observed "
    "rate); on synthetic data expected_precision_at_* and truth_ratio_at_* (share of the best possible "
    "precision). The reopen model adds the same at its follow-up share, e.g. precision_at_20pct."
)


class ScorerMetrics(Out):
    """One scorer of the backtest: the model, a baseline rule, or the true probabilities (synthetic data)."""

    scorer: str = Field(examples=["model"], description="'model', a baseline's name, or 'truth'.")
    role: Literal["model", "baseline", "truth"]
    metrics: dict[str, float] = Field(
        examples=[{"precision_at_5pct": 0.21, "pr_auc": 0.14, "calibration_ratio": 1.02}],
        description=METRICS_DOC,
    )


class BacktestOut(Out):
    """The rolling-origin backtest logged when the version was trained."""

    folds: int | None = Field(examples=[6], description="Backtest as-of months averaged over.")
    headline_metric: str = Field(
        examples=["precision_at_5pct"], description="The metric officials' capacity is sized by."
    )
    best_baseline: str | None = Field(
        examples=["cases_12m"], description="The baseline with the highest headline metric."
    )
    scorers: list[ScorerMetrics]


class AuditGroup(Out):
    """The flag list within one group of one audit dimension (means over backtest folds)."""

    dimension: str = Field(
        examples=["poverty_tercile"], description="kota, poverty_tercile, coverage_tercile, ..."
    )
    group: str = Field(examples=["T1"], description="The group: a kota code, or T1 (lowest third) .. T3.")
    n: float = Field(examples=[512.0], description="Units in the group per fold.")
    flag_rate: float | None = Field(examples=[0.05])
    observed_rate: float | None = Field(examples=[0.08])
    precision: float | None = Field(examples=[0.2], description="Null when the group had no flags.")
    recall: float | None = Field(examples=[0.12], description="Null when the group had no positives.")


class ModelInfo(Out):
    """A model the service uses; the evaluation fields are null for lurah, camat and the case system."""

    name: str = Field(examples=["ews-case-reopen"])
    version: str | None = Field(examples=["3"])
    alias: str | None = Field(default=None, examples=["champion"])
    uri: str | None = Field(default=None, examples=["models:/ews-case-reopen/3"])
    loaded_at: Utc | None = None
    trained_as_of: str | None = Field(
        default=None, examples=["2025-06"], description="The month the model was trained as of."
    )
    model_id: str | None = Field(default=None, examples=["3f9c2a1b7d4e"])
    kind: str | None = Field(default=None, examples=["hgb"], description="logit or hgb.")
    backtest: BacktestOut | None = None
    bias_audit: list[AuditGroup] | None = None

    def brief(self) -> ModelInfo:
        """Only what every role may see: name, version, alias and the trained-as-of month."""
        return ModelInfo(
            name=self.name, version=self.version, alias=self.alias, trained_as_of=self.trained_as_of
        )
