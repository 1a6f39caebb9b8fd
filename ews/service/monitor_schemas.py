"""The response of ``GET /v1/monitor``: the report ``ews monitor`` stored for a month (issue 14).

The same JSON as ``ews monitor --json``: ``{"as_of", "sources", "scores", "realised",
"realised_note", "checks", "alerts"}``. Parts the monitor could not compute say so in
``available`` and ``reason``. Served to analysts only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ews.service.schema_base import Out
from ews.service.schemas import Month


class SourceChangeOut(Out):
    """A source that started, stopped, paused, shifted level, or moved with the season, in one area."""

    signal: str = Field(examples=["kontak_pos_pengaduan"], description="The signal column.")
    area_code: str = Field(examples=["31.71.03"], description="Province (31), kota or kecamatan code.")
    kind: Literal["started", "stopped", "paused", "shift", "seasonal"]
    from_month: Month
    size: float = Field(
        description="shift/seasonal: relative change of the level (0.8 = +80%); paused/stopped: months "
        "without data; started: share of the area's RWs reporting in the first month."
    )
    area_level: Literal["province", "kota", "kecamatan"]
    to_month: Month | None = None
    z: float | None = Field(default=None, description="The robust z of a shift or seasonal lift.")


class KotaScoresOut(Out):
    """A kota's score distribution and flag share this month, against its earlier months."""

    kota_code: str = Field(examples=["31.71"])
    n: int
    p10: float
    p50: float
    p90: float
    mean: float
    flag_share: float
    before_p50: float | None
    before_flag_share: float | None
    moved: bool


class ScoresOut(Out):
    """Score drift of the latest published month against up to a year of earlier ones."""

    available: bool
    reason: str = ""
    month: Month | None = None
    before: list[Month] = Field(default_factory=list)
    kota: list[KotaScoresOut] = Field(default_factory=list)


class RealisedMonthOut(Out):
    """Realised precision and calibration of one published month whose labels have matured."""

    month: Month
    precision: float | None
    expected_low: float | None
    expected_high: float | None
    calibration: float | None = Field(description="Mean predicted score / observed rate.")
    n_flagged: int
    observed_rate: float
    mean_predicted: float
    outside: bool = Field(description="The precision is outside the backtest's expected range.")
    calibration_outside: bool


class TierOutcomesOut(Out):
    """Among checked RWs of one tier: how many, and how many had an indication or a referral."""

    tier: str = Field(examples=["sangat_tinggi"])
    checked: int
    concern: int
    concern_share: float | None
    not_checkable: int


class ChecksOut(Out):
    """Check outcomes among checked RWs only (selective labels, never a census)."""

    available: bool
    reason: str = ""
    note: str = ""
    by_tier: list[TierOutcomesOut] = Field(default_factory=list)
    flags: int = 0
    flags_checked: int = 0
    flags_checked_share: float | None = None
    days_to_check_median: float | None = None
    days_to_check_p90: float | None = None


class AlertOut(Out):
    """One finding in one plain sentence; ``retrain`` when retraining is recommended."""

    kind: str = Field(examples=["source_shift", "retrain"])
    text: str = Field(description="The sentence in English.")
    text_id: str = Field(default="", description="The same sentence in Bahasa Indonesia.")


class MonitorOut(Out):
    """The monitor's report as of one month, as ``ews monitor`` stored it."""

    as_of: Month
    sources: list[SourceChangeOut]
    scores: ScoresOut
    realised: list[RealisedMonthOut]
    realised_note: str = ""
    checks: ChecksOut
    alerts: list[AlertOut]
