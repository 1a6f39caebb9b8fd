"""The live reopen scorer off its training range: monotone counts, clipped with a note, bounded input."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ews.data.folder import DataFolder
from ews.data.schema import CHANNELS, PERPETRATOR_RELATIONS, VICTIM_GROUPS, VIOLENCE_TYPES
from ews.features.cases import build_case_features, reopen_labels
from ews.features.cases_payload import CasePayload, RwContext
from ews.models.estimator import RiskClassifier
from ews.models.reopen import MONOTONE_FEATURES, reopen_params
from ews.models.reopen_scorer import ReopenScorer
from ews.months import parse_month as pm

AS_OF = pm("2025-03")
# Far beyond anything a synthetic RW or victim has (training maxima are single digits).
HUGE = 1_000_000
BASE: dict[str, Any] = {
    "reported_at": "2025-01-06",
    "channel": "siaga_112",
    "violence_type": "fisik",
    "victim_group": "perempuan_dewasa",
    "perpetrator_relation": "pasangan",
    "events": [{"event": "closed", "at": "2025-02-10"}],
}


@pytest.fixture(scope="module", params=["logit", "hgb"])
def scorer(request: pytest.FixtureRequest, small_folder: DataFolder) -> ReopenScorer:
    """The reopen task's own parameters (``reopen_params``, monotone included) on Jakarta Pusat."""
    months = list(range(pm("2021-01"), AS_OF))
    labels = reopen_labels(small_folder, months, known_at=AS_OF)
    features = build_case_features(small_folder, months).loc[labels.index]
    params = reopen_params(len(features), 0, {"kind": request.param})
    return ReopenScorer(RiskClassifier(**params).fit(features, labels.to_numpy()))


def _high(scorer: ReopenScorer, feature: str) -> float:
    return float(scorer.model.feature_range_[1][list(scorer.model.feature_names_in_).index(feature)])


def _with(payload: CasePayload, field: str, value: int) -> CasePayload:
    """``payload`` with one count changed, unvalidated: the scorer must stay sane past the API's bounds."""
    if field == "victim_earlier_cases":
        return payload.model_copy(update={field: value})
    context = payload.rw_context or RwContext(cases_90d=0, cases_365d=0, reopened_365d=0)
    return payload.model_copy(update={"rw_context": context.model_copy(update={field: value})})


payloads = st.fixed_dictionaries(
    {
        "channel": st.sampled_from(CHANNELS),
        "violence_type": st.sampled_from(VIOLENCE_TYPES),
        "victim_group": st.sampled_from(VICTIM_GROUPS),
        "perpetrator_relation": st.sampled_from(PERPETRATOR_RELATIONS),
        "victim_age": st.none() | st.integers(0, 90),
        "victim_earlier_cases": st.integers(0, 5),
        "victim_cases_since": st.integers(0, 3),
        "closed_day": st.integers(0, 50),
        "open_days": st.integers(0, 300),
        "rw_context": st.none()
        | st.fixed_dictionaries(
            {
                "cases_90d": st.integers(0, 8),
                "cases_365d": st.integers(0, 20),
                "reopened_365d": st.integers(0, 6),
            }
        ),
    }
)
counts = st.lists(st.integers(0, HUGE), min_size=2, max_size=6) | st.lists(st.integers(0, 30), min_size=2)


@given(
    raw=payloads, field=st.sampled_from(["victim_earlier_cases", "cases_90d", "cases_365d"]), values=counts
)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_more_earlier_or_rw_cases_never_lower_the_score(
    scorer: ReopenScorer, raw: dict[str, Any], field: str, values: list[int]
) -> None:
    closed = dt.date(2025, 2, 28) - dt.timedelta(days=raw.pop("closed_day"))
    reported = closed - dt.timedelta(days=raw.pop("open_days"))
    payload = CasePayload.model_validate(
        {**raw, "reported_at": reported, "events": [{"event": "closed", "at": closed}]}
    )
    ordered = sorted(values)
    scores = [scorer.score_parts(_with(payload, field, v), AS_OF).score for v in ordered]
    assert all(later >= earlier - 1e-12 for earlier, later in pairwise(scores)), (ordered, scores)


def test_monotone_features_are_the_victims_and_the_rws_case_counts() -> None:
    assert set(MONOTONE_FEATURES) == {"victim_earlier_cases", "rw_cases_90d", "rw_cases_365d"}
    assert reopen_params(10_000, 0)["monotone"] == MONOTONE_FEATURES


