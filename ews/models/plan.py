"""How much history a training run spends on warm-up, label maturity and backtest folds.

A folder holds ``n`` months before the as-of month. With warm-up ``w``,
label maturity ``m``, the task's label span ``h`` (the months a label needs
after its as-of month: the horizon for RWs, four for 90-day reopen labels)
and at least :data:`MIN_TRAIN_MONTHS` months of matured labels for the
earliest fold to learn from, the backtest can hold

    n - w - m - 2h - MIN_TRAIN_MONTHS + 2

folds: the earliest fold needs ``w + h + MIN_TRAIN_MONTHS - 1`` months
before it, and the latest must leave ``h + m`` months after it for its own
labels to mature. A full folder keeps the defaults (12 months of warm-up,
6 folds and the task's maturity); a short one (contract section 1, "Real
folders": a new programme with 12 to 24 months of data) steps down a fixed
ladder of warm-up and maturity until at least :data:`MIN_FOLDS` folds fit,
and says so in one line. Below :data:`MIN_HISTORY` months, or when not even
one fold fits, training is refused with the months it needs.

Settings the user gave explicitly (``EWS_WARMUP_MONTHS``, ``--folds``) are
kept as given: a plan never overrides a choice, it only fails to fit it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ews.config import TrainSettings
from ews.exceptions import TimeRuleError
from ews.months import format_month

MIN_HISTORY = 12
MIN_TRAIN_MONTHS = 3
MIN_FOLDS = 2
# (warm-up, maturity cap) steps, richest first. Warm-up only fills the lag
# windows of the first rows, so it goes first; maturity next, since labels
# judged a little early mostly lower the observed rate, not the ranking.
LADDER = ((12, 99), (6, 3), (3, 2), (0, 1))


@dataclass(frozen=True)
class HistoryPlan:
    """Warm-up months, label maturity and backtest folds for one training run, and what was shrunk."""

    warmup: int
    maturity: int
    folds: int
    note: str = ""


def folds_possible(history: int, warmup: int, maturity: int, span: int) -> int:
    """Backtest folds that ``history`` months allow (module docstring)."""
    return history - warmup - maturity - 2 * span - MIN_TRAIN_MONTHS + 2


def plan_history(
    first_month: int, as_of: int, settings: TrainSettings, span: int, maturity: int, what: str
) -> HistoryPlan:
    """The plan for training ``what`` as of ``as_of`` on data from ``first_month`` (module docstring)."""
    history = as_of - first_month
    if history < MIN_HISTORY:
        raise TimeRuleError(
            f"the {what} model needs at least {MIN_HISTORY} months of signals and cases before the as-of "
            f"month; this folder holds {max(history, 0)} before {format_month(as_of)} (from "
            f"{format_month(first_month)}): train as of {format_month(first_month + MIN_HISTORY)} or later"
        )
    given = settings.model_fields_set
    for warmup, cap in _ladder(settings, given):
        steps = min(maturity, cap)
        room = folds_possible(history, warmup, steps, span)
        wanted = settings.backtest_folds
        if room >= wanted or (room >= MIN_FOLDS and "backtest_folds" not in given):
            folds = min(wanted, room)
            note = _note(settings, history, as_of, warmup, steps, maturity, folds)
            return HistoryPlan(warmup, steps, folds, note)
    return _last_resort(history, as_of, settings, span, maturity, what)


def _ladder(settings: TrainSettings, given: set[str]) -> list[tuple[int, int]]:
    if "warmup_months" in given:
        return [(settings.warmup_months, cap) for _, cap in LADDER]
    return [(min(w, settings.warmup_months), cap) for w, cap in LADDER]


def _last_resort(
    history: int, as_of: int, settings: TrainSettings, span: int, maturity: int, what: str
) -> HistoryPlan:
    """One fold on the smallest step, when the user left the folds to ews; else a refusal."""
    warmup, cap = _ladder(settings, settings.model_fields_set)[-1]
    steps = min(maturity, cap)
    room = folds_possible(history, warmup, steps, span)
    if room >= 1 and "backtest_folds" not in settings.model_fields_set:
        return HistoryPlan(warmup, steps, 1, _note(settings, history, as_of, warmup, steps, maturity, 1))
    folds = settings.backtest_folds if "backtest_folds" in settings.model_fields_set else 1
    needed = history - room + folds
    raise TimeRuleError(
        f"the {what} model cannot be backtested as of {format_month(as_of)}: the folder holds {history} "
        f"months before it and needs {needed} for warm-up {warmup}, label maturity {steps}, "
        f"{MIN_TRAIN_MONTHS} training months and the requested folds; choose a later as-of month or "
        f"fewer folds"
    )


def _note(
    settings: TrainSettings, history: int, as_of: int, warmup: int, maturity: int, default: int, folds: int
) -> str:
    """One line saying what was shrunk, or "" when the defaults fit."""
    parts = []
    if folds != settings.backtest_folds:
        plural = "s" if folds != 1 else ""
        parts.append(f"backtest on {folds} fold{plural} instead of {settings.backtest_folds}")
    if warmup != settings.warmup_months:
        parts.append(f"warm-up {warmup} months instead of {settings.warmup_months}")
    if maturity != default:
        parts.append(f"labels judged {maturity} months after their window instead of {default}")
    if not parts:
        return ""
    return f"{', '.join(parts)}: the folder holds {history} months before {format_month(as_of)}"
