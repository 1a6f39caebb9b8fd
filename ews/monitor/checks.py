"""Checks: what officials found when they checked RWs, by tier, and how fast they checked flags.

Pure: ``reviews`` (``rw_code``, ``as_of``, ``outcome``, ``visit_date``), the
published ``rw_scores`` (``as_of``, ``rw_code``, ``tier``, ``flagged``) and
``publications`` (``as_of``, ``published_at``) in, a :class:`ChecksPart` out.

Selective labels: only RWs someone chose to check have an outcome, and
officials check flagged and high-tier RWs first, so every share here is
"among checked RWs" and never a rate of the tier (``docs/monitoring.md``).
Only checks with a visit before the as-of month count, for publications of
the ``lookback`` months before it. An RW-month checked more than once counts
with its latest outcome.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ews.monitor.result import ChecksPart, TierOutcomes
from ews.monitor.settings import MonitorSettings
from ews.months import format_month, month_start

TIERS = ("sangat_tinggi", "tinggi", "sedang", "rendah")
CONCERN = frozenset({"ada_indikasi", "dirujuk_uptd_ppa"})
NOT_CHECKABLE = "tidak_dapat_dicek"


def check_outcomes(
    reviews: pd.DataFrame,
    rw_scores: pd.DataFrame,
    publications: pd.DataFrame,
    as_of: int,
    settings: MonitorSettings,
) -> ChecksPart:
    """Outcomes by tier among checked RWs, the share of flags checked and the days to a check."""
    first, last = format_month(as_of - settings.lookback), format_month(as_of - 1)
    months = publications["as_of"].astype(str)
    published = publications[(months >= first) & (months <= last)]
    if not len(published):
        return ChecksPart(available=False, reason=f"no month was published from {first} to {last}")
    scores = rw_scores[rw_scores["as_of"].astype(str).isin(published["as_of"].astype(str))]
    visits = pd.to_datetime(reviews["visit_date"])
    known = reviews[(visits < month_start(as_of)).to_numpy()].assign(visit_date=visits)
    latest = known.sort_values("visit_date", kind="stable").drop_duplicates(["rw_code", "as_of"], keep="last")
    keys = ["as_of", "rw_code"]
    joined = latest.merge(scores[[*keys, "tier", "flagged"]], on=keys, how="inner")
    flags = scores[scores["flagged"].astype(bool)]
    days = _days_to_check(known, flags, published)
    return ChecksPart(
        available=True,
        by_tier=[_tier(joined, tier) for tier in TIERS],
        flags=len(flags),
        flags_checked=len(days),
        flags_checked_share=round(len(days) / len(flags), 4) if len(flags) else None,
        days_to_check_median=float(np.median(days)) if len(days) else None,
        days_to_check_p90=float(np.quantile(days, 0.9)) if len(days) else None,
    )


def _tier(joined: pd.DataFrame, tier: str) -> TierOutcomes:
    rows = joined[joined["tier"] == tier]
    checkable = rows[rows["outcome"] != NOT_CHECKABLE]
    concern = int(checkable["outcome"].isin(CONCERN).sum())
    return TierOutcomes(
        tier=tier,
        checked=len(checkable),
        concern=concern,
        concern_share=round(concern / len(checkable), 4) if len(checkable) else None,
        not_checkable=len(rows) - len(checkable),
    )


def _days_to_check(known: pd.DataFrame, flags: pd.DataFrame, published: pd.DataFrame) -> pd.Series:
    """Days from the publication of each checked flag to its first visit."""
    keys = ["as_of", "rw_code"]
    first_visit = known.groupby(keys, as_index=False)["visit_date"].min()
    checked = flags[keys].merge(first_visit, on=keys, how="inner")
    at = published.assign(published_at=pd.to_datetime(published["published_at"], utc=True))
    checked = checked.merge(at[["as_of", "published_at"]], on="as_of", how="left")
    day = checked["published_at"].dt.tz_convert(None).dt.normalize()
    days: pd.Series = (checked["visit_date"] - day).dt.days.clip(lower=0).astype("float64")
    return days
