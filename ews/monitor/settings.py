"""Thresholds of ``ews monitor``: one frozen settings object, validated before any data loads.

Values come from arguments, then ``EWS_MONITOR_*`` environment variables.
The defaults are chosen so an unchanged synthetic Jakarta raises (almost) no
source alarm (``docs/monitoring.md`` gives the measured false-alarm count).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MonitorSettings(BaseSettings):
    """What counts as a change, and how far back the monitor looks."""

    model_config = SettingsConfigDict(
        env_prefix="EWS_MONITOR_", extra="forbid", frozen=True, env_ignore_empty=True
    )

    baseline_months: int = Field(
        default=12, ge=3, le=36, description="Trailing months a month is tested against."
    )
    history_months: int = Field(
        default=36,
        ge=6,
        le=120,
        description="Months of past deviations that measure how far a series wanders.",
    )
    min_baseline: int = Field(default=6, ge=2, le=36, description="Reported months the baseline needs.")
    z_threshold: float = Field(default=4.0, gt=0, description="Robust z every month of a change must reach.")
    min_relative: float = Field(
        default=0.3, ge=0, description="Smallest relative change of the level that counts (0.3 = 30%)."
    )
    min_run: int = Field(default=2, ge=1, le=12, description="Consecutive months beyond the threshold.")
    lookback: int = Field(
        default=12, ge=1, le=240, description="Report changes whose first month is this recent (months)."
    )
    campaign_months: tuple[int, ...] = Field(
        default=(11, 12), description="Calendar months of the 16-day campaign (25 Nov - 10 Dec)."
    )
    seasonal_ratio: float = Field(
        default=2.0, gt=1, description="An earlier year's lift within this factor of this one's matches."
    )
    horizon: int = Field(default=1, ge=1, le=12, description="Label horizon of the published scores.")
    label_maturity: int = Field(
        default=6, ge=0, le=24, description="Months after a label window before its cases count as complete."
    )
    score_history: int = Field(
        default=6, ge=1, le=36, description="Earlier publications scores are compared with."
    )
    score_shift: float = Field(
        default=0.25, gt=0, description="Relative move of a kota's median score that raises an alert."
    )
    flag_share_shift: float = Field(
        default=0.5, gt=0, description="Relative move of a kota's flag share that raises an alert."
    )
    calibration_z: float = Field(default=3.0, gt=0, description="Observed vs predicted cases z that alerts.")
    top_features: int = Field(default=10, ge=1, le=100, description="Features counted as a model's top ones.")
