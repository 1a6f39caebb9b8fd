"""The RW model's teacher: soft targets from the label months' signals (``ews.models.distill``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.models.backtest import BacktestSpec, fold_months
from ews.models.distill import TREE_PARAMS
from ews.models.task import Progress
from ews.months import format_month

# The RW model's tree settings and negative sample, which the teacher shares.
TEACHER_KEYS = (*TREE_PARAMS, "negative_share")


def teach(
    folder: DataFolder,
    spec: BacktestSpec,
    as_of: int,
    settings: TrainSettings,
    params: Mapping[str, Any],
    progress: Progress,
) -> tuple[BacktestSpec, dict[str, Any]]:
    """``spec`` with the teacher's soft targets, and the parameters; without distillation if it cannot teach.

    The teacher learns as of the first backtest fold, so every fold and the
    final fit may use it. A folder too short to leave it matured labels of
    both classes by then trains on the labels directly (said in the progress).
    """
    from ews.models.rw import LABEL_MATURITY

    teacher_at = fold_months(spec, as_of, settings.backtest_folds)[0]
    labels = spec.labels(teacher_at)
    labels = labels[labels.index.get_level_values("as_of") + settings.horizon <= teacher_at - LABEL_MATURITY]
    if labels.nunique() < 2:
        progress(f"no matured labels of both kinds by {format_month(teacher_at)}: no teacher, labels only")
        return spec, {**params, "distill": False}
    progress(f"fitting the teacher on labels matured by {format_month(teacher_at)}")
    soft = soft_targets(folder, spec, labels, as_of, teacher_at, settings, params)
    return replace(spec, soft_targets=soft), dict(params)


def soft_targets(
    folder: DataFolder,
    spec: BacktestSpec,
    labels: pd.Series,
    as_of: int,
    teacher_at: int,
    settings: TrainSettings,
    params: Mapping[str, Any],
) -> pd.Series:
    """The teacher's soft target for every feature row.

    The teacher learns from ``labels`` (matured by ``teacher_at``) and the
    label-window signals known by ``teacher_at``. It then scores every row
    with the label-window signals known at ``as_of``; rows whose window is
    not seen yet get NaN signals (they are never a student's training rows).
    """
    from ews.features.labels import label_window_signals
    from ews.models.distill import Teacher

    months = sorted(set(spec.features.index.get_level_values("as_of")))
    known = label_window_signals(folder, months, settings.horizon, teacher_at)
    teacher = Teacher(**{k: params[k] for k in TEACHER_KEYS if k in params}, random_state=settings.seed)
    teacher.fit(_with_window(spec.features.loc[labels.index], known), labels.to_numpy(dtype=np.int64))
    window = label_window_signals(folder, months, settings.horizon, as_of)
    return teacher.soft_targets(_with_window(spec.features, window))


def _with_window(features: pd.DataFrame, window: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([features, window.reindex(features.index)], axis=1)
