"""Ranking and calibration metrics for one scored month (generic over tasks).

precision@k / recall@k use the top ``ceil(k * n)`` units by score (ties
broken by key, as in the flag list); PR-AUC is average precision. With the
true probabilities (synthetic data) the *expected* precision@k of a ranking is
the mean true probability over its top k: noise-free, so it compares a
model with the best ranking possible on the same month.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.models.tiers import flag_count, rank_scores


def pct(k: float) -> str:
    """Metric-name suffix for a share: 0.05 -> ``5pct``."""
    return f"{round(k * 100):d}pct"


def top_k_mask(scores: pd.Series, k: float) -> npt.NDArray[np.bool_]:
    """Boolean mask of the top ``k`` share of ``scores``."""
    return np.asarray(rank_scores(scores).to_numpy() <= flag_count(len(scores), k))


def precision_recall(mask: npt.NDArray[np.bool_], labels: npt.NDArray[Any]) -> tuple[float, float]:
    """Precision and recall of the units selected by ``mask``."""
    hits = float(labels[mask].sum())
    chosen = int(mask.sum())
    positives = float(labels.sum())
    precision = hits / chosen if chosen else float("nan")
    recall = hits / positives if positives else float("nan")
    return precision, recall


def ranking_metrics(scores: pd.Series, labels: pd.Series, ks: tuple[float, ...]) -> dict[str, float]:
    """precision@k and recall@k for each share in ``ks``, PR-AUC and ROC-AUC."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = labels.reindex(scores.index).to_numpy(dtype=np.int64)
    out: dict[str, float] = {}
    for k in ks:
        out[f"precision_at_{pct(k)}"], out[f"recall_at_{pct(k)}"] = precision_recall(top_k_mask(scores, k), y)
    both = len(np.unique(y)) == 2
    values = scores.to_numpy(dtype=np.float64)
    out["pr_auc"] = float(average_precision_score(y, values)) if both else float("nan")
    out["roc_auc"] = float(roc_auc_score(y, values)) if both else float("nan")
    return out


def calibration_metrics(scores: pd.Series, labels: pd.Series) -> dict[str, float]:
    """Brier score, mean predicted rate and observed rate."""
    y = labels.reindex(scores.index).to_numpy(dtype=np.float64)
    p = scores.to_numpy(dtype=np.float64)
    return {
        "brier": float(np.mean((p - y) ** 2)),
        "mean_score": float(p.mean()),
        "observed_rate": float(y.mean()),
    }


def flag_metrics(flags: pd.Series, labels: pd.Series) -> dict[str, float]:
    """Precision and recall of the (capacity-limited) flag list, and its size."""
    y = labels.reindex(flags.index).to_numpy(dtype=np.int64)
    precision, recall = precision_recall(flags.to_numpy(dtype=bool), y)
    return {"precision_flagged": precision, "recall_flagged": recall, "n_flagged": float(flags.sum())}


def truth_metrics(scores: pd.Series, truth: pd.Series, k: float) -> dict[str, float]:
    """Expected precision@k of ``scores``, of the truth's own ranking, and their ratio."""
    p = truth.reindex(scores.index).fillna(0.0)
    expected = float(p[top_k_mask(scores, k)].mean())
    best = float(p[top_k_mask(p, k)].mean())
    name = pct(k)
    return {
        f"expected_precision_at_{name}": expected,
        f"truth_precision_at_{name}": best,
        f"truth_ratio_at_{name}": expected / best if best > 0 else float("nan"),
    }


def reliability_table(scores: pd.Series, labels: pd.Series, bins: int = 10) -> pd.DataFrame:
    """Equal-count score bins: mean predicted, observed rate and count per bin.

    Equal-count bins, because risk scores crowd near zero and equal-width bins
    would leave the informative top bins nearly empty.
    """
    y = labels.reindex(scores.index).to_numpy(dtype=np.float64)
    order = np.argsort(scores.to_numpy(dtype=np.float64), kind="stable")
    parts = [part for part in np.array_split(order, min(bins, len(order))) if len(part)]
    p = scores.to_numpy(dtype=np.float64)
    rows = [(i, float(p[part].mean()), float(y[part].mean()), len(part)) for i, part in enumerate(parts)]
    return pd.DataFrame(rows, columns=["bin", "mean_predicted", "observed", "count"])


def audit_table(groups: pd.DataFrame, month: int, flags: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Flag rate, precision and recall of the flag list within each group of each ``groups`` column."""
    frame = pd.DataFrame({"flagged": flags.to_numpy(), "label": labels.to_numpy()}, index=flags.index)
    rows = []
    for dimension in groups.columns:
        for group, part in frame.groupby(groups[dimension].astype("string").fillna("unknown"), sort=True):
            precision, recall = precision_recall(part["flagged"].to_numpy(bool), part["label"].to_numpy())
            rows.append(
                {
                    "as_of": month,
                    "dimension": str(dimension),
                    "group": str(group),
                    "n": len(part),
                    "flag_rate": float(part["flagged"].mean()),
                    "observed_rate": float(part["label"].mean()),
                    "precision": precision,
                    "recall": recall,
                }
            )
    return pd.DataFrame(rows)
