"""The data folder of contract section 1: file names, columns and categories.

This module is the single description of the contract that loading,
validation, the synthetic generator and the tests share.
"""

from __future__ import annotations

from typing import Final

REGIONS: Final = "regions"
NEIGHBORS: Final = "neighbors"
SIGNALS: Final = "signals"
CASES: Final = "cases"
CASE_EVENTS: Final = "case_events"

# Officials' check outcomes (``ews export-checks``, or ``ews synth``): optional.
CHECKS: Final = "checks"
CHECK_COLUMNS: Final = ("rw_code", "visit_date", "outcome", "role")
CHECK_OUTCOMES: Final = ("sudah_dicek_aman", "ada_indikasi", "dirujuk_uptd_ppa", "tidak_dapat_dicek")
# The outcomes that found something: an indication, or a referral to UPTD PPA.
CHECK_CONCERNS: Final = ("ada_indikasi", "dirujuk_uptd_ppa")
CHECK_ROLES: Final = ("lurah", "camat", "analyst")

REQUIRED_FILES: Final = (REGIONS, SIGNALS, CASES, CASE_EVENTS)
OPTIONAL_FILES: Final = (NEIGHBORS, CHECKS)
EXTENSIONS: Final = (".csv", ".parquet")

# The areas an RW lies in, as codes and names (kelurahan, kecamatan, kota).
AREA_TEXT_COLUMNS: Final = (
    "kelurahan_code",
    "kelurahan_name",
    "kecamatan_code",
    "kecamatan_name",
    "kota_code",
    "kota_name",
)
REGION_TEXT_COLUMNS: Final = ("rw_code", *AREA_TEXT_COLUMNS)
REGION_REQUIRED_COLUMNS: Final = (*REGION_TEXT_COLUMNS, "population", "households", "area_km2")
REGION_OPTIONAL_COLUMNS: Final = ("lat", "lon")
NEIGHBOR_COLUMNS: Final = ("rw_code", "neighbor_code")
SIGNAL_KEY_COLUMNS: Final = ("rw_code", "month")

CASE_REQUIRED_COLUMNS: Final = (
    "case_id",
    "rw_code",
    "reported_at",
    "channel",
    "violence_type",
    "victim_group",
    "perpetrator_relation",
)
CASE_OPTIONAL_COLUMNS: Final = ("victim_key", "incident_date", "victim_age", "place")
CASE_EVENT_COLUMNS: Final = ("case_id", "event", "at")

CHANNELS: Final = (
    "pos_pengaduan",
    "siaga_112",
    "hotline",
    "sapa_129",
    "datang_langsung",
    "rujukan_polisi",
    "rujukan_faskes",
    "rujukan_lain",
)
VIOLENCE_TYPES: Final = ("fisik", "psikis", "seksual", "penelantaran", "eksploitasi", "tppo", "lainnya")
VICTIM_GROUPS: Final = ("perempuan_dewasa", "anak_perempuan", "anak_laki_laki")
PERPETRATOR_RELATIONS: Final = (
    "pasangan",
    "orang_tua",
    "keluarga",
    "pacar_teman",
    "tetangga",
    "guru",
    "majikan_rekan_kerja",
    "orang_asing",
    "lainnya",
)
PLACES: Final = ("rumah_tangga", "fasilitas_umum", "sekolah", "tempat_kerja", "kos", "lainnya")
EVENTS: Final = ("closed", "reopened")

CASE_CATEGORIES: Final = {
    "channel": CHANNELS,
    "violence_type": VIOLENCE_TYPES,
    "victim_group": VICTIM_GROUPS,
    "perpetrator_relation": PERPETRATOR_RELATIONS,
    "place": PLACES,
}

# rw_code = kelurahan code + "." + 3-digit RW number; codes nest kota > kecamatan > kelurahan.
KOTA_CODE_PATTERN: Final = r"^\d{2}\.\d{2}$"
KECAMATAN_CODE_PATTERN: Final = r"^\d{2}\.\d{2}\.\d{2}$"
KELURAHAN_CODE_PATTERN: Final = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"
RW_CODE_PATTERN: Final = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$"

# Outputs of `ews score` and `ews score-cases` (contract section 3), shared by scoring and the store.
TIERS: Final = ("rendah", "sedang", "tinggi", "sangat_tinggi")
RW_SCORE_COLUMNS: Final = (
    "rw_code",
    "kelurahan_code",
    "kecamatan_code",
    "kota_code",
    "as_of",
    "score",
    "tier",
    "rank",
    "flagged",
    "top_factors",
)
CASE_SCORE_COLUMNS: Final = (
    "case_id",
    "rw_code",
    "as_of",
    "closed_at",
    "score",
    "tier",
    "rank",
    "flagged",
    "top_factors",
)