@pytest.mark.parametrize(
    ("field", "feature"),
    [
        ("victim_earlier_cases", "victim_earlier_cases"),
        ("cases_90d", "rw_cases_90d"),
        ("cases_365d", "rw_cases_365d"),
    ],
)
def test_a_count_past_the_training_range_is_scored_at_its_edge_with_a_note(
    scorer: ReopenScorer, field: str, feature: str
) -> None:
    payload = CasePayload.model_validate(
        BASE | {"rw_context": {"cases_90d": 1, "cases_365d": 2, "reopened_365d": 0}}
    )
    assert scorer.score(payload).clipped == []
    edge = int(_high(scorer, feature))
    at_edge, beyond = scorer.score(_with(payload, field, edge)), scorer.score(_with(payload, field, edge + 7))
    assert beyond.clipped == [feature]
    assert at_edge.clipped == []
    assert beyond.score == at_edge.score
    # The reason code still shows what was sent, not the edge it was scored at.
    shown = {f.feature: f.value for f in beyond.factors}
    assert shown.get(feature, edge + 7) == edge + 7


def test_the_api_parts_carry_the_same_note(scorer: ReopenScorer) -> None:
    payload = CasePayload.model_validate(BASE | {"victim_earlier_cases": 1000})
    assert scorer.score_parts(payload).clipped == ["victim_earlier_cases"]


def test_a_model_saved_before_the_training_range_scores_unclipped(scorer: ReopenScorer) -> None:
    model = scorer.model
    stored = model.__dict__.pop("feature_range_")
    try:
        old = ReopenScorer(model)
    finally:
        model.feature_range_ = stored
    payload = CasePayload.model_validate(BASE | {"victim_earlier_cases": 1000})
    assert old.score(payload).clipped == []


def _error(**changes: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        CasePayload.model_validate(BASE | changes)
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    return dict(errors[0])


@pytest.mark.parametrize(
    ("changes", "loc", "words"),
    [
        ({"victim_earlier_cases": 1001}, ("victim_earlier_cases",), "from 0 to 1000"),
        ({"victim_earlier_cases": 1e30}, ("victim_earlier_cases",), "from 0 to 1000"),
        ({"victim_cases_since": -1}, ("victim_cases_since",), "from 0 to 1000"),
        ({"victim_age": 121}, ("victim_age",), "from 0 to 120"),
        (
            {"rw_context": {"cases_90d": 100_001, "cases_365d": 5, "reopened_365d": 0}},
            ("rw_context", "cases_90d"),
            "from 0 to 100000",
        ),
        ({"reported_at": "1999-12-31"}, ("reported_at",), "from 2000-01-01 to"),
        ({"incident_date": "1899-12-31"}, ("incident_date",), "from 1900-01-01 to"),
        ({"events": [{"event": "closed", "at": "2100-01-01"}]}, ("events", 0, "at"), "from 2000-01-01 to"),
        ({"channel": "x" * 65}, ("channel",), "at most 64 characters"),
        ({"events": [{"event": "closed", "at": "2025-02-10"}] * 101}, ("events",), "at most 100 items"),
    ],
)
def test_out_of_range_fields_are_refused_naming_the_range(
    changes: dict[str, Any], loc: tuple[Any, ...], words: str
) -> None:
    error = _error(**changes)
    assert error["loc"] == loc
    assert words in error["msg"]


def test_the_latest_date_is_a_year_after_today() -> None:
    today = dt.date.today()
    later = today + dt.timedelta(days=370)
    error = _error(events=[{"event": "closed", "at": later.isoformat()}])
    assert str(today.year + 1) in error["msg"]


@pytest.mark.parametrize(
    ("events", "words"),
    [
        (
            [("closed", "2025-01-10"), ("closed", "2025-02-10")],
            "'closed' on 2025-02-10 but the case is already closed",
        ),
        (
            [("reopened", "2025-01-10"), ("closed", "2025-02-10")],
            "'reopened' on 2025-01-10 but the case is not closed",
        ),
        # Order is by date, not by position in the list.
        (
            [("closed", "2025-02-10"), ("reopened", "2025-01-20")],
            "'reopened' on 2025-01-20 but the case is not closed",
        ),
    ],
)
def test_events_that_do_not_alternate_are_refused(events: list[tuple[str, str]], words: str) -> None:
    error = _error(events=[{"event": e, "at": at} for e, at in events])
    assert error["loc"] == ("events",)
    assert words in error["msg"]


def test_alternating_events_in_any_list_order_are_accepted() -> None:
    events = [("closed", "2025-02-10"), ("closed", "2025-01-10"), ("reopened", "2025-01-20")]
    payload = CasePayload.model_validate(BASE | {"events": [{"event": e, "at": at} for e, at in events]})
    assert len(payload.events) == 3


def test_bounds_are_in_the_json_schema() -> None:
    schema = CasePayload.model_json_schema()
    assert (
        schema["properties"]["victim_earlier_cases"] | {"minimum": 0, "maximum": 1000}
        == schema["properties"]["victim_earlier_cases"]
    )
    rw = schema["$defs"]["RwContext"]["properties"]
    assert (rw["cases_365d"]["minimum"], rw["cases_365d"]["maximum"]) == (0, 100_000)
    assert schema["properties"]["events"]["maxItems"] == 100
    assert np.isclose(schema["properties"]["victim_age"]["anyOf"][0]["maximum"], 120)
