"""One-case payload scoring: the same features, score, tier and reason codes as batch scoring."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from ews.config import TrainSettings
from ews.data.folder import DataFolder
from ews.data.load import read_folder
from ews.exceptions import FeatureMismatchError, TimeRuleError
from ews.features.cases import build_case_features, reopen_labels
from ews.features.cases_encode import CASE_FEATURES
from ews.features.cases_payload import CaseEventIn, CasePayload, RwContext
from ews.models.estimator import RiskClassifier
from ews.models.explain import contributions
from ews.models.reopen_score import score_cases
from ews.models.reopen_scorer import ReopenScorer, clip_to_training, training_bounds
from ews.months import month_start
from ews.months import parse_month as pm

AS_OF = pm("2025-03")


@pytest.fixture(scope="module")
def small(small_world: Path) -> DataFolder:
    return read_folder(small_world)


def _fit(folder: DataFolder, **params: object) -> RiskClassifier:
    months = list(range(pm("2021-01"), AS_OF))
    labels = reopen_labels(folder, months, known_at=AS_OF)
    features = build_case_features(folder, months).loc[labels.index]
    return RiskClassifier(random_state=0, **params).fit(features, labels.to_numpy())  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=[{"kind": "hgb"}, {"kind": "logit", "calibration": "isotonic"}])
def model(request: pytest.FixtureRequest, small: DataFolder) -> RiskClassifier:
    return _fit(small, **request.param)


def _count(mask: pd.Series) -> int:
    return int(mask.sum())


def payload_for(folder: DataFolder, case_id: str, as_of: int) -> CasePayload:
    """The payload a case system would send, with counts looked up independently of ews.features."""
    cases, events, start = folder.cases, folder.case_events, month_start(as_of)
    case = cases[cases["case_id"] == case_id].iloc[0]
    own = events[(events["case_id"] == case_id) & (events["at"] < start)]
    others = cases[(cases["victim_key"] == case["victim_key"]) & (cases["case_id"] != case_id)]
    in_rw = cases[cases["rw_code"] == case["rw_code"]]
    rw_events = events[events["case_id"].isin(in_rw["case_id"]) & (events["event"] == "reopened")]
    day = pd.Timedelta(days=1)
    return CasePayload(
        case_id=case_id,
        rw_code=case["rw_code"],
        reported_at=case["reported_at"].date(),
        incident_date=None if pd.isna(case["incident_date"]) else case["incident_date"].date(),
        channel=case["channel"],
        violence_type=case["violence_type"],
        victim_group=case["victim_group"],
        victim_age=None if np.isnan(case["victim_age"]) else int(case["victim_age"]),
        perpetrator_relation=case["perpetrator_relation"],
        place=None if pd.isna(case["place"]) else case["place"],
        events=[CaseEventIn(event=e, at=a.date()) for e, a in zip(own["event"], own["at"], strict=True)],
        victim_earlier_cases=_count(others["reported_at"] < case["reported_at"]),
        victim_cases_since=_count(
            (others["reported_at"] >= case["reported_at"]) & (others["reported_at"] < start)
        ),
        rw_context=RwContext(
            cases_90d=_count(in_rw["reported_at"].between(start - 90 * day, start, inclusive="left")),
            cases_365d=_count(in_rw["reported_at"].between(start - 365 * day, start, inclusive="left")),
            reopened_365d=_count(rw_events["at"].between(start - 365 * day, start, inclusive="left")),
        ),
    )


def test_payload_features_equal_batch_features(small: DataFolder) -> None:
    batch = build_case_features(small, [AS_OF]).xs(AS_OF, level="as_of")
    scorer = ReopenScorer(_fit(small, kind="logit"))
    for case_id, row in batch.iterrows():
        np.testing.assert_array_equal(scorer.features(payload_for(small, str(case_id), AS_OF), AS_OF)[0], row)


def test_payload_scores_equal_batch_scores(small: DataFolder, model: RiskClassifier) -> None:
    table = score_cases(small, AS_OF, model, TrainSettings()).set_index("case_id")
    assert len(table) > 20
    scorer = ReopenScorer(model)
    for case_id, row in table.iterrows():
        live = scorer.score(payload_for(small, str(case_id), AS_OF), AS_OF)
        assert live.score == pytest.approx(row["score"], abs=1e-9)
        assert live.tier == row["tier"]
        batch_factors = json.loads(row["top_factors"])
        assert [f.feature for f in live.factors] == [f["feature"] for f in batch_factors]
        assert [f.text for f in live.factors] == [f["text"] for f in batch_factors]
        assert [f.contribution for f in live.factors] == pytest.approx(
            [f["contribution"] for f in batch_factors]
        )
        # The API's plain values are the same score, field for field.
        parts = scorer.score_parts(payload_for(small, str(case_id), AS_OF), AS_OF)
        assert (parts.as_of, parts.score, parts.tier, parts.flagged) == (
            live.as_of,
            live.score,
            live.tier,
            live.flagged,
        )
        assert parts.factors == [f.model_dump() for f in live.factors]


def _batch_rows(folder: DataFolder, model: RiskClassifier) -> pd.DataFrame:
    """The cases' batch feature rows as of ``AS_OF``, clipped to the training range as batch scoring does."""
    rows = build_case_features(folder, [AS_OF]).xs(AS_OF, level="as_of")
    clipped, _ = clip_to_training(rows.to_numpy(dtype=np.float64), *training_bounds(model))
    return pd.DataFrame(clipped, index=rows.index, columns=rows.columns)


