"""How tiers, outcomes and months read and look on the dashboard (Bahasa Indonesia).

Each tier is told apart three ways at once (colour, a shape and the word)
so it survives colour blindness, greyscale printouts and bright sun. The
fills run light to dark with risk, and every badge's text colour meets
WCAG AA (4.5:1) on its fill; ``tests/web/test_style.py`` checks the ratios.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class TierStyle:
    """The look of one tier: label, fill, text colour on the fill, map shape and hatch pattern."""

    key: str
    label: str
    fill: str
    ink: str
    shape: str
    pattern: str | None


TIER_ORDER: Final = ("rendah", "sedang", "tinggi", "sangat_tinggi")
TIER_STYLES: Final = {
    "rendah": TierStyle("rendah", "Rendah", "#e3eef8", "#0b2e4f", "circle", None),
    "sedang": TierStyle("sedang", "Sedang", "#fbe08a", "#3b2c00", "diamond", "dots"),
    "tinggi": TierStyle("tinggi", "Tinggi", "#e8772e", "#1f0e00", "triangle", "hatch"),
    "sangat_tinggi": TierStyle("sangat_tinggi", "Sangat tinggi", "#7a1020", "#ffffff", "square", "cross"),
}

# What each tier means against other RWs (tiers are multiples of the usual risk, ews/models/tiers.py).
TIER_MEANINGS: Final = {
    "rendah": "di bawah risiko rata-rata RW",
    "sedang": "sampai 2 kali risiko rata-rata RW",
    "tinggi": "2 sampai 4 kali risiko rata-rata RW",
    "sangat_tinggi": "lebih dari 4 kali risiko rata-rata RW",
}

OUTCOMES: Final = {
    "sudah_dicek_aman": "Sudah dicek, aman",
    "ada_indikasi": "Ada indikasi, ditindaklanjuti",
    "dirujuk_uptd_ppa": "Dirujuk ke UPTD PPA",
    "tidak_dapat_dicek": "Tidak dapat dicek",
}
# An outcome that leaves something to follow up: it counts as an open concern in the camat summary.
CONCERN_OUTCOMES: Final = frozenset({"ada_indikasi", "dirujuk_uptd_ppa", "tidak_dapat_dicek"})

ROLE_LABELS: Final = {
    "lurah": "Lurah",
    "camat": "Camat",
    "analyst": "Analis",
    "case_system": "Sistem kasus",
    "admin": "Admin",
}

MONTHS_ID: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_SHORT_ID: Final = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def tier_style(tier: str) -> TierStyle:
    """The style of ``tier``; an unknown tier reads as itself in neutral grey rather than failing a page."""
    known = TIER_STYLES.get(tier)
    if known is not None:
        return known
    return TierStyle(tier, tier.replace("_", " ").capitalize(), "#d9d9d9", "#111111", "circle", None)


def tier_meaning(tier: str) -> str:
    """How ``tier`` compares with other RWs, in one phrase ("" for an unknown tier)."""
    return TIER_MEANINGS.get(tier, "")


def month_long(month: str) -> str:
    """``2025-06`` -> ``Juni 2025``."""
    year, number = month.split("-")
    return f"{MONTHS_ID[int(number) - 1]} {year}"


def month_short(month: str) -> str:
    """``2025-06`` -> ``Jun 25`` (chart axes)."""
    year, number = month.split("-")
    return f"{MONTHS_SHORT_ID[int(number) - 1]} {year[2:]}"


def outcome_label(outcome: str) -> str:
    """The Indonesian sentence of a check outcome (the key itself if unknown)."""
    return OUTCOMES.get(outcome, outcome)


def percent(score: float) -> str:
    """A probability as an Indonesian percentage with one decimal: ``0.123`` -> ``12,3%``."""
    return f"{score * 100:.1f}%".replace(".", ",")


def rw_number(rw_code: str) -> str:
    """``31.71.01.1001.005`` -> ``RW 005``."""
    return f"RW {rw_code.rsplit('.', 1)[-1]}"
