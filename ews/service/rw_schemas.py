"""The RW views of the HTTP API: the flag list, one RW's detail, its trend, freshness and case counts.

Separate because these are the models coarsened for lurah and camat
(``view: "official"``, ``ews/service/official.py``): no score, rank or
contribution, reasons only for flagged RWs, case counts below the threshold
as ``"<3"``, the trend in tiers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ews.service.review_schemas import RECENT_REVIEWS, ReviewOut
from ews.service.schema_base import Out as _Out
from ews.service.schemas import RW_CODE_EXAMPLE, FactorOut, Tier

Count = Annotated[
    int | str, Field(description="A case count; to lurah and camat, counts below the threshold read '<3'.")
]
View = Literal["full", "official"]
VIEW_TEXT = (
    "'full' for analysts; 'official' for lurah and camat: no score, rank or contribution, "
    "reasons only for flagged RWs (signals, plus the case history as one line without a direction), "
    "the trend as tiers of published months, no 12-month or open count (docs/api.md, Privacy)."
)


class FlagItem(_Out):
    """A flagged RW in the caller's area."""

    rw_code: str = Field(examples=[RW_CODE_EXAMPLE])
    kelurahan_code: str = Field(examples=["31.71.01.1001"])
    kelurahan_name: str = Field(examples=["Gambir"])
    kecamatan_code: str = Field(examples=["31.71.01"])
    kecamatan_name: str = Field(examples=["Gambir"])
    score: float | None = Field(ge=0, le=1, examples=[0.31], description="Null for lurah and camat.")
    tier: Tier
    rank: int | None = Field(
        ge=1, examples=[4], description="Rank in the province; null for lurah and camat."
    )
    top_factor: str | None = Field(description="The main reason, in Bahasa Indonesia.")
    view: View = Field(default="full", description=VIEW_TEXT)


class FlagPage(_Out):
    """One page of flagged RWs, highest risk first."""

    as_of: str = Field(examples=["2025-06"])
    page: int = Field(examples=[1])
    page_size: int = Field(examples=[50])
    total: int = Field(examples=[7])
    items: list[FlagItem]


class TrendPoint(_Out):
    """The RW's score in one month of the 12 before (and including) ``as_of``."""

    month: str = Field(examples=["2025-05"])
    score: float | None = Field(ge=0, le=1, description="Null for lurah and camat.")
    source: Literal["published", "backfill"] = Field(
        description="'published': as published that month; 'backfill': scored later by the same model."
    )
    tier: Tier | None = Field(
        default=None, description="The tier published that month (lurah and camat: published months only)."
    )


class StaleSource(_Out):
    """A signal source the RW reported in the 24 months before as_of but not in the month before it."""

    signal: str = Field(
        examples=["laporan_kader_rw"], description="The signal column (as in signals.csv) that fell behind."
    )
    last_month: str = Field(examples=["2025-01"], description="The last month this source was reported.")
    months_behind: int = Field(
        ge=1,
        examples=[4],
        description="Months between last_month and the month before as_of; the score used older data "
        "for this source.",
    )


class Freshness(_Out):
    """How current the RW's signals are, overall and source by source."""

    last_signal_month: str | None = Field(examples=["2025-05"])
    months_behind: int | None = Field(
        examples=[0],
        description="Months between the last signal and the month before as_of (0 = up to date).",
    )
    stale_sources: list[StaleSource] = Field(
        default_factory=list,
        examples=[[{"signal": "laporan_kader_rw", "last_month": "2025-01", "months_behind": 4}]],
        description="Signal sources that stopped or paused while others may continue: each was "
        "reported in the 24 months before as_of but not in the month before it. Longest silent "
        "first; empty when every source is current (or for months published before this was stored).",
    )


class CaseCounts(_Out):
    """Cases known as of the month (reported before it)."""

    last_3_months: Count = Field(examples=["<3"])
    last_12_months: Count | None = Field(examples=[5], description="Null for lurah and camat.")
    open: Count | None = Field(examples=["<3"], description="Null for lurah and camat.")


class RwDetail(_Out):
    """Everything shown about one RW for one month."""

    rw_code: str = Field(examples=[RW_CODE_EXAMPLE])
    kelurahan_code: str
    kelurahan_name: str
    kecamatan_code: str
    kecamatan_name: str
    kota_code: str
    kota_name: str
    as_of: str = Field(examples=["2025-06"])
    score: float | None = Field(ge=0, le=1, description="Null for lurah and camat.")
    tier: Tier
    rank: int | None = Field(ge=1, description="Rank in the province; null for lurah and camat.")
    flagged: bool
    view: View = Field(default="full", description=VIEW_TEXT)
    factors: list[FactorOut]
    trend: list[TrendPoint]
    freshness: Freshness
    cases: CaseCounts
    reviews: list[ReviewOut] = Field(
        description=f"The newest {RECENT_REVIEWS} reviews of the RW, newest first; all of them are "
        "paged at GET /v1/rw/{rw_code}/reviews."
    )
    reviews_total: int = Field(ge=0, examples=[12], description="How many reviews the RW has in all.")