@pytest.mark.parametrize("params", [{"kind": "hgb"}, {"kind": "logit", "calibration": "isotonic"}])
def test_label_completeness_scores_the_same_live_as_in_batch(
    small: DataFolder, params: dict[str, object]
) -> None:
    """The live map is the estimator's, ``label_completeness`` correction included."""
    model = _fit(small, label_completeness=0.8, **params)
    complete = copy.deepcopy(model).set_params(label_completeness=1.0)
    rows = _batch_rows(small, model)
    batch = model.predict_proba(rows)[:, 1]
    scorer, uncorrected = ReopenScorer(model), ReopenScorer(complete)
    shortfall = []
    for case_id, expected in zip(rows.index, batch, strict=True):
        payload = payload_for(small, str(case_id), AS_OF)
        assert scorer.score(payload, AS_OF).score == pytest.approx(expected, abs=1e-12)
        shortfall.append(expected - uncorrected.score(payload, AS_OF).score)
    # Without the correction (what the live scorer once computed) the scores would be lower.
    assert min(shortfall) >= 0.0 and max(shortfall) > 1e-3


def test_distilled_live_contributions_add_up_to_the_margin(small: DataFolder) -> None:
    """A distilled student's live reason codes are in its log-space margin, as in batch."""
    months = list(range(pm("2021-01"), AS_OF))
    labels = reopen_labels(small, months, known_at=AS_OF)
    features = build_case_features(small, months).loc[labels.index]
    teacher = RiskClassifier(kind="logit").fit(features, labels.to_numpy())
    soft = teacher.predict_proba(features)[:, 1]
    student = RiskClassifier(kind="hgb", distill=True, max_iter=40, random_state=0).fit(
        features, labels.to_numpy(), soft_targets=soft
    )
    assert student.distilled_
    scorer = ReopenScorer(student)
    rows = _batch_rows(small, student)
    margins, batch = student.raw_margin(rows), student.predict_proba(rows)[:, 1]
    batch_contrib, batch_base = contributions(student, rows)
    for i, case_id in enumerate(rows.index):
        payload = payload_for(small, str(case_id), AS_OF)
        live, base = scorer.explainer.explain(student.model_rows(rows.to_numpy()[[i]]))
        assert base + live.sum() == pytest.approx(margins[i], abs=1e-9)
        assert base == batch_base
        np.testing.assert_allclose(live[0], batch_contrib.to_numpy()[i], atol=1e-12)
        assert scorer.score(payload, AS_OF).score == pytest.approx(batch[i], abs=1e-12)


