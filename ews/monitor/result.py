"""The monitor's result: pydantic models whose ``model_dump(mode="json")`` is the JSON of issue 14.

``{"as_of", "sources": [...], "scores": {...}, "realised": [...], "checks": {...}, "alerts": [...]}``.
A part that could not be computed (no service database, no registry) says
so in ``available``/``reason`` instead of being left out.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

SourceKind = Literal["started", "stopped", "paused", "shift", "seasonal"]
AreaLevel = Literal["province", "kota", "kecamatan"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceChange(_Frozen):
    """One change of one signal in one area.

    ``size``: the relative change of the level (``0.8`` = +80%) for
    ``shift`` and ``seasonal``; the months without data for ``paused`` and
    ``stopped``; the share of the area's RWs reporting in the first month for
    ``started``. ``level``, ``z`` and ``to_month`` are extra detail.
    """

    signal: str
    area_code: str
    kind: SourceKind
    from_month: str
    size: float
    area_level: AreaLevel
    to_month: str | None = None
    z: float | None = None


class KotaScores(_Frozen):
    """A kota's score distribution and flag share this month, against its earlier months."""

    kota_code: str
    n: int
    p10: float
    p50: float
    p90: float
    mean: float
    flag_share: float
    before_p50: float | None
    before_flag_share: float | None
    moved: bool


class ScoresPart(_Frozen):
    """Score drift: this month's publication against up to ``score_history`` earlier ones."""

    available: bool
    reason: str = ""
    month: str | None = None
    before: list[str] = []
    kota: list[KotaScores] = []


class RealisedMonth(_Frozen):
    """Realised precision of a published month's flag list and its calibration (mean predicted / observed).

    ``outside``: the precision is outside the backtest's expected range;
    ``calibration_outside``: the observed cases are further than ``calibration_z``
    standard deviations from the sum of the scores.
    """

    month: str
    precision: float | None
    expected_low: float | None
    expected_high: float | None
    calibration: float | None
    n_flagged: int
    observed_rate: float
    mean_predicted: float
    outside: bool
    calibration_outside: bool


class TierOutcomes(_Frozen):
    """Among checked RWs of one tier: how many, and the share with an indication or a referral."""

    tier: str
    checked: int
    concern: int
    concern_share: float | None
    not_checkable: int


class ChecksPart(_Frozen):
    """Check outcomes (among checked RWs only: selective labels, never a census)."""

    available: bool
    reason: str = ""
    note: str = (
        "Shares are among checked RWs only: officials chose which RWs to check, so they are not rates."
    )
    by_tier: list[TierOutcomes] = []
    flags: int = 0
    flags_checked: int = 0
    flags_checked_share: float | None = None
    days_to_check_median: float | None = None
    days_to_check_p90: float | None = None


class Alert(_Frozen):
    """One plain sentence for an analyst: ``text`` in English, ``text_id`` in Bahasa Indonesia."""

    kind: str
    text: str
    text_id: str = ""


class MonitorReport(_Frozen):
    """Everything ``ews monitor`` found as of one month."""

    as_of: str
    sources: list[SourceChange]
    scores: ScoresPart
    realised: list[RealisedMonth]
    realised_note: str = ""
    checks: ChecksPart
    alerts: list[Alert]
