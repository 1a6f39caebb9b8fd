"""Calibration of the synthetic Jakarta: every constant of the generating process in one place.

The values are tuned so a full-province world reproduces the public figures
listed in docs/synth.md (cases a year, channel and place shares); the truth
folder records them so the tests and the bench can recompute probabilities.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ews.months import parse_month


@dataclass(frozen=True)
class RiskParams:
    """Monthly incident intensity: log-linear in RW traits plus additive self-excitation."""

    log_base: float = -2.60
    poverty: float = 0.30
    kumuh: float = 0.35
    log_density: float = 0.10
    shock_rho: float = 0.85
    shock_sd: float = 0.10
    season: float = 0.10
    self_excite: float = 0.08
    neighbor_excite: float = 0.03
    excite_decay: float = 0.5
    burn_in_months: int = 12


@dataclass(frozen=True)
class ReportParams:
    """Share of incidents that ever reach UPTD PPA, and how late."""

    logit_base: float = 0.0
    post_reach: float = 0.35
    reach_km: float = 2.5
    campaign: float = 0.6
    trend_per_year: float = 0.02
    no_incident_date: float = 0.12
    post_counts: tuple[tuple[str, int], ...] = (
        ("2022-01", 19),
        ("2023-01", 27),
        ("2024-01", 35),
        ("2025-01", 44),
    )


@dataclass(frozen=True)
class ReopenParams:
    """Closing times and the reopen hazard ``a * exp(-t / tau)`` after a closing."""

    close_median_days: float = 40.0
    close_sigma: float = 0.7
    reclose_median_days: float = 30.0
    hazard_base: float = 0.0012
    tau_days: float = 75.0
    later_factor: float = 0.7
    max_reopens: int = 3
    partner: float = 0.9
    repeat_victim: float = 0.8
    rw_risk: float = 0.45
    fisik: float = 0.3
    child: float = -0.3
    siaga_112: float = 0.3


@dataclass(frozen=True)
class SynthParams:
    """All calibration constants of one generated world."""

    risk: RiskParams = field(default_factory=RiskParams)
    report: ReportParams = field(default_factory=ReportParams)
    reopen: ReopenParams = field(default_factory=ReopenParams)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for truth.json."""
        return asdict(self)


def post_count(params: ReportParams, month: int) -> int:
    """How many complaint posts are open in ``month`` (0 before the first wave)."""
    count = 0
    for first, posts in params.post_counts:
        if month >= parse_month(first):
            count = posts
    return count
