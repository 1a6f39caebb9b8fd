"""The case reopen models: published reopen scores of recently closed cases and a live case score.

Separate from the RW views because they go to case_system and analysts only
and describe cases, not areas.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from ews.service.model_schemas import ModelInfo
from ews.service.schema_base import Out as _Out
from ews.service.schemas import RW_CODE_EXAMPLE, FactorOut, Tier


class CaseRiskItem(_Out):
    """A recently closed case's published reopen score (case_system and analysts only)."""

    case_id: str = Field(examples=["K-2025-00123"])
    rw_code: str = Field(examples=[RW_CODE_EXAMPLE])
    closed_at: dt.date
    score: float = Field(ge=0, le=1)
    tier: Tier
    rank: int = Field(ge=1)
    flagged: bool
    factors: list[FactorOut]


class CaseRiskPage(_Out):
    """One page of recently closed cases, highest reopen risk first."""

    as_of: str = Field(examples=["2025-06"])
    page: int
    page_size: int
    total: int
    items: list[CaseRiskItem]


class LiveCaseScore(_Out):
    """The live reopen score of one case payload."""

    score: float = Field(ge=0, le=1, examples=[0.18])
    tier: Tier
    flagged: bool
    as_of: str = Field(examples=["2025-06"])
    model: ModelInfo
    factors: list[FactorOut]
    clipped: list[str] = Field(
        default_factory=list,
        examples=[["victim_earlier_cases"]],
        description="Features whose value lay outside the model's training range: each was scored "
        "at the nearest edge of that range (its factor still shows the value sent). Empty when none.",
    )
