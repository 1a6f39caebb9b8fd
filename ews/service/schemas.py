"""The shared pieces of the HTTP API's models, the error bodies and the health and admin models.

Responses never carry ORM objects. Models returned to lurah and camat carry no
victim identifiers; their case counts are strings such as ``"<3"`` when small,
and their RW views are coarsened (``view: "official"``; see
``ews/service/official.py``): no score, rank or contribution, reasons only
for flagged RWs with the case history as one unsigned line, the trend in tiers.

The models are split by what they describe, like the service modules: the RW
views in :mod:`ews.service.rw_schemas`, reviews in
:mod:`ews.service.review_schemas`, case reopen scores in
:mod:`ews.service.case_schemas`, models in :mod:`ews.service.model_schemas` and
the monitor in :mod:`ews.service.monitor_schemas`. Here are what several of
them share (the month pattern, tiers, a reason code) and the rest.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ews.service.model_schemas import ModelInfo
from ews.service.schema_base import Out as _Out
from ews.service.schema_base import Utc

# Years 1900-2199: wide enough for any real as-of month, narrow enough that date arithmetic never overflows.
MONTH_PATTERN = r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$"
RW_CODE_EXAMPLE = "31.71.01.1001.005"

Month = Annotated[str, Field(pattern=MONTH_PATTERN, examples=["2025-06"], description="A month, YYYY-MM.")]
Tier = Literal["rendah", "sedang", "tinggi", "sangat_tinggi"]


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
