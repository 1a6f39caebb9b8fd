"""Checks of cases (one row per UPTD PPA case) and case_events (status changes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.data import checks_common as common
from ews.data import schema
from ews.data.coerce import as_text, is_in
from ews.data.issues import ValidationReport

# Category codes are snake_case words; anything else is a typo, not a new category.
CATEGORY_PATTERN = r"^[a-z][a-z0-9_]*$"
MAX_AGE = 120
_IN_REGIONS = "an rw_code listed in regions"


def check_cases(
    frame: pd.DataFrame, file: str, known_rw: pd.Index | None, report: ValidationReport
) -> pd.Series | None:
    """Check cases; return reported_at by case_id for the event checks (None if unusable)."""
    if not common.missing_columns(frame, file, schema.CASE_REQUIRED_COLUMNS, report):
        return None
    common.ignored_columns(
        frame, file, (*schema.CASE_REQUIRED_COLUMNS, *schema.CASE_OPTIONAL_COLUMNS), report
    )
    if frame.empty:
        report.file_issue("error", file, "has no rows; cases must list the cases handled")
        return None
    case_id = as_text(frame["case_id"])
    common.required_cells(case_id, file, "case_id", report)
    common.duplicates(case_id, file, "case_id", report)
    rw_code = as_text(frame["rw_code"])
    common.required_cells(rw_code, file, "rw_code", report)
    common.unknown_codes(rw_code, known_rw, _IN_REGIONS, file, "rw_code", report)
    reported = _check_dates(frame, file, report)
    _check_categories(frame, file, report)
    _check_age(frame, file, report)
    keep = case_id.notna() & ~case_id.duplicated(keep="first")
    return pd.Series(reported[keep].to_numpy(), index=pd.Index(case_id[keep].to_numpy()))


def _check_dates(frame: pd.DataFrame, file: str, report: ValidationReport) -> pd.Series:
    common.required_cells(as_text(frame["reported_at"]), file, "reported_at", report)
    reported = common.dates(frame["reported_at"], file, "reported_at", report)
    if "incident_date" in frame:
        incident = common.dates(frame["incident_date"], file, "incident_date", report)
        late = (incident > reported).fillna(False).astype(bool)
        texts = "'" + _iso(incident) + "' is after reported_at '" + _iso(reported) + "'"
        report.add_rows("error", file, "incident_date", "order", late, _iso(incident), texts)
    return reported


def _check_categories(frame: pd.DataFrame, file: str, report: ValidationReport) -> None:
    for column, allowed in schema.CASE_CATEGORIES.items():
        if column not in frame:
            continue
        text = as_text(frame[column])
        if column in schema.CASE_REQUIRED_COLUMNS:
            common.required_cells(text, file, column, report)
        shaped = common.pattern(
            text, CATEGORY_PATTERN, "a category code (lower-case letters, digits, _)", file, column, report
        )
        other = shaped & ~is_in(text, allowed)
        message = f"{{!r}} is not one of {', '.join(allowed)}; the value is kept"
        report.add_rows("warning", file, column, "category", other, text, message.format)


def _check_age(frame: pd.DataFrame, file: str, report: ValidationReport) -> None:
    if "victim_age" not in frame:
        return
    age = common.integers(frame["victim_age"], file, "victim_age", report)
    odd = (age < 0) | (age > MAX_AGE)
    common.out_of_range(
        age, odd, frame["victim_age"], f"is not an age 0..{MAX_AGE}", file, "victim_age", report
    )


def check_events(
    frame: pd.DataFrame, file: str, reported: pd.Series | None, report: ValidationReport
) -> None:
    """Check case events: known case, known event, dated after reporting, alternating."""
    if not common.missing_columns(frame, file, schema.CASE_EVENT_COLUMNS, report):
        return
    common.ignored_columns(frame, file, schema.CASE_EVENT_COLUMNS, report)
    case_id, event = as_text(frame["case_id"]), as_text(frame["event"])
    for column, text in (("case_id", case_id), ("event", event), ("at", as_text(frame["at"]))):
        common.required_cells(text, file, column, report)
    known = None if reported is None else reported.index
    common.unknown_codes(case_id, known, "a case_id listed in cases", file, "case_id", report)
    bad_event = event.notna() & ~is_in(event, schema.EVENTS)
    report.add_rows(
        "error", file, "event", "event", bad_event, event, lambda v: f"{v!r} is not closed or reopened"
    )
    at = common.dates(frame["at"], file, "at", report)
    if reported is None:
        return
    since = pd.Series(reported.reindex(case_id.to_numpy()).to_numpy(), index=frame.index)
    early = (at < since).fillna(False).astype(bool)
    texts = "'" + _iso(at) + "' is before the case was reported on '" + _iso(since) + "'"
    report.add_rows("error", file, "at", "before_report", early, _iso(at), texts)
    usable = is_in(case_id, reported.index) & ~bad_event & event.notna() & at.notna()
    _check_order(case_id[usable], event[usable], at[usable], file, report)


def _check_order(
    case_id: pd.Series, event: pd.Series, at: pd.Series, file: str, report: ValidationReport
) -> None:
    # Same order as the loader: by case and date, file order among ties.
    order = pd.DataFrame({"case_id": case_id, "event": event, "at": at}).sort_values(
        ["case_id", "at"], kind="stable"
    )
    step = order.groupby("case_id", sort=False).cumcount().to_numpy()
    expected = np.where(step % 2 == 0, "closed", "reopened")
    wrong = order["event"].to_numpy() != expected
    first = wrong & (pd.Series(wrong, index=order.index).groupby(order["case_id"]).cumsum().to_numpy() == 1)
    texts = np.where(
        expected == "closed",
        "'reopened' on "
        + _iso(order["at"])
        + " but the case is not closed then (events alternate closed, reopened, ...)",
        "'closed' on "
        + _iso(order["at"])
        + " but the case is already closed then (events alternate closed, reopened, ...)",
    )
    # Back to file order so the report reads top to bottom.
    mask = pd.Series(first, index=order.index).reindex(case_id.index)
    words = pd.Series(texts, index=order.index).reindex(case_id.index)
    report.add_rows("error", file, "event", "order", mask, event, words)


def _iso(dates: pd.Series) -> pd.Series:
    text: pd.Series = dates.dt.strftime("%Y-%m-%d").astype("string").fillna("")
    return text
