"""Reason-code sentences for the case-reopen features, in Bahasa Indonesia and English.

Readers are UPTD PPA case managers, so counts are shown exactly (the ``<3``
suppression is for lurah and camat), but no sentence ever names the victim,
the victim key or the case id: only the feature's value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

from ews.features.cases_encode import OTHER, SEPARATOR

Sentence = tuple[str, str]

GROUP_LABELS: Final = {
    "violence_type": ("Jenis kekerasan", "Violence type"),
    "victim_group": ("Kelompok korban", "Victim group"),
    "perpetrator_relation": ("Hubungan pelaku dengan korban", "Perpetrator's relation to the victim"),
    "place": ("Tempat kejadian", "Place of the violence"),
    "channel": ("Jalur pelaporan", "Reporting channel"),
}

VALUE_LABELS: Final = {
    "fisik": ("fisik", "physical"),
    "psikis": ("psikis", "psychological"),
    "seksual": ("seksual", "sexual"),
    "penelantaran": ("penelantaran", "neglect"),
    "eksploitasi": ("eksploitasi", "exploitation"),
    "tppo": ("perdagangan orang (TPPO)", "trafficking (TPPO)"),
    "lainnya": ("lainnya", "other (listed)"),
    "perempuan_dewasa": ("perempuan dewasa", "adult woman"),
    "anak_perempuan": ("anak perempuan", "girl"),
    "anak_laki_laki": ("anak laki-laki", "boy"),
    "pasangan": ("pasangan (suami/istri)", "partner (husband/wife)"),
    "orang_tua": ("orang tua", "parent"),
    "keluarga": ("keluarga/saudara", "relative"),
    "pacar_teman": ("pacar/teman", "boyfriend/girlfriend or friend"),
    "tetangga": ("tetangga", "neighbour"),
    "guru": ("guru", "teacher"),
    "majikan_rekan_kerja": ("majikan/rekan kerja", "employer or co-worker"),
    "orang_asing": ("orang asing", "stranger"),
    "rumah_tangga": ("rumah tangga", "household"),
    "fasilitas_umum": ("fasilitas umum", "public place"),
    "sekolah": ("sekolah", "school"),
    "tempat_kerja": ("tempat kerja", "workplace"),
    "kos": ("kos", "boarding room (kos)"),
    "pos_pengaduan": ("pos pengaduan", "complaint post"),
    "siaga_112": ("Jakarta Siaga 112", "Jakarta Siaga 112"),
    "hotline": ("hotline WhatsApp", "WhatsApp hotline"),
    "sapa_129": ("SAPA 129", "SAPA 129"),
    "datang_langsung": ("datang langsung", "walk-in"),
    "rujukan_polisi": ("rujukan polisi", "police referral"),
    "rujukan_faskes": ("rujukan fasilitas kesehatan", "health-facility referral"),
    "rujukan_lain": ("rujukan lain", "other referral"),
    OTHER: ("kategori baru di luar daftar", "a new category outside the list"),
}


def _n(value: float) -> str:
    return f"{round(value):d}"


def _count(id_text: str, en_text: str, zero: Sentence) -> Callable[[float], Sentence]:
    def describe(value: float) -> Sentence:
        if value == 0:
            return zero
        return id_text.format(n=_n(value)), en_text.format(n=_n(value))

    return describe


_NUMERIC: Final[dict[str, Callable[[float], Sentence]]] = {
    "days_since_closed": _count(
        "Kasus ditutup {n} hari lalu",
        "Case closed {n} days ago",
        ("Kasus ditutup hari ini", "Case closed today"),
    ),
    "days_open": _count(
        "Kasus sempat terbuka {n} hari sebelum ditutup",
        "Case was open {n} days before closing",
        ("Kasus ditutup pada hari yang sama dengan laporan", "Case closed on the day it was reported"),
    ),
    "times_reopened": _count(
        "Kasus ini sudah {n} kali dibuka kembali",
        "This case was reopened {n} times before",
        ("Kasus ini belum pernah dibuka kembali", "This case was never reopened before"),
    ),
    "report_delay_days": _count(
        "Dilaporkan {n} hari setelah kejadian",
        "Reported {n} days after the incident",
        ("Dilaporkan pada hari kejadian", "Reported on the day of the incident"),
    ),
    "victim_age": _count(
        "Usia korban {n} tahun", "Victim aged {n}", ("Korban berusia di bawah 1 tahun", "Victim under 1")
    ),
    "victim_earlier_cases": _count(
        "Korban pernah mengalami {n} kasus sebelumnya",
        "The victim had {n} earlier cases",
        ("Tidak ada kasus sebelumnya untuk korban ini", "No earlier cases for this victim"),
    ),
    "victim_cases_since": _count(
        "Ada {n} kasus baru untuk korban ini sejak kasus ini dilaporkan",
        "{n} new cases for this victim since this case was reported",
        ("Tidak ada kasus baru untuk korban ini", "No new cases for this victim"),
    ),
    "rw_cases_90d": _count(
        "{n} kasus di RW ini dalam 90 hari terakhir",
        "{n} cases in this RW in the last 90 days",
        ("Tidak ada kasus lain di RW ini dalam 90 hari terakhir", "No cases in this RW in the last 90 days"),
    ),
    "rw_cases_365d": _count(
        "{n} kasus di RW ini dalam 12 bulan terakhir",
        "{n} cases in this RW in the last 12 months",
        ("Tidak ada kasus di RW ini dalam 12 bulan terakhir", "No cases in this RW in the last 12 months"),
    ),
    "rw_reopened_365d": _count(
        "{n} kali kasus di RW ini dibuka kembali dalam 12 bulan terakhir",
        "Cases in this RW were reopened {n} times in the last 12 months",
        (
            "Tidak ada kasus di RW ini yang dibuka kembali dalam 12 bulan terakhir",
            "No reopened cases in this RW in 12 months",
        ),
    ),
}

_UNKNOWN: Final = {
    "report_delay_days": ("Tanggal kejadian tidak diketahui", "Incident date unknown"),
    "victim_age": ("Usia korban tidak dicatat", "Victim's age not recorded"),
    "rw_cases_90d": ("Data kasus RW tidak tersedia", "RW case data not available"),
    "rw_cases_365d": ("Data kasus RW tidak tersedia", "RW case data not available"),
    "rw_reopened_365d": ("Data kasus RW tidak tersedia", "RW case data not available"),
}


def _category(name: str, value: float) -> Sentence:
    group, _, category = name.partition(SEPARATOR)
    group_id, group_en = GROUP_LABELS[group]
    value_id, value_en = VALUE_LABELS.get(category, (category, category))
    if value >= 0.5:
        return f"{group_id}: {value_id}", f"{group_en}: {value_en}"
    return f"{group_id} bukan {value_id}", f"{group_en} is not {value_en}"


def describe_case_feature(name: str, value: float) -> Sentence:
    """(Indonesian, English) sentence for one reopen feature and its value."""
    if SEPARATOR in name and name.partition(SEPARATOR)[0] in GROUP_LABELS:
        return _category(name, value)
    if name not in _NUMERIC:
        shown = "tidak diketahui" if math.isnan(value) else f"{value:.3g}"
        return f"{name}: {shown}", f"{name}: {'unknown' if math.isnan(value) else f'{value:.3g}'}"
    if math.isnan(value):
        return _UNKNOWN.get(name, (f"{name} tidak diketahui", f"{name} unknown"))
    return _NUMERIC[name](value)
