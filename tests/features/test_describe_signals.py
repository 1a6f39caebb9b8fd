"""Signal and area reasons with a reference point: the other RWs of the kelurahan, or an earlier period."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ews.features.describe import describe
from ews.features.names import SIGNAL_STATS, case_columns, feature_columns, pooled_columns

PEERS = "RW lain di kelurahan ini"
SIGNALS = ("kontak_pos_pengaduan", "panggilan_112_kdrt", "laporan_kader_rw", "penerima_bansos")
SIGNALS += ("absensi_sekolah_pct", "aduan_online")  # the last one is unknown: humanised
FORBIDDEN = re.compile(r"\b(nan|inf|infinity)\b|\b36 bulan|\b36 months", re.IGNORECASE)

# (stat, value, reference, Indonesian sentence with the reference, Indonesian sentence without it).
CASES = [
    ("last", 6.0, 2.0,
     "Kontak ke pos pengaduan bulan lalu: 3 kali rata-rata RW lain di kelurahan ini (6 berbanding 2)",
     "Kontak ke pos pengaduan bulan lalu: 6"),
    ("mean3", 3.0, 1.0,
     "Kontak ke pos pengaduan 3 bulan terakhir: 3 kali rata-rata RW lain di kelurahan ini "
     "(3 berbanding 1 sebulan)",
     "Kontak ke pos pengaduan 3 bulan terakhir: 3 sebulan"),
    ("mean12", 1.0, 2.0,
     "Kontak ke pos pengaduan 12 bulan terakhir: sekitar separuh rata-rata RW lain di kelurahan ini "
     "(1 berbanding 2 sebulan)",
     "Kontak ke pos pengaduan 12 bulan terakhir: 1 sebulan"),
    ("mean36", 1.14, 1.1,
     "Kontak ke pos pengaduan 3 tahun terakhir: hampir sama dengan rata-rata RW lain di kelurahan ini "
     "(1,1 berbanding 1,1 sebulan)",
     "Kontak ke pos pengaduan 3 tahun terakhir: 1,1 sebulan"),
    ("ratio_3_12", 2.0, 1.0,
     "Kontak ke pos pengaduan 3 bulan terakhir dua kali lipat dibanding 12 bulan sebelumnya; "
     "RW lain di kelurahan ini rata-rata hampir sama",
     "Kontak ke pos pengaduan 3 bulan terakhir dua kali lipat dibanding 12 bulan sebelumnya"),
    ("trend", 2.0, -0.5,
     "Kontak ke pos pengaduan 3 bulan terakhir naik dibanding 3 bulan sebelumnya (+2 sebulan); "
     "RW lain di kelurahan ini rata-rata turun",
     "Kontak ke pos pengaduan 3 bulan terakhir naik dibanding 3 bulan sebelumnya (+2 sebulan)"),
    ("decay", 4.0, 1.0,
     "Kontak ke pos pengaduan 6 bulan terakhir, terutama bulan-bulan terbaru: 4 kali rata-rata RW lain "
     "di kelurahan ini (4 berbanding 1 sebulan)",
     "Kontak ke pos pengaduan 6 bulan terakhir, terutama bulan-bulan terbaru: 4 sebulan"),
    ("per_1000", 0.8, 0.4,
     "Kontak ke pos pengaduan per 1.000 penduduk, 3 bulan terakhir: 2 kali rata-rata RW lain "
     "di kelurahan ini (0,8 berbanding 0,4 sebulan)",
     "Kontak ke pos pengaduan per 1.000 penduduk, 3 bulan terakhir: 0,8 sebulan"),
    ("reported_share12", 0.5, 11 / 12,
     "Kontak ke pos pengaduan dilaporkan pada 6 dari 12 bulan terakhir; RW lain di kelurahan ini "
     "rata-rata 11 bulan",
     "Kontak ke pos pengaduan dilaporkan pada 6 dari 12 bulan terakhir"),
    ("missing_last", 1.0, 0.0,
     "Kontak ke pos pengaduan bulan lalu tidak dilaporkan; semua RW lain di kelurahan ini melapor",
     "Kontak ke pos pengaduan bulan lalu tidak dilaporkan"),
    ("months_since_start", 8.0, 36.0,
     "Kontak ke pos pengaduan mulai dilaporkan 8 bulan lalu; RW lain di kelurahan ini rata-rata sudah "
     "3 tahun atau lebih",
     "Kontak ke pos pengaduan mulai dilaporkan 8 bulan lalu"),
    ("months_since_last", 5.0, 1.0,
     "Kontak ke pos pengaduan terakhir dilaporkan 5 bulan lalu; RW lain di kelurahan ini rata-rata "
     "terakhir melapor bulan lalu",
     "Kontak ke pos pengaduan terakhir dilaporkan 5 bulan lalu"),
]  # fmt: skip


def test_every_signal_statistic_has_a_case() -> None:
    assert [case[0] for case in CASES] == list(SIGNAL_STATS)


@pytest.mark.parametrize(("stat", "value", "reference", "with_ref", "without_ref"), CASES)
def test_each_statistic_reads_with_and_without_the_kelurahan(
    stat: str, value: float, reference: float, with_ref: str, without_ref: str
) -> None:
    feature = f"signal__kontak_pos_pengaduan__{stat}"
    compared, compared_en = describe(feature, value, reference)
    alone, alone_en = describe(feature, value)
    assert (compared, alone) == (with_ref, without_ref)
    assert "other RWs in this kelurahan" in compared_en and "kelurahan" not in alone_en
    assert describe(feature, value, None) == describe(feature, value, math.nan) == (alone, alone_en)
    for text in (compared, compared_en, alone, alone_en):
        assert not FORBIDDEN.search(text), text


@pytest.mark.parametrize(
    ("value", "reference", "words"),
    [
        (3.1, 1.0, "3 kali rata-rata"),
        (2.6, 1.0, "2,5 kali rata-rata"),
        (50.0, 1.0, "lebih dari 10 kali rata-rata"),
        (1.5, 1.0, "sekitar 1,5 kali rata-rata"),
        (1.2, 1.0, "sedikit di atas rata-rata"),
        (1.0, 1.04, "hampir sama dengan rata-rata"),
        (0.8, 1.0, "sedikit di bawah rata-rata"),
        (0.5, 1.0, "sekitar separuh rata-rata"),
        (0.3, 1.0, "sekitar sepertiga rata-rata"),
        (0.1, 1.0, "jauh di bawah rata-rata"),
        (0.0, 1.0, "di bawah rata-rata"),
        (2.0, 0.0, "di atas rata-rata"),
        (0.0, 0.0, "sama dengan rata-rata"),
        (0.004, 0.001, "sama dengan rata-rata"),  # both print as 0: never "4 kali"
    ],
)
def test_the_kelurahan_comparison_is_said_in_everyday_words(
    value: float, reference: float, words: str
) -> None:
    text = describe("signal__laporan_kader_rw__mean3", value, reference)[0]
    assert f": {words} {PEERS} (" in text


def test_percent_signals_compare_in_points_and_percent() -> None:
    assert describe("signal__absensi_sekolah_pct__mean12", 7.4, 3.7)[0] == (
        "Ketidakhadiran sekolah 12 bulan terakhir: 2 kali rata-rata RW lain di kelurahan ini "
        "(7,4% berbanding 3,7%)"
    )
    assert describe("signal__absensi_sekolah_pct__mean12", 7.4)[0] == (
        "Ketidakhadiran sekolah 12 bulan terakhir: rata-rata 7,4%"
    )
    assert describe("signal__absensi_sekolah_pct__trend", -1.5)[0].endswith("(-1,5 poin persen)")


def test_missing_values_read_without_a_comparison() -> None:
    for stat in ("last", "mean3", "mean36", "decay", "per_1000", "ratio_3_12", "trend"):
        text = describe(f"signal__panggilan_112_kdrt__{stat}", math.nan, 2.0)[0]
        assert "berbanding" not in text and not FORBIDDEN.search(text), text
    assert describe("signal__panggilan_112_kdrt__mean36", math.nan)[0] == (
        "Panggilan Jakarta Siaga 112 terkait KDRT 3 tahun terakhir: tidak dilaporkan"
    )


def test_area_attributes_compare_with_the_kelurahan() -> None:
    assert describe("region__persen_keluarga_miskin", 18.0, 9.0)[0] == (
        "Keluarga miskin: 2 kali rata-rata RW lain di kelurahan ini (18% berbanding 9%)"
    )
    assert describe("log_population", math.log1p(8500), math.log1p(4250))[0] == (
        "Jumlah penduduk RW: 2 kali rata-rata RW lain di kelurahan ini (8.500 berbanding 4.250)"
    )
    assert describe("region__kumuh", 1.0, 0.0)[0] == (
        "RW ini termasuk kawasan kumuh; berbeda dengan semua RW lain di kelurahan ini"
    )
    assert describe("region__kumuh", 0.0, 0.4)[0] == (
        "RW ini bukan kawasan kumuh; sekitar 40% RW lain di kelurahan ini kumuh"
    )


def test_case_sentences_ignore_a_reference_and_say_years() -> None:
    for feature in case_columns() + pooled_columns():
        assert describe(feature, 4.0, 1.0) == describe(feature, 4.0)
        for value in (0.0, 4.0, 40.0, math.nan):
            for text in describe(feature, value):
                assert not FORBIDDEN.search(text), (feature, text)
    assert describe("cases_36m", 4.0)[0] == "Kasus yang dilaporkan dari RW ini dalam 3 tahun terakhir: 4"
    assert describe("cases_60m", 4.0)[1] == "Cases reported from this RW in the last 5 years: 4"


FEATURES = feature_columns(SIGNALS, ("jarak_pos_km", "kumuh", "persen_keluarga_miskin"))
finite = st.floats(allow_nan=False, allow_infinity=False)


@given(
    feature=st.sampled_from(FEATURES),
    value=st.one_of(finite, st.just(math.nan)),
    reference=st.one_of(st.none(), finite, st.just(math.nan)),
)
def test_any_finite_value_and_reference_give_a_readable_sentence(
    feature: str, value: float, reference: float | None
) -> None:
    for text in describe(feature, value, reference):
        assert text.strip() and not FORBIDDEN.search(text), (feature, value, reference, text)


def test_numpy_numbers_read_like_python_ones() -> None:
    # numpy rounds 4.35 to 4.4 while formatting prints 4,3: the comparison must follow the print.
    feature = "signal__absensi_sekolah_pct__last"
    assert describe(feature, np.float64(5.9), np.float64(4.35)) == describe(feature, 5.9, 4.35)
    assert "sekitar 1,5 kali rata-rata" in describe(feature, 5.9, 4.35)[0]
