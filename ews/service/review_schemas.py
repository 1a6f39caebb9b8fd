"""The review models: a lurah's, camat's or analyst's check of an RW, in and out, and their pages.

Separate from the RW views (:mod:`ews.service.rw_schemas`) because a review
is the one thing officials write: its request model carries the input rules
(the outcomes, the visit-date range, the retry ``client_id``) that the
service and the dashboard forms check as well (:func:`visit_date_problem`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from ews.service.schema_base import FreeText, Utc
from ews.service.schema_base import Out as _Out
from ews.service.schemas import RW_CODE_EXAMPLE, Month

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


class ReviewPage(_Out):
    """One page of an RW's reviews, newest first."""

    rw_code: str = Field(examples=[RW_CODE_EXAMPLE])
    as_of: str = Field(examples=["2025-06"], description="The published month whose scope was checked.")
    page: int = Field(ge=1, examples=[1])
    page_size: int = Field(ge=1, le=100, examples=[20])
    total: int = Field(ge=0, examples=[12], description="How many reviews the RW has in all.")
    items: list[ReviewOut]
