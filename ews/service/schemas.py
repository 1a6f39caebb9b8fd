"""Request and response models of the HTTP API (and of the service layer pages reuse).

Responses never carry ORM objects. Models returned to lurah and camat carry no
victim identifiers; their case counts are strings such as ``"<3"`` when small,
and their RW views are coarsened (``view: "official"``; see
``ews/service/official.py``): no score, rank or contribution, reasons only
for flagged RWs with the case history as one unsigned line, the trend in tiers.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from ews.service.model_schemas import ModelInfo
from ews.service.schema_base import FreeText, Utc
from ews.service.schema_base import Out as _Out

# Years 1900-2199: wide enough for any real as-of month, narrow enough that date arithmetic never overflows.
MONTH_PATTERN = r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$"
RW_CODE_EXAMPLE = "31.71.01.1001.005"

Month = Annotated[str, Field(pattern=MONTH_PATTERN, examples=["2025-06"], description="A month, YYYY-MM.")]
Tier = Literal["rendah", "sedang", "tinggi", "sangat_tinggi"]
Outcome = Literal["sudah_dicek_aman", "ada_indikasi", "dirujuk_uptd_ppa", "tidak_dapat_dicek"]


# A visit on or after this day and at most one day after today's UTC date (the official's
# calendar may be ahead of the server's); anything else is a typo or junk.
VISIT_DATE_MIN = dt.date(2000, 1, 1)
VISIT_DATE_SLACK = dt.timedelta(days=1)
RECENT_REVIEWS = 5
CLIENT_ID_PATTERN = r"^[0-9A-Za-z_-]{8,64}$"


def latest_visit_date() -> dt.date:
    """The latest allowed ``visit_date``: today's UTC date plus one day."""
    return dt.datetime.now(dt.UTC).date() + VISIT_DATE_SLACK


def visit_date_problem(value: dt.date) -> str | None:
    """Why ``value`` is not an allowed visit date (naming the field and the range), or None."""
    latest = latest_visit_date()
    if VISIT_DATE_MIN <= value <= latest:
        return None
    return (
        f"visit_date {value.isoformat()} is outside the allowed range "
        f"{VISIT_DATE_MIN.isoformat()} to {latest.isoformat()} (UTC today plus one day)"
    )


Count = Annotated[
    int | str, Field(description="A case count; to lurah and camat, counts below the threshold read '<3'.")
]
View = Literal["full", "official"]
VIEW_TEXT = (
    "'full' for analysts; 'official' for lurah and camat: no score, rank or contribution, "
    "reasons only for flagged RWs (signals, plus the case history as one line without a direction), "
    "the trend as tiers of published months, no 12-month or open count (docs/api.md, Privacy)."
)


class ErrorOut(_Out):
    """Every 4xx/5xx body: one sentence saying what was wrong."""

    detail: str = Field(examples=["RW '31.71.01.1001.099' was not found"])


class FieldError(_Out):
    """One invalid field of a request."""

    field: str = Field(examples=["query.as_of"])
    message: str = Field(examples=["String should match pattern '^\\d{4}-(0[1-9]|1[0-2])$'"])


class ValidationErrorOut(_Out):
    """422 body: a summary sentence and one entry per invalid field."""

    detail: str = Field(examples=["the request has 1 invalid field(s): query.as_of"])
    errors: list[FieldError]


class HealthOut(_Out):
    """Liveness and what the service is serving."""

    status: Literal["ok"] = "ok"
    version: str = Field(examples=["0.1.0"])
    latest_month: str | None = Field(examples=["2025-06"], description="Latest published month, if any.")


class PublicationOut(_Out):
    """A published month and the models that produced it."""

    as_of: str = Field(examples=["2025-06"])
    published_at: Utc
    rw_model: str = Field(examples=["ews-rw-risk v3"])
    reopen_model: str = Field(examples=["ews-case-reopen v2"])
    n_rws: int
    n_flagged: int


