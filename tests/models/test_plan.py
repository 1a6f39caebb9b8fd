"""Short folders: warm-up, label maturity and folds shrink to what the folder holds, said in one line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ews.config import TrainSettings
from ews.exceptions import TimeRuleError
from ews.models.plan import MIN_FOLDS, MIN_HISTORY, folds_possible, plan_history
from ews.months import parse_month

AS_OF = parse_month("2026-01")


def test_a_full_folder_keeps_the_defaults() -> None:
    plan = plan_history(AS_OF - 72, AS_OF, TrainSettings(), span=1, maturity=6, what="RW risk")
    assert (plan.warmup, plan.maturity, plan.folds, plan.note) == (12, 6, 6, "")


def test_sixteen_months_shrink_and_say_so_in_one_line() -> None:
    plan = plan_history(AS_OF - 16, AS_OF, TrainSettings(), span=1, maturity=6, what="RW risk")
    assert plan.folds >= MIN_FOLDS and plan.warmup < 12
    assert plan.note.startswith(f"backtest on {plan.folds} folds instead of 6")
    assert plan.note.endswith("the folder holds 16 months before 2026-01") and "\n" not in plan.note


def test_below_the_minimum_names_the_months_needed() -> None:
    with pytest.raises(TimeRuleError) as caught:
        plan_history(AS_OF - 11, AS_OF, TrainSettings(), span=1, maturity=6, what="RW risk")
    message = str(caught.value)
    assert "needs at least 12 months" in message and "holds 11 before 2026-01" in message
    assert "train as of 2026-02 or later" in message


def test_folds_the_user_asked_for_are_kept_or_refused_never_shrunk() -> None:
    settings = TrainSettings(backtest_folds=12)
    with pytest.raises(TimeRuleError, match="choose a later as-of month or fewer folds"):
        plan_history(AS_OF - 14, AS_OF, settings, span=1, maturity=6, what="RW risk")
    kept = plan_history(AS_OF - 14, AS_OF, TrainSettings(backtest_folds=6), span=1, maturity=6, what="x")
    assert kept.folds == 6 and kept.warmup < 12
    plan = plan_history(AS_OF - 30, AS_OF, TrainSettings(backtest_folds=3), span=1, maturity=6, what="x")
    assert plan.folds == 3


@given(history=st.integers(MIN_HISTORY, 90), span=st.integers(1, 4), maturity=st.integers(0, 6))
def test_every_plan_fits_inside_the_folder(history: int, span: int, maturity: int) -> None:
    """Any folder from 12 months up trains with default settings, and the plan never overdraws it."""
    plan = plan_history(AS_OF - history, AS_OF, TrainSettings(), span=span, maturity=maturity, what="x")
    assert 1 <= plan.folds <= 6 and plan.maturity <= maturity
    assert folds_possible(history, plan.warmup, plan.maturity, span) >= plan.folds
