"""Realised performance of published flags, once their labels have matured.

Pure: published ``rw_scores`` (``as_of``, ``rw_code``, ``score``, ``flagged``),
the folder's cases and the backtest's expectation in; one
:class:`RealisedMonth` per matured month out.

A month M's label is the contract's (a case whose incident month, or report
month where the incident date is empty, falls in [M, M + horizon)), counted
from cases reported before the as-of month. M has matured when
``M + horizon + label_maturity <= as_of`` (the same 6-month allowance for
late reports the backtest uses), so "observed" is near-final.

Expected range of the precision: the backtest's mean precision of the flag
list ``p`` (over folds), +- 2 x sqrt(fold variance + p(1 - p) / flagged):
the spread between folds plus the binomial noise of this month's list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ews.monitor.result import RealisedMonth
from ews.monitor.settings import MonitorSettings
from ews.months import format_month, months_of_dates, parse_month


@dataclass(frozen=True)
class Expectation:
    """What the backtest of the published model led to expect of its flag list."""

    precision_mean: float
    precision_sd: float
    source: str = ""

    def range(self, n_flagged: int) -> tuple[float, float]:
        """Expected (low, high) precision for a list of ``n_flagged`` RWs."""
        p = self.precision_mean
        spread = 2.0 * math.sqrt(self.precision_sd**2 + p * (1.0 - p) / max(n_flagged, 1))
        return max(0.0, p - spread), min(1.0, p + spread)


def expectation_from_folds(folds: pd.DataFrame, source: str = "") -> Expectation | None:
    """From a backtest's per-fold table (``scorer``, ``precision_flagged``): the model's rows."""
    if not {"scorer", "precision_flagged"} <= set(folds.columns):
        return None
    values = folds.loc[folds["scorer"] == "model", "precision_flagged"].dropna().to_numpy(np.float64)
    if not len(values):
        return None
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return Expectation(float(values.mean()), sd, source)


def case_months(cases: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """``rw_code`` and label ``month`` of every case reported before ``as_of``."""
    months_reported = months_of_dates(cases["reported_at"])
    known = cases[months_reported < as_of]
    incident = months_of_dates(known["incident_date"])
    month = np.where(incident >= 0, incident, months_of_dates(known["reported_at"]))
    return pd.DataFrame({"rw_code": known["rw_code"].astype(str).to_numpy(), "month": month})


def realised(
    rw_scores: pd.DataFrame,
    cases: pd.DataFrame,
    as_of: int,
    expectation: Expectation | None,
    settings: MonitorSettings,
) -> list[RealisedMonth]:
    """Each published month whose labels matured by ``as_of``, oldest first."""
    last = as_of - settings.horizon - settings.label_maturity
    months = sorted(m for m in rw_scores["as_of"].astype(str).unique() if parse_month(m) <= last)
    known = case_months(cases, as_of)
    return [_month(rw_scores[rw_scores["as_of"] == m], known, m, expectation, settings) for m in months]


def _month(
    scores: pd.DataFrame,
    known: pd.DataFrame,
    month: str,
    expectation: Expectation | None,
    settings: MonitorSettings,
) -> RealisedMonth:
    start = parse_month(month)
    hit = set(known.loc[known["month"].between(start, start + settings.horizon - 1), "rw_code"])
    label = scores["rw_code"].astype(str).isin(hit).to_numpy()
    flagged = scores["flagged"].astype(bool).to_numpy()
    score = scores["score"].to_numpy(np.float64)
    n_flagged = int(flagged.sum())
    precision = float(label[flagged].mean()) if n_flagged else None
    low, high = expectation.range(n_flagged) if expectation else (None, None)
    observed, predicted = float(label.mean()), float(score.mean())
    spread = math.sqrt(float(np.sum(score * (1.0 - score)))) or 1.0
    z = (float(label.sum()) - float(score.sum())) / spread
    return RealisedMonth(
        month=format_month(start),
        precision=None if precision is None else round(precision, 4),
        expected_low=None if low is None else round(low, 4),
        expected_high=None if high is None else round(high, 4),
        calibration=round(predicted / observed, 4) if observed > 0 else None,
        n_flagged=n_flagged,
        observed_rate=round(observed, 5),
        mean_predicted=round(predicted, 5),
        outside=precision is not None
        and low is not None
        and high is not None
        and not low <= precision <= high,
        calibration_outside=abs(z) >= settings.calibration_z,
    )
