"""Distillation from privileged label-month columns: teacher, student, margins, reason codes, refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr
from sklearn.ensemble import HistGradientBoostingClassifier

from ews.exceptions import FeatureMismatchError, ModelError
from ews.models import distill as d
from ews.models.distill import Teacher
from ews.models.estimator import RiskClassifier
from ews.models.explain import contributions

SMALL = {"kind": "hgb", "max_iter": 60, "min_samples_leaf": 50, "max_leaf_nodes": 7}


def noisy_world(
    n_units: int = 300, n_months: int = 30, seed: int = 0
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, np.ndarray]:
    """An event with a known chance each month; half the events are reported (the label).

    The privileged column is a noisy trace of the month's event, reported or
    not, so it tells the teacher which labels are reporting luck.
    """
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [np.arange(100, 100 + n_months), [f"u{i:03d}" for i in range(n_units)]], names=["as_of", "key"]
    )
    a, b = rng.normal(size=len(index)), rng.normal(size=len(index))
    chance = 1 / (1 + np.exp(-(-2.0 + 1.0 * a + 0.6 * b)))
    event = rng.random(len(index)) < chance
    label = (event & (rng.random(len(index)) < 0.5)).astype(np.int64)
    trace = event + rng.normal(0.0, 0.3, len(index))
    X = pd.DataFrame({"a": a, "b": b, "noise": rng.normal(size=len(index))}, index=index)
    privileged = pd.DataFrame({"label_window_trace": trace}, index=index)
    return X, pd.Series(label, index=index), privileged, chance


def taught(X: pd.DataFrame, y: pd.Series, privileged: pd.DataFrame, share: float = 0.35) -> pd.Series:
    teacher = Teacher(max_iter=60, min_samples_leaf=50, negative_share=share)
    both = pd.concat([X, privileged], axis=1)
    return teacher.fit(both, y).soft_targets(both)


def test_teacher_soft_targets_undo_the_negative_sample_and_follow_the_trace() -> None:
    X, y, privileged, _ = noisy_world()
    targets = taught(X, y, privileged, share=0.3)
    assert targets.index.equals(X.index)
    assert ((targets > 0) & (targets < 1)).all()
    # Fitted on 30% of the negatives, the raw teacher would average about twice the rate.
    assert abs(targets.mean() / y.mean() - 1) < 0.1
    # The trace separates events from non-events: the soft targets follow it.
    event_like = privileged["label_window_trace"].to_numpy() > 0.5
    assert targets[event_like].mean() > 5 * targets[~event_like].mean()


def test_binned_margin_equals_decision_function() -> None:
    X, y, privileged, _ = noisy_world(n_units=100, n_months=12)
    both = pd.concat([X, privileged], axis=1).to_numpy(dtype=float)
    both[::7, 2] = np.nan  # missing values take their own bin
    model = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(both, y)
    assert np.array_equal(d.binned_margin(model, both), model.decision_function(both))


def test_distilled_model_ranks_the_true_chance_better_than_the_labels_alone() -> None:
    X, y, privileged, _ = noisy_world(seed=1)
    new_X, _, _, chance = noisy_world(n_months=4, seed=2)
    plain = RiskClassifier(**SMALL).fit(X, y)
    student = RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=taught(X, y, privileged))
    assert student.distilled_ and not plain.distilled_
    rho_plain = spearmanr(plain.predict_proba(new_X)[:, 1], chance).statistic
    rho_student = spearmanr(student.predict_proba(new_X)[:, 1], chance).statistic
    assert rho_student > rho_plain + 0.01


def test_distilled_scores_are_calibrated_probabilities_of_the_label() -> None:
    X, y, privileged, _ = noisy_world(seed=3)
    later_X, later_y, _, _ = noisy_world(n_months=6, seed=4)
    model = RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=taught(X, y, privileged))
    proba = model.predict_proba(later_X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert abs(proba[:, 1].mean() / later_y.mean() - 1) < 0.15


def test_distilled_reason_codes_add_up_to_the_margin() -> None:
    X, y, privileged, _ = noisy_world(n_units=120, n_months=20, seed=5)
    model = RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=taught(X, y, privileged))
    rows = X.iloc[:300]
    values, base = contributions(model, rows)
    assert np.allclose(base + values.sum(axis=1).to_numpy(), model.raw_margin(rows), atol=1e-9)
    # The scorer never needs the privileged column.
    assert list(model.feature_names_in_) == ["a", "b", "noise"]


def test_distill_without_soft_targets_or_with_bad_ones_is_refused() -> None:
    X, y, privileged, _ = noisy_world(n_units=50, n_months=10)
    soft = taught(X, y, privileged)
    with pytest.raises(ModelError, match="needs a teacher's soft targets"):
        RiskClassifier(**SMALL, distill=True).fit(X, y)
    with pytest.raises(ModelError, match="indexed differently from the feature rows"):
        RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=soft.iloc[::-1])
    with pytest.raises(ModelError, match=r"must be 500 probabilities in \[0, 1\].*shape \(499,\)"):
        RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=soft.to_numpy()[1:])
    with pytest.raises(ModelError, match="probabilities in"):
        RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=soft.to_numpy() * 3)


def test_teacher_refuses_other_columns_and_one_class() -> None:
    X, y, privileged, _ = noisy_world(n_units=50, n_months=10)
    teacher = Teacher(max_iter=10, min_samples_leaf=20).fit(pd.concat([X, privileged], axis=1), y)
    with pytest.raises(FeatureMismatchError, match="columns differ"):
        teacher.soft_targets(X)
    with pytest.raises(ModelError, match="only one class"):
        Teacher().fit(X, y * 0)


def test_logit_ignores_distill_and_soft_targets_change_the_model_id() -> None:
    X, y, privileged, _ = noisy_world(n_units=50, n_months=10)
    soft = taught(X, y, privileged)
    logit = RiskClassifier(kind="logit", distill=True).fit(X, y, soft_targets=soft)
    assert not logit.distilled_
    first = RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=soft)
    other = RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=soft / 2)
    again = RiskClassifier(**SMALL, distill=True).fit(X, y, soft_targets=soft)
    assert first.model_id_ == again.model_id_ != other.model_id_
    assert np.array_equal(first.predict_proba(X), again.predict_proba(X))


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-0.2, 0.2), min_size=4, max_size=4),
    base=st.floats(1e-5, 0.5),
)
def test_log_space_contributions_add_up_exactly_and_keep_their_signs(
    values: list[float], base: float
) -> None:
    row = np.asarray([values])
    output = base + row.sum(axis=1)
    scaled, log_base = d.log_space(row, base, output)
    assert np.allclose(log_base + scaled.sum(axis=1), d.margin(output), atol=1e-9)
    assert np.isfinite(scaled).all()
    # Signs stay (or drop to zero where the floor flattens the margin).
    assert (np.sign(scaled) * np.sign(row) >= 0).all()


def test_teacher_skips_a_signal_with_no_value_in_its_rows() -> None:
    X, y, privileged, _ = noisy_world(n_units=50, n_months=10)
    both = pd.concat([X, privileged.assign(label_window_new_source=np.nan)], axis=1)
    teacher = Teacher(max_iter=10, min_samples_leaf=20).fit(both, y)
    assert list(teacher.used_) == [0, 1, 2, 3]
    later = both.assign(label_window_new_source=1.0)  # the new source now reports: still scored
    assert np.allclose(teacher.soft_targets(later), teacher.soft_targets(both))