class ModelsOut(_Out):
    """The champion models (the reopen scorer is live; the RW champion publishes) and the published months."""

    live: list[ModelInfo]
    published: list[PublicationOut]


class FactorOut(_Out):
    """One reason code: a feature that moved the score, explained in Bahasa Indonesia."""

    feature: str = Field(examples=["kontak_pos_pengaduan_3m_ratio"])
    value: float | None = Field(
        examples=[2.1],
        description="The feature's value; null for lurah and camat when it is a case count below "
        "the threshold.",
    )
    value_text: str | None = Field(
        default=None,
        examples=["<3"],
        description="Set instead of value when a small case count is withheld from lurah and camat, "
        "e.g. '<3'.",
    )
    contribution: float | None = Field(
        examples=[0.42],
        description="How much the feature moved the score (log-odds); null for lurah and camat.",
    )
    text: str = Field(
        examples=[
            "Kontak ke pos pengaduan 3 bulan terakhir: 3 kali rata-rata RW lain di kelurahan ini "
            "(6 berbanding 2 sebulan)"
        ]
    )
    text_en: str | None = Field(default=None, examples=["Complaint-post contacts doubled over 3 months"])


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


class ReviewIn(BaseModel):
    """A check of an RW by a lurah, camat or analyst."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome = Field(examples=["sudah_dicek_aman"])
    note: FreeText = Field(
        default="", max_length=2000, examples=["Sudah dicek bersama kader RW, situasi aman."]
    )
    visit_date: dt.date = Field(
        examples=["2025-06-12"],
        description="The day of the check: on or after 2000-01-01 and not after today's UTC date "
        "plus one day (time zones); anything else is refused with 422 naming visit_date.",
    )
    as_of: Month | None = Field(
        default=None, description="The month whose flag this answers; default: latest."
    )
    client_id: str | None = Field(
        default=None,
        pattern=CLIENT_ID_PATTERN,
        examples=["3f2b8c1e-9d4a-4e57-b1c2-7a8d9e0f1a2b"],
        description="A random id the client makes once per check (8-64 letters, digits, '-' or '_'). "
        "Sent again on a retry, it stores nothing new: the answer is the review stored the first time "
        "(200 instead of 201).",
    )

    @field_validator("visit_date")
    @classmethod
    def _visit_in_range(cls, value: dt.date) -> dt.date:
        problem = visit_date_problem(value)
        if problem is not None:
            raise PydanticCustomError("visit_date_range", problem)
        return value


class ReviewOut(_Out):
    """A stored review, with who wrote it and when."""

    id: int
    rw_code: str = Field(examples=[RW_CODE_EXAMPLE])
    as_of: str = Field(examples=["2025-06"])
    outcome: Outcome
    note: str
    visit_date: dt.date
    author: str = Field(examples=["lurah-gambir"])
    author_role: str = Field(examples=["lurah"])
    created_at: Utc


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


class ReviewPage(_Out):
    """One page of an RW's reviews, newest first."""

    rw_code: str = Field(examples=[RW_CODE_EXAMPLE])
    as_of: str = Field(examples=["2025-06"], description="The published month whose scope was checked.")
    page: int = Field(ge=1, examples=[1])
    page_size: int = Field(ge=1, le=100, examples=[20])
    total: int = Field(ge=0, examples=[12], description="How many reviews the RW has in all.")
    items: list[ReviewOut]


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


class AuditOut(_Out):
    """One audit row."""

    id: int
    at: Utc
    actor: str = Field(examples=["camat-gambir"])
    role: str = Field(examples=["camat"])
    action: str = Field(examples=["rw.read"])
    target: str = Field(examples=[RW_CODE_EXAMPLE])
    outcome: str = Field(examples=["ok"])


class AuditPage(_Out):
    """One page of the audit log, newest first."""

    page: int
    page_size: int
    total: int
    items: list[AuditOut]


class ReloadOut(_Out):
    """The models in service after a reload."""

    live: list[ModelInfo]
