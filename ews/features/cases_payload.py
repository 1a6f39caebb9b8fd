"""One case sent to the API: the request model and its raw inputs for the shared encoder.

The payload carries what the case system knows about one case (attributes,
report and incident dates, status events) plus counts it can look up (the
victim's other cases, the RW's recent cases). :func:`payload_inputs` turns it
into the same raw arrays a folder row gets, through the same spell functions,
so :func:`ews.features.cases_encode.encode_case_features` sees identical input.
No identifiers of the victim are accepted: only counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ews.exceptions import TimeRuleError
from ews.features.cases_encode import CATEGORY_GROUPS
from ews.features.cases_spells import closing_spells, recent_pairs
from ews.months import format_month

_EPOCH = dt.date(1970, 1, 1)


def date_day(value: dt.date) -> int:
    """Days since 1970-01-01."""
    return (value - _EPOCH).days


def month_day(month: int) -> int:
    """Day number of an as-of month's first day."""
    year, month0 = divmod(int(month), 12)
    return date_day(dt.date(year, month0 + 1, 1))


def day_month(day: int) -> int:
    """Month index of a day number."""
    date = _EPOCH + dt.timedelta(days=int(day))
    return date.year * 12 + date.month - 1


class CaseEventIn(BaseModel):
    """One status change of the case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: Literal["closed", "reopened"] = Field(description="`closed` or `reopened`.")
    at: dt.date = Field(description="Date of the status change (YYYY-MM-DD).")


class RwContext(BaseModel):
    """Recent activity of the case's RW as of the as-of date (all cases, this one included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cases_90d: int = Field(ge=0, description="Cases reported in the RW in the 90 days before the as-of date.")
    cases_365d: int = Field(
        ge=0, description="Cases reported in the RW in the 365 days before the as-of date."
    )
    reopened_365d: int = Field(ge=0, description="Reopen events of the RW's cases in the 365 days before.")


class CasePayload(BaseModel):
    """A recently closed case as the case system describes it; no names, NIK or victim key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: str | None = Field(default=None, description="Opaque case id, echoed back; never a feature.")
    rw_code: str | None = Field(default=None, description="RW where the violence took place.")
    reported_at: dt.date = Field(description="When the case reached the service.")
    incident_date: dt.date | None = Field(default=None, description="When the violence happened, if known.")
    channel: str = Field(description="Intake channel, e.g. `pos_pengaduan`; a new category is kept.")
    violence_type: str = Field(description="e.g. `fisik`, `psikis`, `seksual`.")
    victim_group: str = Field(description="`perempuan_dewasa`, `anak_perempuan` or `anak_laki_laki`.")
    victim_age: int | None = Field(default=None, ge=0, le=120, description="Age in years, if recorded.")
    perpetrator_relation: str = Field(description="e.g. `pasangan`, `orang_tua`.")
    place: str | None = Field(default=None, description="e.g. `rumah_tangga`, `kos`; empty if unknown.")
    events: list[CaseEventIn] = Field(
        min_length=1, description="Status changes, closed/reopened alternating."
    )
    victim_earlier_cases: int = Field(
        default=0, ge=0, description="Other cases of the victim reported earlier."
    )
    victim_cases_since: int = Field(
        default=0,
        ge=0,
        description="Other cases of the victim reported since this one, before the as-of date.",
    )
    rw_context: RwContext | None = Field(
        default=None, description="The RW's recent activity; empty if unknown."
    )

    @field_validator("place", mode="before")
    @classmethod
    def _empty_place(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="after")
    def _dates_in_order(self) -> CasePayload:
        if self.incident_date is not None and self.incident_date > self.reported_at:
            raise ValueError(f"incident_date {self.incident_date} is after reported_at {self.reported_at}")
        early = [e.at for e in self.events if e.at < self.reported_at]
        if early:
            raise ValueError(f"event date {early[0]} is before reported_at {self.reported_at}")
        return self


def default_as_of(payload: CasePayload) -> int:
    """The first as-of month at which the case's latest event is known: the month after it."""
    return day_month(date_day(max(e.at for e in payload.events))) + 1


def _context(payload: CasePayload) -> dict[str, float]:
    rw = payload.rw_context
    return {
        "rw_cases_90d": np.nan if rw is None else rw.cases_90d,
        "rw_cases_365d": np.nan if rw is None else rw.cases_365d,
        "rw_reopened_365d": np.nan if rw is None else rw.reopened_365d,
        "victim_earlier_cases": payload.victim_earlier_cases,
        "victim_cases_since": payload.victim_cases_since,
    }


def payload_inputs(payload: CasePayload, as_of: int) -> dict[str, npt.NDArray[Any]]:
    """Raw one-row arrays for the encoder; raise ``TimeRuleError`` unless recently closed as of ``as_of``."""
    at = month_day(as_of)
    reported = date_day(payload.reported_at)
    known = [e for e in payload.events if date_day(e.at) < at]
    spells = closing_spells(
        np.zeros(len(known), dtype=np.int64),
        np.array([e.event == "closed" for e in known], dtype=bool),
        np.array([date_day(e.at) for e in known], dtype=np.int64),
        np.array([reported], dtype=np.int64),
    )
    spell, _ = recent_pairs(spells, np.array([at], dtype=np.int64))
    if len(spell) != 1:
        raise TimeRuleError(
            f"the case is not recently closed as of {format_month(as_of)}: its last event before then "
            "must be 'closed' and at most 180 days earlier"
        )
    row = int(spell[0])
    incident = np.nan if payload.incident_date is None else date_day(payload.incident_date)
    raw: dict[str, Any] = {
        "as_of_day": at,
        "closed_day": spells.closed_day[row],
        "reported_day": reported,
        "incident_day": incident,
        "open_days": spells.open_days[row],
        "reopened_before": spells.reopened_before[row],
        "victim_age": np.nan if payload.victim_age is None else payload.victim_age,
        **_context(payload),
    }
    arrays = {k: np.array([v], dtype=np.float64) for k, v in raw.items()}
    categories = {g: np.array([getattr(payload, g)], dtype=object) for g, _ in CATEGORY_GROUPS}
    return arrays | categories
