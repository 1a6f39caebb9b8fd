"""What lurah and camat see of an RW: the tier and the flag, and little that says more about cases.

A "<3" hides whether an RW had a case, but what surrounds it can give it
back: a continuous score or province rank moves when a case arrives, a case
factor's sign says "there was one", a month-to-month score jump dates it,
and a 12-month count above the threshold makes a recent case likely. So
officials get the *official view* (``view: "official"``), analysts the full
one:

* no score, no province rank, no contribution sizes: the tier says how high
  the risk is compared with other RWs, the flag whether to check;
* reasons only for flagged RWs (the ones to check): the signal and area
  factors that raised the score, and the RW's and its neighbourhood's case
  history as one fixed line without a direction, present on every flagged
  RW whether or not cases moved its score;
* the trend as the tier and flag of each *published* month (no backfilled
  scores), and only for flagged RWs;
* no 12-month or open count; the 3-month count keeps "<3" below the threshold.

Whatever is left beyond tier and flag concerns flagged RWs only, a few per
cent of all RWs, which bounds what an attacker can learn about the rest.
``tests/security/test_masked_attack.py`` measures it: a gradient-boosting
attacker over every official-visible field against one over tier and flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from ews.features.names import REGION_PREFIX, SIGNAL_PREFIX, static_columns
from ews.service.rw_schemas import CaseCounts, RwDetail, TrendPoint
from ews.service.schemas import FactorOut

CASE_HISTORY_FEATURE: Final = "riwayat_kasus"
CASE_HISTORY_TEXT: Final = (
    "Riwayat kasus di RW ini dan sekitarnya ikut dihitung; rinciannya tidak ditampilkan "
    "untuk menjaga kerahasiaan korban.",
    "The case history of this RW and its neighbourhood counts too; its details are withheld to "
    "protect victims.",
)
# Non-case features that are not signals: population, density, the calendar.
_AREA_FEATURES: Final = frozenset(static_columns(()))
MAX_SIGNAL_REASONS: Final = 3


def is_context(feature: str) -> bool:
    """Whether ``feature`` is a signal or area attribute (not derived from case records)."""
    return feature.startswith((SIGNAL_PREFIX, REGION_PREFIX)) or feature in _AREA_FEATURES


def case_history_factor() -> FactorOut:
    """The one fixed line that stands for every case-derived factor."""
    text, text_en = CASE_HISTORY_TEXT
    return FactorOut(
        feature=CASE_HISTORY_FEATURE,
        value=None,
        value_text="-",
        contribution=None,
        text=text,
        text_en=text_en,
    )


def official_factors(factors: Sequence[FactorOut], flagged: bool) -> list[FactorOut]:
    """Up to three signal or area factors that raised the score, then the case-history line;
    nothing for an unflagged RW."""
    if not flagged:
        return []
    raising = [f for f in factors if is_context(f.feature) and (f.contribution or 0.0) > 0.0]
    shown = [f.model_copy(update={"contribution": None}) for f in raising[:MAX_SIGNAL_REASONS]]
    return [*shown, case_history_factor()]


def official_reason(factors: Sequence[dict[str, Any]]) -> str:
    """The flag list's main reason for officials: the first raising signal factor, else the case line."""
    for factor in factors:
        contribution = factor.get("contribution")
        raising = isinstance(contribution, int | float) and contribution > 0
        if raising and is_context(str(factor.get("feature", ""))):
            return str(factor.get("text", ""))
    return CASE_HISTORY_TEXT[0]


def official_trend(history: Sequence[Any], flagged: bool) -> list[TrendPoint]:
    """Tier of each published month (oldest first), for flagged RWs only."""
    if not flagged:
        return []
    return [TrendPoint(month=row.month, score=None, source="published", tier=row.tier) for row in history]


def official_counts(counts: CaseCounts) -> CaseCounts:
    """The 3-month count as already suppressed; the 12-month and open counts withheld."""
    return counts.model_copy(update={"last_12_months": None, "open": None})


def official_detail(detail: RwDetail, history: Sequence[Any]) -> RwDetail:
    """``detail`` (built with officials' small-count suppression) coarsened to the official view."""
    return detail.model_copy(
        update={
            "view": "official",
            "score": None,
            "rank": None,
            "factors": official_factors(detail.factors, detail.flagged),
            "trend": official_trend(history, detail.flagged),
            "cases": official_counts(detail.cases),
        }
    )
