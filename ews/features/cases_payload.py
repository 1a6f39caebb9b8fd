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
import time
from typing import Annotated, Any, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ews.exceptions import TimeRuleError
from ews.features.cases_encode import CATEGORY_GROUPS, encode_case_row
from ews.features.cases_spells import closing_spells, recent_pairs, recent_spell
from ews.months import format_month

_EPOCH = dt.date(1970, 1, 1)

# Bounds of a payload: far beyond any real case, near enough that nothing absurd reaches the model.
MAX_VICTIM_CASES: Final = 1000
MAX_RW_CASES: Final = 100_000
MAX_AGE: Final = 120
MAX_EVENTS: Final = 100
MAX_ID: Final = 128
MAX_TEXT: Final = 64
FIRST_DATE: Final = dt.date(2000, 1, 1)
# Violence reported decades later (e.g. in childhood) is a real case: only the age bound limits it.
FIRST_INCIDENT_DATE: Final = dt.date(1900, 1, 1)


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


_LAST_DATE: list[tuple[int, dt.date]] = [(-1, _EPOCH)]


def last_date() -> dt.date:
    """The latest date a payload may carry: a year after today (UTC), worked out once a day."""
    day = int(time.time() // 86_400)
    known, last = _LAST_DATE[0]
    if day != known:
        today = _EPOCH + dt.timedelta(days=day)
        leap_day = (today.month, today.day) == (2, 29)
        last = today.replace(year=today.year + 1, day=28 if leap_day else today.day)
        _LAST_DATE[0] = (day, last)
    return last


def _out_of_range(what: str, low: Any, high: Any) -> PydanticCustomError:
    context = {"what": what, "low": low, "high": high}
    return PydanticCustomError("out_of_range", "Input should be {what} from {low} to {high}", context)


def _count(high: int) -> BeforeValidator:
    """Refuse a JSON number outside ``0..high`` with the range, before it is parsed.

    So ``1e30`` reads as out of range rather than as an integer too large to
    parse; the field's own ``ge``/``le`` (native, and in OpenAPI) still bound
    anything else, such as a numeric string.
    """

    def check(value: Any) -> Any:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and value == value and not 0 <= value <= high:  # NaN: the parser's own error
            raise _out_of_range("a whole number", 0, high)
        return value

    return BeforeValidator(check)


def _date_from(first: dt.date) -> AfterValidator:
    """Refuse a date before ``first`` or after :func:`last_date`, stating the range."""

    def check(value: dt.date) -> dt.date:
        last = last_date()
        if not first <= value <= last:
            raise _out_of_range("a date", first, last)
        return value

    return AfterValidator(check)


VictimCases = Annotated[int, Field(ge=0, le=MAX_VICTIM_CASES), _count(MAX_VICTIM_CASES)]
RwCases = Annotated[int, Field(ge=0, le=MAX_RW_CASES), _count(MAX_RW_CASES)]
Age = Annotated[int, Field(ge=0, le=MAX_AGE), _count(MAX_AGE)]
Day = Annotated[dt.date, _date_from(FIRST_DATE)]
IncidentDay = Annotated[dt.date, _date_from(FIRST_INCIDENT_DATE)]
Category = Annotated[str, Field(max_length=MAX_TEXT)]
DATES = f"from {FIRST_DATE} to a year after today"


class CaseEventIn(BaseModel):
    """One status change of the case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: Literal["closed", "reopened"] = Field(description="`closed` or `reopened`.")
    at: Day = Field(description=f"Date of the status change (YYYY-MM-DD), {DATES}.")


class RwContext(BaseModel):
    """Recent activity of the case's RW as of the as-of date (all cases, this one included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cases_90d: RwCases = Field(description="Cases reported in the RW in the 90 days before the as-of date.")
    cases_365d: RwCases = Field(description="Cases reported in the RW in the 365 days before the as-of date.")
    reopened_365d: RwCases = Field(description="Reopen events of the RW's cases in the 365 days before.")


class CasePayload(BaseModel):
    """A recently closed case as the case system describes it; no names, NIK or victim key.

    Every number and date is bounded (a 422 names the field and its range) and
    the events must alternate closed, reopened, closed, ... by date, as the
    data contract requires of the case files.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: str | None = Field(
        default=None, max_length=MAX_ID, description="Opaque case id, echoed back; never a feature."
    )
    rw_code: str | None = Field(
        default=None, max_length=MAX_TEXT, description="RW where the violence took place."
    )
    reported_at: Day = Field(description=f"When the case reached the service, {DATES}.")
    incident_date: IncidentDay | None = Field(
        default=None,
        description=f"When the violence happened, if known: from {FIRST_INCIDENT_DATE}, "
        "not after reported_at.",
    )
    channel: Category = Field(description="Intake channel, e.g. `pos_pengaduan`; a new category is kept.")
    violence_type: Category = Field(description="e.g. `fisik`, `psikis`, `seksual`.")
    victim_group: Category = Field(description="`perempuan_dewasa`, `anak_perempuan` or `anak_laki_laki`.")
    victim_age: Age | None = Field(default=None, description=f"Age in years (0-{MAX_AGE}), if recorded.")
    perpetrator_relation: Category = Field(description="e.g. `pasangan`, `orang_tua`.")
    place: Category | None = Field(default=None, description="e.g. `rumah_tangga`, `kos`; empty if unknown.")
    events: list[CaseEventIn] = Field(
        min_length=1,
        max_length=MAX_EVENTS,
        description="Status changes: by date (the given order on the same day) they read closed, "
        "reopened, closed, ...",
    )
    victim_earlier_cases: VictimCases = Field(
        default=0, description="Other cases of the victim reported earlier."
    )
    victim_cases_since: VictimCases = Field(
        default=0, description="Other cases of the victim reported since this one, before the as-of date."
    )
    rw_context: RwContext | None = Field(
        default=None, description="The RW's recent activity; empty if unknown."
    )

    @field_validator("place", mode="before")
    @classmethod
    def _empty_place(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("events")
    @classmethod
    def _events_alternate(cls, events: list[CaseEventIn]) -> list[CaseEventIn]:
        # Sorted by date, ties in the given order: the order the spell functions read them in.
        ordered = sorted(events, key=lambda e: e.at)
        for step, event in enumerate(ordered):
            expected = "closed" if step % 2 == 0 else "reopened"
            if event.event != expected:
                state = "not closed" if expected == "closed" else "already closed"
                raise PydanticCustomError(
                    "event_order",
                    "'{event}' on {at} but the case is {state} then: by date, events must read "
                    "closed, reopened, closed, ...",
                    {"event": event.event, "at": event.at.isoformat(), "state": state},
                )
        return events

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


def _not_recently_closed(as_of: int) -> TimeRuleError:
    return TimeRuleError(
        f"the case is not recently closed as of {format_month(as_of)}: its last event before then "
        "must be 'closed' and at most 180 days earlier"
    )


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
        raise _not_recently_closed(as_of)
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


def payload_row(payload: CasePayload, as_of: int) -> npt.NDArray[np.float64]:
    """``encode_case_features(payload_inputs(payload, as_of))``, computed on plain numbers.

    The live scorer's path: the same spell rules (:func:`ews.features.cases_spells.recent_spell`)
    and encoding (:func:`ews.features.cases_encode.encode_case_row`) on one case, without the
    dozens of tiny numpy arrays of the batch functions. Tests check both give the same row and
    refuse the same payloads.
    """
    at = month_day(as_of)
    reported = date_day(payload.reported_at)
    days = [date_day(e.at) for e in payload.events]
    known = [i for i, d in enumerate(days) if d < at]
    events = payload.events
    spell = recent_spell([events[i].event == "closed" for i in known], [days[i] for i in known], reported, at)
    if spell is None:
        raise _not_recently_closed(as_of)
    incident = np.nan if payload.incident_date is None else date_day(payload.incident_date)
    raw: dict[str, float] = {
        "as_of_day": at,
        "closed_day": spell.closed_day,
        "reported_day": reported,
        "incident_day": incident,
        "open_days": spell.open_days,
        "reopened_before": spell.reopened_before,
        "victim_age": np.nan if payload.victim_age is None else payload.victim_age,
        **_context(payload),
    }
    return encode_case_row(raw, {g: getattr(payload, g) for g, _ in CATEGORY_GROUPS})
