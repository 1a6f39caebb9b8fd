"""View models: flag rows, map points, summaries and stale-source sentences, without a browser."""

from __future__ import annotations

from ews.service.areas import AreaRw, CheckStatus
from ews.service.rw_schemas import FlagItem, StaleSource
from ews.service.security import Caller, Role
from ews.web.detail import stale_source_text
from ews.web.geo import Geometry
from ews.web.views import NOT_CHECKED, area_title, flag_rows, map_points, summaries


def _rw(code: str, name: str, flagged: bool, cases: int = 0) -> AreaRw:
    return AreaRw(code, code[:13], name, code[:8], "Gambir", "Jakarta Pusat", "tinggi", 1, flagged, cases, 0)


RWS = [
    _rw("31.71.01.1001.001", "Gambir", True, 4),
    _rw("31.71.01.1001.002", "Gambir", True, 1),
    _rw("31.71.01.1001.003", "Gambir", False, 0),
    _rw("31.71.01.1002.001", "Cideng", True, 1),
    _rw("31.71.01.1002.002", "Cideng", False, 0),
]
CHECKS = {
    "31.71.01.1001.001": CheckStatus(2, "ada_indikasi"),
    "31.71.01.1001.002": CheckStatus(1, "sudah_dicek_aman"),
}


def _suppress(n: int) -> int | str:
    return "<3" if n < 3 else n


def test_summary_counts_flags_checks_and_open_concerns_per_kelurahan() -> None:
    rows = {s.name: s for s in summaries(RWS, CHECKS, "kelurahan", _suppress)}
    gambir, cideng = rows["Gambir"], rows["Cideng"]
    assert (gambir.rws, gambir.flagged, gambir.checked, gambir.concerns) == (3, 2, 2, 1)
    assert (cideng.rws, cideng.flagged, cideng.checked, cideng.concerns) == (2, 1, 0, 0)
    assert gambir.cases_12m == 5 and cideng.cases_12m == "<3"


def test_summary_by_kota_pools_every_kelurahan() -> None:
    (kota,) = summaries(RWS, CHECKS, "kota", _suppress)
    assert (kota.code, kota.name, kota.rws, kota.flagged) == ("31.71", "Jakarta Pusat", 5, 3)


def test_flag_rows_keep_service_order_and_say_whether_checked() -> None:
    items = [
        FlagItem(
            rw_code=code,
            kelurahan_code=code[:13],
            kelurahan_name="Gambir",
            kecamatan_code=code[:8],
            kecamatan_name="Gambir",
            score=0.3,
            tier="tinggi",
            rank=rank,
            top_factor=None,
        )
        for rank, code in ((1, "31.71.01.1001.002"), (2, "31.71.01.1001.009"))
    ]
    rows = flag_rows(items, CHECKS, "2024-06")
    assert [(r.position, r.title, r.check) for r in rows] == [
        (1, "RW 002 Gambir", "Sudah dicek, aman"),
        (2, "RW 009 Gambir", NOT_CHECKED),
    ]
    assert rows[0].href == "/rw/31.71.01.1001.002?bulan=2024-06"
    assert rows[1].reason  # a sentence even when the score carries no reason code


def test_map_points_link_every_rw_like_the_list_and_take_centroids_when_known() -> None:
    geometry = Geometry(centroids={"31.71.01.1001.001": (-6.17, 106.82)})
    points = map_points(RWS[:3], geometry, "2024-06")
    assert [p.href for p in points] == [f"/rw/{rw.rw_code}?bulan=2024-06" for rw in RWS[:3]]
    assert (points[0].lat, points[0].lon) == (-6.17, 106.82) and points[1].lat is None
    assert points[0].kota == RWS[0].kota_name


def test_area_title_names_the_callers_area() -> None:
    assert area_title(Caller("l", Role.LURAH, "31.71.01.1001"), RWS) == "Kelurahan Gambir"
    assert area_title(Caller("c", Role.CAMAT, "31.71.01"), RWS) == "Kecamatan Gambir"
    assert area_title(Caller("a", Role.ANALYST), RWS) == "DKI Jakarta"


def test_stale_sources_read_in_indonesian_and_unknown_columns_keep_their_name() -> None:
    known = StaleSource(signal="laporan_kader_rw", last_month="2025-07", months_behind=5)
    assert stale_source_text(known) == (
        "Sumber data \u201claporan kader RW\u201d tidak dilaporkan sejak Juli 2025 (tertinggal 5 bulan); "
        "skor memakai data lama untuk sumber ini."
    )
    unknown = StaleSource(signal="posyandu_baru", last_month="2024-12", months_behind=1)
    assert (
        "Sumber data \u201cposyandu_baru\u201d tidak dilaporkan sejak Desember 2024 (tertinggal 1 bulan)"
        in (stale_source_text(unknown))
    )
