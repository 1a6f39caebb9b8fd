"""The analyst view of each champion model: backtest table and chart, bias audit, in Bahasa Indonesia.

Everything comes from the ``ModelInfo`` the API serves on ``GET /v1/models``
(read from MLflow once at start-up or reload), so the page and the API never
disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from ews.config import REOPEN_MODEL_NAME, RW_MODEL_NAME
from ews.service.model_schemas import AuditGroup, BacktestOut, ModelInfo, ScorerMetrics
from ews.web.style import month_long, percent
from ews.web.svg_bars import Bar, BarGroup, render_bars

MODEL_NAMES = {RW_MODEL_NAME: "Model risiko RW", REOPEN_MODEL_NAME: "Model kasus dibuka kembali"}
METRICS = {
    "precision_at_5pct": "Presisi 5% teratas",
    "precision_at_10pct": "Presisi 10% teratas",
    "precision_at_20pct": "Presisi 20% teratas",
    "precision_flagged": "Presisi daftar perlu dicek (kapasitas)",
    "recall_at_5pct": "Recall 5% teratas",
    "recall_at_20pct": "Recall 20% teratas",
    "recall_flagged": "Recall daftar perlu dicek",
    "pr_auc": "PR-AUC",
    "roc_auc": "ROC-AUC",
    "brier": "Skor Brier (makin kecil makin baik)",
    "calibration_ratio": "Rasio kalibrasi (rata-rata skor / kejadian)",
    "truth_ratio_at_5pct": "Rasio terhadap urutan terbaik, 5%",
    "truth_ratio_at_20pct": "Rasio terhadap urutan terbaik, 20%",
}
# Shares of units are shown as percentages; scores and ratios as plain decimals.
PERCENT_METRICS = ("precision", "recall")
CHART_METRICS = ("precision_flagged", "pr_auc")
DIMENSIONS = {
    "kota": "Kota",
    "poverty_tercile": "Tersil kemiskinan",
    "coverage_tercile": "Tersil kelengkapan data",
    "victim_group": "Kelompok korban",
    "violence_type": "Jenis kekerasan",
}
TERCILES = {"T1": "T1 (sepertiga terendah)", "T2": "T2 (tengah)", "T3": "T3 (sepertiga tertinggi)"}


@dataclass(frozen=True)
class MetricRow:
    """One metric: its label and the model's, best baseline's and truth's values as text."""

    label: str
    model: str
    baseline: str
    truth: str


@dataclass(frozen=True)
class AuditRow:
    """One audit group as shown: dimension, group and the flag list's figures."""

    dimension: str
    group: str
    n: str
    flag_rate: str
    observed_rate: str
    precision: str
    recall: str


@dataclass(frozen=True)
class ModelView:
    """One champion model on the analyst page."""

    title: str
    version: str
    trained_as_of: str
    kind: str
    model_id: str
    folds: str
    baseline_name: str
    has_truth: bool
    metrics: list[MetricRow]
    chart: Markup | None
    audit: list[AuditRow]


def shown(metric: str, value: float | None) -> str:
    """A metric value in Indonesian notation; a dash when it was not measured."""
    if value is None:
        return "–"
    if metric.startswith(PERCENT_METRICS):
        return percent(value)
    return f"{value:.3f}".replace(".", ",")


def _pick(backtest: BacktestOut) -> tuple[ScorerMetrics | None, ScorerMetrics | None, ScorerMetrics | None]:
    by_name = {s.scorer: s for s in backtest.scorers}
    truth = next((s for s in backtest.scorers if s.role == "truth"), None)
    best = by_name.get(backtest.best_baseline or "")
    return by_name.get("model"), best, truth


def metric_rows(backtest: BacktestOut) -> list[MetricRow]:
    """The known metrics any of model, best baseline or truth has, in a fixed order."""
    scorers = _pick(backtest)
    rows = []
    for metric, label in METRICS.items():
        values = [None if s is None else s.metrics.get(metric) for s in scorers]
        if any(v is not None for v in values):
            rows.append(MetricRow(label, *(shown(metric, v) for v in values)))
    return rows


def chart(backtest: BacktestOut, title: str) -> Markup | None:
    """Bars of the headline metric, the flag list's precision and PR-AUC: model vs best baseline vs truth."""
    names = ("Model", f"Pembanding: {backtest.best_baseline}", "Kebenaran (sintetis)")
    groups = []
    for metric in dict.fromkeys((backtest.headline_metric, *CHART_METRICS)):
        bars = tuple(
            Bar(name, s.role, s.metrics[metric])
            for name, s in zip(names, _pick(backtest), strict=True)
            if s is not None and metric in s.metrics
        )
        if bars:
            groups.append(BarGroup(METRICS.get(metric, metric), bars))
    return render_bars(groups, title=title) if groups else None


def _group_label(group: AuditGroup, kota_names: Mapping[str, str]) -> str:
    if group.dimension == "kota" and group.group in kota_names:
        return kota_names[group.group]
    return TERCILES.get(group.group, group.group)


def audit_rows(groups: list[AuditGroup], kota_names: Mapping[str, str] | None = None) -> list[AuditRow]:
    """The bias audit, one row per dimension and group (kota by name when ``kota_names`` has it)."""
    names = kota_names or {}
    return [
        AuditRow(
            DIMENSIONS.get(g.dimension, g.dimension.replace("_", " ")),
            _group_label(g, names),
            f"{g.n:.0f}",
            shown("precision", g.flag_rate),
            shown("precision", g.observed_rate),
            shown("precision", g.precision),
            shown("recall", g.recall),
        )
        for g in groups
    ]


def model_view(info: ModelInfo, kota_names: Mapping[str, str] | None = None) -> ModelView:
    """Everything the analyst page shows about one model."""
    title = MODEL_NAMES.get(info.name, info.name)
    backtest = info.backtest
    return ModelView(
        title=title,
        version=info.version or "?",
        trained_as_of=month_long(info.trained_as_of) if info.trained_as_of else "tidak diketahui",
        kind=info.kind or "–",
        model_id=info.model_id or "–",
        folds="–" if backtest is None or backtest.folds is None else str(backtest.folds),
        baseline_name=(backtest.best_baseline if backtest else None) or "–",
        has_truth=backtest is not None and any(s.role == "truth" for s in backtest.scorers),
        metrics=metric_rows(backtest) if backtest else [],
        chart=chart(backtest, f"Hasil uji mundur {title}") if backtest else None,
        audit=audit_rows(info.bias_audit or [], kota_names),
    )
