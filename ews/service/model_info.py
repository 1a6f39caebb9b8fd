"""What ``GET /v1/models`` says about a registered version, built from its MLflow run record.

Pure: ``ews.tracking.read_run_record`` does the reading (once, at start-up or
reload, in ``ews.service.live``); this module turns the logged metrics
(``backtest.<scorer>.<metric>``) and the ``backtest_audit.csv`` artifact
(one row per fold x audit dimension x group) into the response models.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from ews.config import HEADLINE_METRIC
from ews.months import format_month
from ews.service.model_schemas import AuditGroup, BacktestOut, ModelInfo, ScorerMetrics

if TYPE_CHECKING:
    from ews.tracking import RunRecord

AUDIT_TABLE = "backtest_audit.csv"
AUDIT_VALUES = ("n", "flag_rate", "observed_rate", "precision", "recall")
PREFIX = "backtest."


def headline_metric(name: str) -> str:
    """The metric the model is judged and promoted by (``ews.config.HEADLINE_METRIC``)."""
    return HEADLINE_METRIC.get(name, "precision_at_5pct")


def model_info(record: RunRecord, *, alias: str, uri: str, loaded_at: dt.datetime) -> ModelInfo:
    """Name, version, training month, id, kind, backtest and bias audit of one registered version."""
    audit = record.tables.get(AUDIT_TABLE)
    return ModelInfo(
        name=record.name,
        version=str(record.version),
        alias=alias,
        uri=uri,
        loaded_at=loaded_at,
        trained_as_of=trained_as_of(record.tags, record.params),
        model_id=record.tags.get("ews.model_id"),
        kind=record.tags.get("ews.kind") or record.params.get("kind"),
        backtest=backtest_out(record.metrics, headline_metric(record.name)),
        bias_audit=None if audit is None else audit_summary(audit),
    )


def trained_as_of(tags: dict[str, str], params: dict[str, str]) -> str | None:
    """The training month as YYYY-MM: the ``ews.as_of`` tag is a month index, the param is already text."""
    index = tags.get("ews.as_of")
    if index is not None and index.lstrip("-").isdigit():
        return format_month(int(index))
    return params.get("as_of")


def backtest_out(metrics: dict[str, float], headline: str) -> BacktestOut | None:
    """Every scorer's mean backtest metrics, model first, then baselines, truth last; None if none logged."""
    by_scorer: dict[str, dict[str, float]] = defaultdict(dict)
    for key, value in metrics.items():
        parts = key.split(".", 2)
        if len(parts) == 3 and parts[0] == PREFIX[:-1] and math.isfinite(value):
            by_scorer[parts[1]][parts[2]] = float(value)
    if not by_scorer:
        return None
    scorers = sorted((_scorer(name, values) for name, values in by_scorer.items()), key=_order)
    folds = metrics.get(f"{PREFIX}folds")
    return BacktestOut(
        folds=None if folds is None else round(folds),
        headline_metric=headline,
        best_baseline=_best_baseline(scorers, headline),
        scorers=scorers,
    )


def _scorer(name: str, values: dict[str, float]) -> ScorerMetrics:
    role = "model" if name == "model" else "truth" if name == "truth" else "baseline"
    return ScorerMetrics(scorer=name, role=role, metrics=dict(sorted(values.items())))


def _order(scorer: ScorerMetrics) -> tuple[int, str]:
    return ({"model": 0, "baseline": 1, "truth": 2}[scorer.role], scorer.scorer)


def _best_baseline(scorers: list[ScorerMetrics], headline: str) -> str | None:
    # Highest headline metric; ties go to the first name, so the answer never depends on dict order.
    ranked = sorted(
        (-s.metrics[headline], s.scorer) for s in scorers if s.role == "baseline" and headline in s.metrics
    )
    return ranked[0][1] if ranked else None


def audit_summary(text: str) -> list[AuditGroup]:
    """Per audit dimension and group: mean over folds of size, flag rate, observed rate, precision, recall."""
    sums: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in csv.DictReader(io.StringIO(text)):
        cell = sums[(row.get("dimension") or "", row.get("group") or "")]
        for column in AUDIT_VALUES:
            value = _float(row.get(column))
            if value is not None:
                cell[column].append(value)
    return [_group(dimension, group, values) for (dimension, group), values in sorted(sums.items())]


def _group(dimension: str, group: str, values: dict[str, list[float]]) -> AuditGroup:
    means = {c: sum(v) / len(v) for c, v in values.items() if v}
    return AuditGroup(
        dimension=dimension,
        group=group,
        n=means.get("n", 0.0),
        **{c: means.get(c) for c in AUDIT_VALUES[1:]},
    )


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) else None
