"""Live scoring of one case payload for the API, with reason codes, in about a millisecond.

:class:`ReopenScorer` is an adapter over the batch code: built once from a
trained reopen model, it keeps the model's :class:`~ews.models.explain.Explainer`,
calibration map (``RiskClassifier.calibration_map``) and tier bounds
(``ews.models.tiers.tier_bounds``, cut as ``tier_of`` cuts them), so a call does
no model loading, no pandas and no sklearn input checks, and computes what batch
scoring computes. The margin
is the explainer's base value plus the contributions (exact for both kinds),
so the model is evaluated once per call. Features come from
:func:`ews.features.cases_payload.payload_row`, the one-row form of
``encode_case_features(payload_inputs(...))`` (the batch functions, tested
equal); tests check payload and batch agree.

Before scoring, each feature is clipped to the model's training range
(``feature_range_``, bounds precomputed by :func:`training_bounds`): beyond it a
model only extrapolates, and a logit's extrapolation can be absurd. The
response names the clipped features (``clipped``); reason codes keep the
value sent. Batch scoring clips the same way (``ews.models.reopen_score``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from ews.data.schema import TIERS
from ews.exceptions import FeatureMismatchError
from ews.features.cases_describe import describe_case_feature
from ews.features.cases_encode import CASE_FEATURES
from ews.features.cases_payload import CasePayload, default_as_of, payload_row
from ews.models.estimator import RiskClassifier
from ews.models.explain import Explainer
from ews.models.tiers import tier_bounds
from ews.months import format_month

FloatArray = npt.NDArray[np.float64]


class Factor(BaseModel):
    """One reason code: the feature, its value, its push on the log-odds, and sentences."""

    model_config = ConfigDict(frozen=True)

    feature: str
    value: float | None
    contribution: float
    text: str = Field(description="Bahasa Indonesia.")
    text_en: str = Field(description="English.")


class CaseScore(BaseModel):
    """The reopen score of one case as of a month."""

    model_config = ConfigDict(frozen=True)

    case_id: str | None
    as_of: str = Field(description="YYYY-MM")
    score: float = Field(ge=0.0, le=1.0, description="Calibrated probability of a reopening within 90 days.")
    tier: str
    flagged: bool = Field(description="Score at or above the follow-up threshold.")
    factors: list[Factor]
    clipped: list[str] = Field(
        default_factory=list, description="Features outside the training range, scored at its edge."
    )


@dataclass(frozen=True, slots=True)
class ScoreParts:
    """One case's score as plain values: what :class:`CaseScore` holds, without validation."""

    as_of: str
    score: float
    tier: str
    flagged: bool
    factors: list[dict[str, Any]]
    clipped: list[str]


def training_bounds(model: RiskClassifier) -> tuple[FloatArray, FloatArray]:
    """Lowest and highest value of each feature the model was fitted on, as clip bounds.

    Unbounded (``-inf``, ``inf``) for models saved before ``feature_range_`` and
    for the columns the fit left out (``inert_``: the model ignores them, so
    clipping one would change nothing but raise a note).
    """
    n = int(model.n_features_in_)
    stored = getattr(model, "feature_range_", None)
    if stored is None:
        return np.full(n, -np.inf), np.full(n, np.inf)
    low, high = (np.array(row, dtype=np.float64) for row in np.asarray(stored, dtype=np.float64))
    inert = np.asarray(getattr(model, "inert_", ()), dtype=np.int64)
    low[inert], high[inert] = -np.inf, np.inf
    return low, high