def test_batch_table_has_the_contract_columns_and_flags_the_capacity_share(
    small: DataFolder, model: RiskClassifier
) -> None:
    table = score_cases(small, AS_OF, model, TrainSettings(reopen_capacity_share=0.2))
    # The contract's `ews score-cases` columns, in order (section 3).
    assert list(table.columns) == [
        "case_id", "rw_code", "as_of", "closed_at", "score", "tier", "rank", "flagged", "top_factors",
    ]  # fmt: skip
    assert table["flagged"].sum() == int(np.ceil(0.2 * len(table)))
    assert table.loc[table["flagged"], "score"].min() >= table.loc[~table["flagged"], "score"].max()
    assert list(table["rank"]) == list(range(1, len(table) + 1))


def test_reason_texts_never_name_the_case_or_victim(small: DataFolder, model: RiskClassifier) -> None:
    table = score_cases(small, AS_OF, model, TrainSettings())
    keys = set(small.cases["victim_key"].dropna()) | set(small.cases["case_id"])
    for factors in table["top_factors"]:
        for factor in json.loads(factors):
            assert factor["text"] and factor["text_en"]
            assert not any(key in factor["text"] or key in factor["text_en"] for key in keys)


def _one_case(**changes: object) -> CasePayload:
    base: dict[str, object] = {
        "reported_at": "2025-01-06",
        "channel": "siaga_112",
        "violence_type": "fisik",
        "victim_group": "perempuan_dewasa",
        "perpetrator_relation": "pasangan",
        "events": [{"event": "closed", "at": "2025-02-10"}],
    }
    return CasePayload.model_validate(base | changes)


def test_default_as_of_is_the_month_after_the_last_event(small: DataFolder) -> None:
    scorer = ReopenScorer(_fit(small, kind="logit"))
    result = scorer.score(_one_case())
    assert result.as_of == "2025-03"
    assert 0.0 <= result.score <= 1.0
    assert len(result.factors) == 5


def test_unknown_categories_and_missing_rw_context_still_score(small: DataFolder) -> None:
    scorer = ReopenScorer(_fit(small, kind="hgb"))
    result = scorer.score(_one_case(channel="aplikasi_baru", place=""))
    assert 0.0 <= result.score <= 1.0


def test_a_left_out_column_is_held_at_zero_live(model: RiskClassifier) -> None:
    """An unknown channel sets ``channel__other``, which no training case had: no reason code, no effect."""
    scorer = ReopenScorer(model)
    payload = _one_case(channel="aplikasi_baru")
    x = scorer.features(payload)
    column = CASE_FEATURES.index("channel__other")
    assert x[0, column] == 1.0 and "channel__other" in model.left_out_
    live, _ = scorer.explainer.explain(model.model_rows(x))
    assert live[0, column] == 0.0
    clipped, _ = clip_to_training(x, *training_bounds(model))
    batch = model.predict_proba(pd.DataFrame(clipped, columns=list(CASE_FEATURES)))[0, 1]
    assert scorer.score(payload).score == pytest.approx(batch, abs=1e-12)


def test_a_case_that_is_open_again_is_refused(small: DataFolder) -> None:
    scorer = ReopenScorer(_fit(small, kind="logit"))
    payload = _one_case(
        events=[{"event": "closed", "at": "2025-01-10"}, {"event": "reopened", "at": "2025-02-01"}]
    )
    with pytest.raises(TimeRuleError, match="not recently closed"):
        scorer.score(payload, pm("2025-03"))


def test_incident_after_report_is_rejected() -> None:
    with pytest.raises(ValidationError, match="incident_date"):
        _one_case(incident_date="2025-01-07")


def test_a_model_with_other_features_is_refused() -> None:
    other = RiskClassifier(kind="logit").fit(
        pd.DataFrame({"a": [0.0, 1.0, 0.0, 1.0]}), np.array([0, 1, 0, 1])
    )
    with pytest.raises(FeatureMismatchError):
        ReopenScorer(other)
