"""``ews publish``: score a month with the @champion models and store it for the service.

History choice (documented in docs/api.md): the 12-month trend stored with a
month uses the scores already published for the 11 months before it; months
never published are backfilled by scoring them with the same RW champion
(without reason codes, which the trend does not show), unless
``backfill=False``. Each trend point records whether it was ``published`` or
``backfill``. Months before the data allow are left out of the trend.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ews.config import (
    REOPEN_MODEL_NAME,
    RW_MODEL_NAME,
    ServeSettings,
    TrackingSettings,
    TrainSettings,
    build_settings,
)
from ews.data.folder import DataFolder
from ews.db import audit
from ews.db.bundle import TREND_MONTHS, PublishBundle, build_bundle
from ews.db.engine import Store
from ews.db.publish import publish, published_scores
from ews.exceptions import EwsError, ModelNotFoundError
from ews.months import format_month, parse_month

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PublishResult:
    """What a publish stored."""

    as_of: str
    n_rws: int
    n_flagged: int
    n_cases: int
    published_months: tuple[str, ...]
    backfilled_months: tuple[str, ...]
    rw_model: str
    reopen_model: str


@dataclass(frozen=True)
class Champions:
    """The champion models (the reopen one may be missing) and their labels."""

    rw: Any
    rw_label: str
    reopen: Any | None
    reopen_label: str


def operator() -> str:
    """The audit actor for command-line work: ``cli:<os user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in some containers
        return "cli:unknown"


def load_champions(settings: ServeSettings) -> Champions:
    """Load both @champion models; the RW one is required, the reopen one optional."""
    from ews.model_loading import load_model
    from ews.service.live import champion_version

    tracking = build_settings(TrackingSettings, MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri)
    loaded: dict[str, tuple[Any, str]] = {}
    for name in (RW_MODEL_NAME, REOPEN_MODEL_NAME):
        version = champion_version(name, settings.mlflow_tracking_uri)
        if version is not None:
            loaded[name] = (load_model(f"models:/{name}/{version}", tracking), f"{name} v{version}")
    if RW_MODEL_NAME not in loaded:
        raise ModelNotFoundError(
            f"no model is registered as {RW_MODEL_NAME}@champion; run `ews train DIR` first"
        )
    reopen, reopen_label = loaded.get(REOPEN_MODEL_NAME, (None, "none"))
    return Champions(loaded[RW_MODEL_NAME][0], loaded[RW_MODEL_NAME][1], reopen, reopen_label)


def _case_scores(folder: DataFolder, month: int, champions: Champions, train: TrainSettings) -> pd.DataFrame:
    if champions.reopen is None:
        from ews.data.schema import CASE_SCORE_COLUMNS

        return pd.DataFrame(columns=list(CASE_SCORE_COLUMNS))
    from ews.models.reopen_score import score_cases

    return score_cases(folder, month, champions.reopen, train)


def _backfill(
    folder: DataFolder, months: list[int], champions: Champions, train: TrainSettings, progress: Progress
) -> dict[str, pd.Series]:
    """The trend's missing months scored now: their features built in one pass (one grid for all
    months costs about what one month costs alone); a folder that cannot is scored month by month."""
    from ews.features.rw import build_rw_features
    from ews.models.backtest_types import month_rows

    progress(f"backfilling the trend: scoring {len(months)} earlier months")
    try:
        features = build_rw_features(folder, months)
        out = {}
        for month in months:
            rows = month_rows(features, month)
            scores = champions.rw.predict_proba(rows)[:, 1]
            out[format_month(month)] = pd.Series(scores, index=rows.index.astype(str), name="score")
        return out
    except EwsError:
        return _backfill_each(folder, months, champions, train, progress)


def _backfill_each(
    folder: DataFolder, months: list[int], champions: Champions, train: TrainSettings, progress: Progress
) -> dict[str, pd.Series]:
    from ews.models.scoring import score_rws

    out: dict[str, pd.Series] = {}
    for month in months:
        progress(f"backfilling the trend: scoring {format_month(month)}")
        try:
            frame = score_rws(folder, month, champions.rw, train, explain=False)
        except EwsError:
            continue  # before the data allow a score: the trend is shorter
        out[format_month(month)] = frame.set_index(frame["rw_code"].astype(str))["score"]
    return out


def _history(
    store: Store, folder: DataFolder, month: int, champions: Champions, backfill: bool, progress: Progress
) -> tuple[dict[str, pd.Series], dict[str, str]]:
    earlier = [format_month(m) for m in range(month - TREND_MONTHS + 1, month)]
    with store.session() as session:
        history = published_scores(session, earlier)
    sources = dict.fromkeys(history, "published")
    missing = [parse_month(m) for m in earlier if m not in history]
    if backfill and missing:
        filled = _backfill(folder, missing, champions, build_settings(TrainSettings), progress)
        history.update(filled)
        sources.update(dict.fromkeys(filled, "backfill"))
    return history, sources


def run_publish(
    directory: Path, as_of: str, settings: ServeSettings, *, backfill: bool = True, progress: Progress = print
) -> PublishResult:
    """Validate ``directory``, load the @champion models, and publish ``as_of`` (see ``publish_folder``)."""
    from ews.data.load import load_folder

    month = parse_month(as_of)
    progress(f"validating and loading {directory}")
    folder = load_folder(directory)
    progress("loading the @champion models")
    champions = load_champions(settings)
    return publish_folder(
        folder, month, champions, settings.database_url, backfill=backfill, progress=progress
    )


def publish_folder(
    folder: DataFolder,
    month: int,
    champions: Champions,
    database_url: str,
    *,
    backfill: bool = True,
    progress: Progress = print,
) -> PublishResult:
    """Score month ``month`` (and the trend) with ``champions`` and replace it in one transaction."""
    from ews.models.scoring import score_rws

    train = build_settings(TrainSettings)
    progress(f"scoring every RW as of {format_month(month)}")
    scores = score_rws(folder, month, champions.rw, train)
    progress("scoring recently closed cases")
    cases = _case_scores(folder, month, champions, train)
    store = Store.open(database_url)
    try:
        history, sources = _history(store, folder, month, champions, backfill, progress)
        labels = (champions.rw_label, champions.reopen_label)
        bundle = build_bundle(folder, format_month(month), scores, cases, history, sources, labels)
        progress("writing the month to the service database")
        with store.session() as session:
            publish(session, bundle)
            audit.record(session, operator(), "admin", "publish", bundle.as_of)
    finally:
        store.close()
    return _result(bundle, sources)


def _result(bundle: PublishBundle, sources: dict[str, str]) -> PublishResult:
    return PublishResult(
        as_of=bundle.as_of,
        n_rws=len(bundle.rw_scores),
        n_flagged=int(bundle.rw_scores["flagged"].sum()),
        n_cases=len(bundle.case_scores),
        published_months=tuple(sorted(m for m, s in sources.items() if s == "published")),
        backfilled_months=tuple(sorted(m for m, s in sources.items() if s == "backfill")),
        rw_model=bundle.rw_model,
        reopen_model=bundle.reopen_model,
    )
