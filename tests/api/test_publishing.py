"""``publish_folder`` end to end on a synthetic kecamatan with real (small) models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ews.api.publishing import Champions, publish_folder
from ews.db.engine import Store
from ews.db.models import CaseScore, RwScore, RwTrend
from ews.months import parse_month


@pytest.fixture(scope="module")
def champions(tiny_world: Path) -> tuple[Any, Champions]:
    from ews.data.load import load_folder
    from ews.features.cases import build_case_features, reopen_labels
    from ews.features.labels import rw_labels
    from ews.features.rw import build_rw_features
    from ews.models.estimator import RiskClassifier

    folder = load_folder(tiny_world)
    months = list(range(parse_month("2023-01"), parse_month("2024-05")))
    rw_x = build_rw_features(folder, months)
    rw = RiskClassifier(kind="hgb", max_iter=20, min_samples_leaf=20).fit(
        rw_x, rw_labels(folder, months).reindex(rw_x.index)
    )
    case_x = build_case_features(folder, months)
    case_y = reopen_labels(folder, months).reindex(case_x.index)
    reopen = RiskClassifier(kind="hgb", max_iter=20, min_samples_leaf=20).fit(case_x, case_y)
    return folder, Champions(rw, "ews-rw-risk v1", reopen, "ews-case-reopen v1")


def _rows(url: str, model: Any, as_of: str) -> list[Any]:
    store = Store.open(url)
    try:
        with store.session() as session:
            return list(session.scalars(select(model).where(model.as_of == as_of)))
    finally:
        store.close()


def test_publish_scores_rws_cases_and_trend(champions: tuple[Any, Champions], tmp_path: Path) -> None:
    folder, models = champions
    url = f"sqlite:///{tmp_path / 'ews.db'}"
    first = publish_folder(folder, parse_month("2024-06"), models, url, progress=lambda _m: None)
    assert first.n_rws == len(folder.regions) == len(_rows(url, RwScore, "2024-06"))
    assert first.n_cases == len(_rows(url, CaseScore, "2024-06"))
    assert first.backfilled_months == tuple(f"2023-{m:02d}" for m in range(7, 13)) + tuple(
        f"2024-{m:02d}" for m in range(1, 6)
    )
    trend = _rows(url, RwTrend, "2024-06")
    assert len(trend) == 12 * len(folder.regions)
    second = publish_folder(
        folder, parse_month("2024-07"), models, url, backfill=False, progress=lambda _m: None
    )
    assert second.published_months == ("2024-06",) and second.backfilled_months == ()
    assert {t.month for t in _rows(url, RwTrend, "2024-07")} == {"2024-06", "2024-07"}
    # Publishing again gives the same scores: scoring is deterministic and the month is replaced.
    before = {r.rw_code: r.score for r in _rows(url, RwScore, "2024-06")}
    publish_folder(folder, parse_month("2024-06"), models, url, progress=lambda _m: None)
    assert {r.rw_code: r.score for r in _rows(url, RwScore, "2024-06")} == before


def test_backfilled_trend_equals_scoring_each_month_alone(
    champions: tuple[Any, Champions], tmp_path: Path
) -> None:
    from ews.config import TrainSettings
    from ews.models.scoring import score_rws

    folder, models = champions
    url = f"sqlite:///{tmp_path / 'ews.db'}"
    publish_folder(folder, parse_month("2024-06"), models, url, progress=lambda _m: None)
    trend = {(t.rw_code, t.month): t.score for t in _rows(url, RwTrend, "2024-06")}
    for month in ("2023-07", "2024-02", "2024-05"):
        alone = score_rws(folder, parse_month(month), models.rw, TrainSettings(), explain=False)
        expected = dict(zip(alone["rw_code"].astype(str), alone["score"], strict=True))
        assert {code: trend[(code, month)] for code in expected} == expected
