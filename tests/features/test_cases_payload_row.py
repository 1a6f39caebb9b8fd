"""The live scorer's one-row path equals the batch functions it stands in for, exactly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ews.exceptions import TimeRuleError
from ews.features.cases_encode import CATEGORY_GROUPS, encode_case_features, encode_case_row
from ews.features.cases_payload import CasePayload, default_as_of, payload_inputs, payload_row
from ews.features.cases_spells import closing_spells, recent_pairs, recent_spell

START = dt.date(2022, 1, 1)


def _category(values: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from([*values, "kategori_baru", "Fisik"])


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    reported = START + dt.timedelta(days=draw(st.integers(0, 900)))
    gaps = draw(st.lists(st.integers(0, 200), min_size=1, max_size=7))
    days, day = [], reported
    for gap in gaps:
        day += dt.timedelta(days=gap)
        days.append(day)
    events = [
        {"event": "closed" if i % 2 == 0 else "reopened", "at": d.isoformat()} for i, d in enumerate(days)
    ]
    if draw(st.booleans()):
        events = draw(st.permutations(events))  # invalid orders are refused by the payload, skipped
    categories = {g: draw(_category(values)) for g, values in CATEGORY_GROUPS}
    categories["place"] = draw(st.one_of(st.none(), st.just(""), _category(dict(CATEGORY_GROUPS)["place"])))
    counts = st.integers(0, 50)
    payload: dict[str, Any] = {
        "reported_at": reported.isoformat(),
        "events": events,
        **categories,
        "victim_earlier_cases": draw(counts),
        "victim_cases_since": draw(counts),
    }
    if draw(st.booleans()):
        payload["incident_date"] = (reported - dt.timedelta(days=draw(st.integers(0, 4000)))).isoformat()
    if draw(st.booleans()):
        payload["victim_age"] = draw(st.integers(0, 120))
    if draw(st.booleans()):
        payload["rw_context"] = {
            "cases_90d": draw(counts),
            "cases_365d": draw(counts),
            "reopened_365d": draw(counts),
        }
    return payload


@settings(max_examples=400, deadline=None)
@given(payloads(), st.integers(-3, 8))
def test_payload_row_equals_the_batch_encoding(body: dict[str, Any], shift: int) -> None:
    try:
        payload = CasePayload.model_validate(body)
    except ValidationError:
        assume(False)
        raise
    month = default_as_of(payload) + shift
    try:
        expected = encode_case_features(payload_inputs(payload, month))
    except TimeRuleError as exc:
        with pytest.raises(TimeRuleError) as raised:
            payload_row(payload, month)
        assert str(raised.value) == str(exc)
        return
    got = payload_row(payload, month)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)  # NaN where NaN, every other number bit for bit


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 400)), max_size=8),
    st.integers(-50, 50),
    st.integers(0, 700),
)
def test_recent_spell_equals_closing_spells_then_recent_pairs(
    events: list[tuple[bool, int]], reported: int, as_of: int
) -> None:
    """Any event list (not only alternating ones), ties included."""
    closed = [c for c, _ in events]
    days = [d for _, d in events]
    spells = closing_spells(
        np.zeros(len(events), dtype=np.int64),
        np.array(closed, dtype=bool),
        np.array(days, dtype=np.int64),
        np.array([reported], dtype=np.int64),
    )
    index, _ = recent_pairs(spells, np.array([as_of], dtype=np.int64))
    got = recent_spell(closed, days, reported, as_of)
    if len(index) != 1:
        assert got is None
        return
    row = int(index[0])
    assert got is not None
    assert (got.closed_day, got.reopened_before, got.open_days) == (
        int(spells.closed_day[row]),
        int(spells.reopened_before[row]),
        int(spells.open_days[row]),
    )


def test_encode_case_row_sets_other_for_a_new_category_and_nothing_for_empty() -> None:
    raw = dict.fromkeys(
        (
            "as_of_day",
            "closed_day",
            "reported_day",
            "incident_day",
            "open_days",
            "reopened_before",
            "victim_age",
            "victim_earlier_cases",
            "victim_cases_since",
            "rw_cases_90d",
            "rw_cases_365d",
            "rw_reopened_365d",
        ),
        np.nan,
    )
    values: dict[str, object] = {g: "baru" for g, _ in CATEGORY_GROUPS}
    values["place"], values["channel"] = "", None
    arrays = {k: np.array([v]) for k, v in raw.items()} | {
        g: np.array([v], dtype=object) for g, v in values.items()
    }
    np.testing.assert_array_equal(encode_case_row(raw, values), encode_case_features(arrays))
