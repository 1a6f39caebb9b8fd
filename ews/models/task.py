"""What training one model task produces, whatever the task (RW risk, case reopen).

``ews.models.rw.train_rw`` and ``ews.models.reopen.train_reopen`` both return a
:class:`TrainedTask`; ``ews.tracking.log_task`` logs and registers any of them
the same way, so the CLI and MLflow code never branch on the task.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ews.models.backtest_types import BacktestReport
    from ews.models.estimator import RiskClassifier

Progress = Callable[[str], None]
"""Called with a short description of each step (the CLI shows it in a rich progress line)."""


def no_progress(message: str) -> None:
    """The default progress callback: stay silent."""


@dataclass(frozen=True)
class TrainedTask:
    """One trained, backtested model and everything MLflow should keep about it.

    ``model`` is fitted on all labels matured by ``as_of``; ``report`` is its
    rolling-origin backtest; ``metrics`` is the flat dict logged to MLflow
    (``report.summary()`` plus anything task-specific); ``figures`` maps an
    artifact file name (``"reliability.png"``) to a matplotlib Figure; ``card``
    is the Markdown model card; ``registered_name`` is ``ews-rw-risk`` or
    ``ews-case-reopen``; ``params`` are the settings and choices to log.
    """

    registered_name: str
    model: RiskClassifier
    feature_names: tuple[str, ...]
    report: BacktestReport
    metrics: Mapping[str, float]
    as_of: int
    horizon: int
    data_fingerprint: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)
    figures: Mapping[str, Any] = field(default_factory=dict)
    card: str = ""
    tables: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """One line each that the analyst should read: a shrunk history plan, columns left out of fits."""