def clip_to_training(
    x: FloatArray, low: FloatArray, high: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """``x`` clipped to ``low .. high`` column by column (NaN stays NaN), and where it was outside.

    ``x`` itself (not a copy) when nothing is outside: the common case costs two comparisons.
    """
    outside = (x < low) | (x > high)
    if not outside.any():
        return x, outside
    return np.clip(x, low, high), outside


def factor_dicts(values: FloatArray, contrib: FloatArray, n: int) -> list[dict[str, Any]]:
    """The ``n`` largest absolute contributions of one row, in ``ews.models.explain.top_factors`` form."""
    order: list[int] = np.argsort(-np.abs(contrib), kind="stable")[:n].tolist()
    row: list[float] = values.tolist()  # Python floats: what float(values[j]) gives, in one call
    pushes: list[float] = contrib.tolist()
    out = []
    for j in order:
        name, value = CASE_FEATURES[j], row[j]
        text, text_en = describe_case_feature(name, value)
        out.append(
            {
                "feature": name,
                "value": None if value != value else round(value, 4),  # NaN: no value
                "contribution": round(pushes[j], 4),
                "text": text,
                "text_en": text_en,
            }
        )
    return out


class ReopenScorer:
    """Scores one :class:`CasePayload` at a time with a loaded reopen model."""

    def __init__(
        self, model: RiskClassifier, *, top_factors: int = 5, flag_threshold: float | None = None
    ) -> None:
        names = tuple(str(c) for c in model.feature_names_in_)
        if names != CASE_FEATURES:
            raise FeatureMismatchError(
                f"the model's {len(names)} features are not the case-reopen features ({len(CASE_FEATURES)})"
            )
        self.model = model
        self.top_factors = top_factors
        self.explainer = Explainer(model)
        self._calibrate = model.calibration_map()
        self._low, self._high = training_bounds(model)
        # Without the latest batch's cut-off, "flagged" means tier tinggi or above (twice the base rate).
        self._tier_bounds = tier_bounds(model.base_rate_)  # what tier_of cuts at, worked out once
        tinggi = float(self._tier_bounds[1])
        self.flag_threshold = tinggi if flag_threshold is None else float(flag_threshold)

    def features(self, payload: CasePayload, as_of: int | None = None) -> FloatArray:
        """The one-row model matrix of ``payload`` as of ``as_of`` (default: month after its last event)."""
        month = default_as_of(payload) if as_of is None else as_of
        return payload_row(payload, month)

    def score_parts(self, payload: CasePayload, as_of: int | None = None) -> ScoreParts:
        """:meth:`score` as plain values, for callers that build their own response (the API)."""
        month = default_as_of(payload) if as_of is None else as_of
        x = payload_row(payload, month)
        scored, outside = clip_to_training(x, self._low, self._high)
        contrib, probability = self._explained(scored)
        return ScoreParts(
            as_of=format_month(month),
            score=min(max(probability, 0.0), 1.0),
            tier=TIERS[int(np.searchsorted(self._tier_bounds, probability, side="right"))],
            flagged=probability >= self.flag_threshold,
            factors=factor_dicts(x[0], contrib, self.top_factors),
            clipped=[] if scored is x else [CASE_FEATURES[j] for j in np.flatnonzero(outside[0])],
        )

    def _explained(self, row: FloatArray) -> tuple[FloatArray, float]:
        """One encoded row's contributions and calibrated probability, from one pass of the explainer."""
        contrib, base = self.explainer.explain(self.model.model_rows(row))
        return contrib[0], float(self._calibrate(base + contrib.sum(axis=1))[0])

    def score(self, payload: CasePayload, as_of: int | None = None) -> CaseScore:
        """Probability, tier, flag and reason codes; ``TimeRuleError`` unless recently closed as of then."""
        parts = self.score_parts(payload, as_of)
        return CaseScore(
            case_id=payload.case_id,
            as_of=parts.as_of,
            score=parts.score,
            tier=parts.tier,
            flagged=parts.flagged,
            factors=[Factor(**f) for f in parts.factors],
            clipped=parts.clipped,
        )

    @classmethod
    def from_uri(cls, uri: str, *, top_factors: int = 5, flag_threshold: float | None = None) -> ReopenScorer:
        """Load a registered reopen model (e.g. ``models:/ews-case-reopen@champion``) once."""
        from ews.model_loading import load_model

        return cls(load_model(uri), top_factors=top_factors, flag_threshold=flag_threshold)
