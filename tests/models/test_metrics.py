"""Ranking, calibration and truth metrics on hand-computed examples."""

from __future__ import annotations

import pandas as pd
import pytest

from ews.models.metrics import calibration_metrics, ranking_metrics, reliability_table, truth_metrics


def test_precision_and_recall_at_k() -> None:
    scores = pd.Series([0.9, 0.8, 0.7, 0.1] + [0.0] * 16, index=[f"r{i:02d}" for i in range(20)])
    labels = pd.Series([1, 0, 1, 1] + [0] * 16, index=scores.index)
    out = ranking_metrics(scores, labels, (0.05, 0.10))
    assert out["precision_at_5pct"] == 1.0  # top 1 of 20
    assert out["recall_at_5pct"] == pytest.approx(1 / 3)
    assert out["precision_at_10pct"] == 0.5  # top 2
    assert out["roc_auc"] > 0.9


def test_truth_ratio_is_one_for_the_truth_ranking_and_lower_otherwise() -> None:
    index = [f"r{i}" for i in range(20)]
    truth = pd.Series([0.5, 0.4] + [0.01] * 18, index=index)
    assert truth_metrics(truth, truth, 0.10)["truth_ratio_at_10pct"] == 1.0
    reversed_scores = -truth
    assert truth_metrics(reversed_scores, truth, 0.10)["truth_ratio_at_10pct"] == pytest.approx(0.01 / 0.45)


def test_calibration_and_reliability() -> None:
    scores = pd.Series([0.1, 0.1, 0.9, 0.9])
    labels = pd.Series([0, 0, 1, 1])
    out = calibration_metrics(scores, labels)
    assert out["brier"] == pytest.approx(0.01)
    assert out["mean_score"] == pytest.approx(0.5) and out["observed_rate"] == 0.5
    table = reliability_table(scores, labels, bins=2)
    assert table["observed"].tolist() == [0.0, 1.0]
    assert table["count"].tolist() == [2, 2]
