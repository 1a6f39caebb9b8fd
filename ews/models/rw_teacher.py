"""The RW model's teacher: soft targets from the label months' signals (``ews.models.distill``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.models.backtest import fold_months
from ews.models.backtest_types import BacktestSpec
from ews.models.columns import left_out_frame
from ews.models.distill import TREE_PARAMS
from ews.models.flow import Prepared
from ews.models.task import Progress
from ews.months import format_month

# The RW model's tree settings and negative sample, which the teacher shares.
TEACHER_KEYS = (*TREE_PARAMS, "negative_share")


def teach(
    folder: DataFolder, ready: Prepared, as_of: int, settings: TrainSettings, progress: Progress
) -> Prepared:
    """``ready`` with the teacher's soft targets; without distillation if it cannot teach.

    The teacher learns as of the first backtest fold, so every fold and the
    final fit may use it. A folder too short to leave it matured labels of
    both classes by then trains on the labels directly (said in the progress).
    """
    spec = ready.spec
    teacher_at = fold_months(spec, as_of, ready.plan.folds)[0]
    labels = spec.labels(teacher_at)
    matured = labels.index.get_level_values("as_of") + settings.horizon <= teacher_at - ready.plan.maturity
    labels = labels[matured]
    if labels.nunique() < 2:
        progress(f"no matured labels of both kinds by {format_month(teacher_at)}: no teacher, labels only")
        return replace(ready, params={**ready.params, "distill": False})
    progress(f"fitting the teacher on labels matured by {format_month(teacher_at)}")
    soft, left_out = soft_targets(folder, spec, labels, as_of, teacher_at, settings, ready.params)
    frames = [f for f in (ready.left_out, left_out_frame("teacher", left_out)) if len(f)]
    return replace(
        ready,
        spec=replace(spec, soft_targets=soft),
        left_out=pd.concat(frames, ignore_index=True) if frames else ready.left_out,
    )


def soft_targets(
    folder: DataFolder,
    spec: BacktestSpec,
    labels: pd.Series,
    as_of: int,
    teacher_at: int,
    settings: TrainSettings,
    params: Mapping[str, Any],
) -> tuple[pd.Series, dict[str, str]]:
    """The teacher's soft target for every feature row, and the columns it left out.

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
    return teacher.soft_targets(_with_window(spec.features, window)), teacher.left_out_


def _with_window(features: pd.DataFrame, window: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([features, window.reindex(features.index)], axis=1)
