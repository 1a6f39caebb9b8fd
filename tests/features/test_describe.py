"""Officials' sentences: Indonesian and English, and never a small case count."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ews.features.describe import describe, describe_feature, feature_label
from ews.features.names import LONG_RUN_COLUMNS, case_columns, feature_columns, pooled_columns

SIGNALS = (
    "kontak_pos_pengaduan",
    "panggilan_112_kdrt",
    "laporan_kader_rw",
    "penerima_bansos",
    "absensi_sekolah_pct",
)
STATIC = ("jarak_pos_km", "kumuh", "kepadatan_per_ha")
ALL = feature_columns(SIGNALS, STATIC, checks=True)
COUNTS = [c for c in case_columns() + pooled_columns() if c not in {"months_since_case", "nbr_count"}]
COUNTS = [c for c in COUNTS if not c.endswith("per_1000") and c not in LONG_RUN_COLUMNS]


def test_the_complaint_post_example_reads_as_officials_expect() -> None:
    assert describe("signal__kontak_pos_pengaduan__ratio_3_12", 2.0) == (
        "Kontak ke pos pengaduan 3 bulan terakhir dua kali lipat dibanding 12 bulan sebelumnya",
        "Complaint-post contacts in the last 3 months: twice the level of the 12 months before",
    )


@pytest.mark.parametrize(
    ("ratio", "id_part", "en_part"),
    [
        (1.0, "hampir sama dengan 12 bulan sebelumnya", "about the same as the 12 months before"),
        (1.3, "naik sekitar 30% dibanding", "up about 30%"),
        (0.5, "turun sekitar 50% dibanding", "down about 50%"),
        (3.1, "tiga kali lipat dibanding", "three times"),
        (2.5, "2,5 kali lipat dibanding", "2.5 times"),
        (10.0, "10 kali lipat atau lebih", "ten times or more"),
    ],
)
def test_ratio_words(ratio: float, id_part: str, en_part: str) -> None:
    indonesian, english = describe("signal__panggilan_112_kdrt__ratio_3_12", ratio)
    assert id_part in indonesian and en_part in english
    assert indonesian.startswith("Panggilan Jakarta Siaga 112 terkait KDRT")


def test_a_percent_signal_reads_with_its_unit() -> None:
    assert describe("signal__absensi_sekolah_pct__ratio_3_12", 2.0)[1].startswith(
        "School absence in the last 3 months: twice"
    )
    assert describe("signal__absensi_sekolah_pct__last", 7.4)[0] == "Ketidakhadiran sekolah bulan lalu: 7,4%"


@given(feature=st.sampled_from(COUNTS), value=st.integers(0, 2))
def test_counts_below_three_read_as_less_than_three(feature: str, value: int) -> None:
    for text in describe(feature, float(value)):
        assert text.endswith(": <3")


@pytest.mark.parametrize(
    "feature", ["cases_3m", "nbr_cases_1m", "kel_cases_12m", "open_cases", "repeat_cases_12m"]
)
def test_counts_at_or_above_the_threshold_are_shown(feature: str) -> None:
    assert describe(feature, 3.0)[0].endswith(": 3")
    assert describe(feature, 4.0, small_count_threshold=5)[1].endswith(": <5")
    assert describe(feature, 1234.0)[0].endswith(": 1.234")


def test_every_feature_gets_two_different_readable_sentences() -> None:
    for feature in ALL:
        for value in (0.0, 1.0, 7.5, math.nan):
            indonesian, english = describe(feature, value)
            assert indonesian and english and "nan" not in f"{indonesian} {english}".lower().split()
            assert feature not in indonesian and "__" not in indonesian
            assert indonesian != english or feature.startswith("region__")


def test_unknown_columns_are_humanised() -> None:
    assert describe("signal__aduan_online_pct__last", 4.0)[0] == "Aduan online bulan lalu: 4%"
    assert describe("region__jumlah_rptra", 2.0) == ("Jumlah rptra: 2", "Jumlah rptra: 2")
    assert describe("fitur_tak_dikenal", 0.5) == ("Fitur tak dikenal: 0,5", "Fitur tak dikenal: 0.5")


def test_recency_and_static_sentences() -> None:
    assert describe("months_since_case", 2.0)[1] == "The last case from this RW was reported 2 months ago"
    assert describe("months_since_case", 36.0)[0] == "Tidak ada kasus dari RW ini dalam 3 tahun terakhir"
    assert describe("region__kumuh", 1.0)[0] == "RW ini termasuk kawasan kumuh"
    assert describe("log_population", math.log1p(8500))[0] == "Jumlah penduduk RW: 8.500"
    assert describe("kel_cases_12m_per_1000", 0.354)[0].endswith(": 0,35")


def test_check_sentences() -> None:
    assert describe("checks__checked_12m", 2.0) == (
        "Pemeriksaan lapangan di RW ini dalam 12 bulan terakhir: 2",
        "Field checks of this RW in the last 12 months: 2",
    )
    concern = describe("checks__concern_12m", 1.0)[0]
    assert concern.startswith("Pemeriksaan di RW ini yang menemukan indikasi") and concern.endswith(": <3")
    assert describe("checks__concern_12m", 4.0)[1].endswith(": 4")
    assert describe("checks__safe_12m", 0.0)[0].endswith("hasil aman dalam 12 bulan terakhir: 0")
    assert describe("checks__months_since_concern", 36.0)[0] == (
        "Tidak ada pemeriksaan yang menemukan indikasi di RW ini dalam 3 tahun terakhir"
    )
    assert describe("checks__months_since_concern", 1.0)[1].endswith(": 1 month ago")
    assert feature_label("checks__concern_12m") == (
        "Pemeriksaan dengan indikasi 12 bln",
        "Checks with concern 12 mo",
    )


def test_chart_labels_are_short_and_distinct() -> None:
    for lang in (0, 1):
        labels = [feature_label(f)[lang] for f in ALL]
        assert len(set(labels)) == len(labels)
        assert max(len(label) for label in labels) <= 60
    assert feature_label("cases_3m") == ("Kasus 3 bln", "Cases 3 mo")


def test_single_language_helper_matches_describe() -> None:
    both = describe("nbr_cases_3m", 1.0, small_count_threshold=4)
    assert describe_feature("nbr_cases_3m", 1.0, lang="id", small_count_threshold=4) == both[0]
    assert (
        describe_feature("nbr_cases_3m", 1.0, lang="en", small_count_threshold=4)
        == both[1]
        == ("Cases in neighbouring RWs in the last 3 months: <4")
    )


def test_long_run_rate_reads_as_cases_a_year() -> None:
    indonesian, english = describe("log_case_rate_longrun", math.log(0.3 + 1e-3))
    assert indonesian.endswith(": 3,6 per tahun") and english.endswith(": 3.6 a year")
    assert feature_label("log_case_rate_longrun")[1] == "Long-run case rate"
