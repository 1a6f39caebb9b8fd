"""Publishing a month: derived counts and freshness, the trend, and atomic replacement."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import service_world as sw
from sqlalchemy import func, select

from ews.data.folder import DataFolder
from ews.db.bundle import build_bundle, case_counts, data_freshness, stale_sources, trend_frame
from ews.db.engine import Store
from ews.db.models import CaseScore, Publication, RwScore, RwTrend
from ews.db.publish import publish, published_scores
from ews.exceptions import DataError, StorageError
from ews.months import parse_month


def test_case_counts_use_only_what_is_known_as_of_the_month() -> None:
    counts = case_counts(sw.folder(), parse_month("2024-06")).set_index("rw_code")
    assert counts.loc[sw.BUSY_RW].to_dict() == {"cases_3m": 4, "cases_12m": 4, "open_cases": 2}
    # The June case of QUIET_RW is not known yet; its reopened case is open again.
    assert counts.loc[sw.QUIET_RW].to_dict() == {"cases_3m": 1, "cases_12m": 1, "open_cases": 1}
    assert counts.loc[sw.OTHER_KEC_RW].to_dict() == {"cases_3m": 0, "cases_12m": 0, "open_cases": 0}
    earlier = case_counts(sw.folder(), parse_month("2024-04")).set_index("rw_code")
    assert earlier.loc[sw.BUSY_RW, "cases_3m"] == 1


def test_freshness_ignores_empty_signal_rows() -> None:
    fresh = data_freshness(sw.folder(), parse_month("2024-06"))
    assert fresh[sw.STALE_RW] == "2024-02"
    assert fresh[sw.BUSY_RW] == "2024-05"
    assert data_freshness(sw.folder(), parse_month("2024-01"))[sw.BUSY_RW] is None


def _sources_folder() -> DataFolder:
    # Published month 2026-01 (the month before is 2025-12). RW 001 sends three sources:
    # contacts up to date, cadre reports stopped after 2025-07, social assistance one month late
    # (last 2025-11), 112 calls never reported at all; school absence lapsed more than 24 months
    # ago. RW 002 sends nothing.
    rws = ["31.71.01.1001.001", "31.71.01.1001.002"]
    months = range(parse_month("2022-06"), parse_month("2026-02") + 1)  # a row after as_of too
    frame = pd.DataFrame({"rw_code": rws[0], "month": list(months)})
    frame["kontak_pos_pengaduan"] = 2.0
    frame["laporan_kader_rw"] = np.where(frame["month"] <= parse_month("2025-07"), 1.0, np.nan)
    frame["laporan_kader_rw"] = frame["laporan_kader_rw"].where(frame["month"] != parse_month("2026-01"), 1.0)
    frame["panggilan_112_kdrt"] = np.nan
    frame["penerima_bansos"] = np.where(frame["month"] <= parse_month("2025-11"), 30.0, np.nan)
    frame["absensi_sekolah_pct"] = np.where(frame["month"] <= parse_month("2023-12"), 5.0, np.nan)
    frame["rw_code"] = frame["rw_code"].astype("string")
    regions = pd.DataFrame({"rw_code": pd.Series(rws, dtype="string")})
    columns = (
        "kontak_pos_pengaduan",
        "panggilan_112_kdrt",
        "penerima_bansos",
        "laporan_kader_rw",
        "absensi_sekolah_pct",
    )
    empty = pd.DataFrame()
    return DataFolder(regions=regions, signals=frame, cases=empty, case_events=empty, signal_columns=columns)


def test_stale_sources_name_each_source_that_fell_behind() -> None:
    stale = stale_sources(_sources_folder(), parse_month("2026-01"))
    # Cadre reports stopped after 2025-07 (a report in 2026-01 itself is not known yet), social
    # assistance is a month late; contacts are current; 112 calls never came; school absence
    # stopped 25 months before, outside the window. Longest silent first.
    assert json.loads(stale["31.71.01.1001.001"]) == [
        {"signal": "laporan_kader_rw", "last_month": "2025-07"},
        {"signal": "penerima_bansos", "last_month": "2025-11"},
    ]
    assert json.loads(stale["31.71.01.1001.002"]) == []
    # One month earlier, school absence (last 2023-12) is still within the 24-month window.
    earlier = json.loads(stale_sources(_sources_folder(), parse_month("2025-12"))["31.71.01.1001.001"])
    assert earlier == [
        {"signal": "absensi_sekolah_pct", "last_month": "2023-12"},
        {"signal": "laporan_kader_rw", "last_month": "2025-07"},
    ]  # social assistance (last 2025-11) is current for 2025-12
    # Before the cadre reports stopped, nothing is behind.
    assert json.loads(stale_sources(_sources_folder(), parse_month("2025-08"))["31.71.01.1001.001"]) == [
        {"signal": "absensi_sekolah_pct", "last_month": "2023-12"}
    ]


def test_the_bundle_stores_stale_sources_with_each_rw() -> None:
    scores = sw.world_bundle().rw_scores.set_index("rw_code")["stale_sources"]
    assert json.loads(scores[sw.STALE_RW]) == [{"signal": "kontak_pos_pengaduan", "last_month": "2024-02"}]
    assert json.loads(scores[sw.BUSY_RW]) == []


def test_trend_keeps_the_twelve_months_up_to_as_of() -> None:
    history = {m: pd.Series({sw.BUSY_RW: 0.1}) for m in ("2023-06", "2023-07", "2024-05")}
    trend = trend_frame("2024-06", history, {"2023-07": "backfill"})
    assert list(zip(trend["month"], trend["source"], strict=True)) == [
        ("2023-07", "backfill"),
        ("2024-05", "published"),
    ]


def _store_month(url: str, bundle: sw.Any) -> None:
    store = Store.open(url)
    try:
        with store.session() as session:
            publish(session, bundle)
    finally:
        store.close()


def _scores(url: str, as_of: str) -> dict[str, float]:
    store = Store.open(url)
    try:
        with store.session() as session:
            return {
                k: float(v) for k, v in published_scores(session, [as_of]).get(as_of, pd.Series()).items()
            }
    finally:
        store.close()


def test_republishing_replaces_the_month(database_url: str) -> None:
    _store_month(database_url, sw.world_bundle())
    _store_month(database_url, sw.world_bundle(shift=0.1))
    assert _scores(database_url, sw.AS_OF)[sw.BUSY_RW] == pytest.approx(0.7)
    store = Store.open(database_url)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(RwScore)) == len(sw.RWS)
        assert session.scalar(select(func.count()).select_from(CaseScore)) == 3
        assert session.scalar(select(func.count()).select_from(Publication)) == 1
    store.close()


def test_a_failed_republish_leaves_the_old_month_whole(database_url: str) -> None:
    _store_month(database_url, sw.world_bundle())
    good = sw.world_bundle(shift=0.1)
    # A duplicated trend row breaks the primary key after the old rows were deleted and new scores written.
    broken = replace(good, trend=pd.concat([good.trend, good.trend.iloc[:1]], ignore_index=True))
    with pytest.raises(StorageError):
        _store_month(database_url, broken)
    assert _scores(database_url, sw.AS_OF)[sw.BUSY_RW] == pytest.approx(0.6)
    store = Store.open(database_url)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(RwTrend)) == len(sw.RWS)
        assert session.scalar(select(func.count()).select_from(CaseScore)) == 3
    store.close()


def test_bad_score_frames_are_refused_with_the_value() -> None:
    frame = sw.rw_scores()
    frame.loc[2, "tier"] = "merah"
    with pytest.raises(DataError, match="merah"):
        build_bundle(sw.folder(), sw.AS_OF, frame, sw.case_scores(), {}, {}, ("a", "b"))
    with pytest.raises(DataError, match="as_of"):
        build_bundle(sw.folder(), "2024-07", sw.rw_scores(), sw.case_scores(), {}, {}, ("a", "b"))
    cases = sw.case_scores().assign(rw_code="31.71.09.1009.001")
    with pytest.raises(DataError, match=r"31\.71\.09\.1009\.001"):
        build_bundle(sw.folder(), sw.AS_OF, sw.rw_scores(), cases, {}, {}, ("a", "b"))
