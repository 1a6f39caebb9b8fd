"""Small counts withheld from lurah and camat in reason codes (UU 12/2022, UU 27/2022).

A reason code's ``value`` is the raw feature value; for case-count features
(the RW's own cases, repeat victims, open and reopened cases, neighbouring
RWs, kelurahan and kecamatan) a value below the threshold would tell an
official that an RW had one or two cases. For lurah and camat such a value is
served as ``value: null, value_text: "<3"`` and the sentences are rewritten
with the serving threshold (the stored ones used the threshold at publish
time). Zero is withheld too, so ``<3`` never says whether there was a case.
Signal statistics are not case data and pass.

Case *rates* are withheld from officials whatever their value: a kelurahan
or kecamatan rate per 1,000 times its (public) population is its count, and
the RW's long-run rate with its kelurahan's prior gives back the RW's own
count. The factor still says that the rate mattered, and which way.

The time since an RW's last case is withheld from officials whatever its
value: "reported 2 months ago" says there was a case, and "none in 36 months"
says there was none, exactly what ``<3`` keeps open.
"""

from __future__ import annotations

import re

from ews.service.schemas import FactorOut
from ews.service.security import Caller

COUNT_FEATURE = re.compile(
    r"^(?:cases_\d+m(?:_[a-z_]+)?|cases_decay|repeat_cases_\d+m|open_cases|reopened_\d+m"
    r"|(?:nbr|kel|kec)_cases_(?:\d+m|decay)|checks__(?:checked|concern|safe)_\d+m)$"
)


TIMING_FEATURE = re.compile(r"^(?:months_since_case|checks__months_since_concern)$")
TIMING_TEXT = (
    "Waktu sejak kasus terakhir tidak ditampilkan untuk menjaga kerahasiaan korban",
    "Time since the last case is withheld to protect victims",
)


RATE_FEATURE = re.compile(r"^(?:(?:kel|kec)_cases_\d+m_per_1000|log_case_rate_longrun|log_kel_rate_longrun)$")
RATE_TEXT = (
    "{label}: tidak ditampilkan untuk menjaga kerahasiaan korban",
    "{label}: withheld to protect victims",
)


def is_rate(feature: str) -> bool:
    """Whether ``feature`` is a case rate from which a small count could be worked back."""
    return RATE_FEATURE.match(feature) is not None


def withheld_rate(factor: FactorOut) -> FactorOut:
    """``factor`` without its value, named by its chart label."""
    text, text_en = rate_texts(factor.feature)
    return factor.model_copy(update={"value": None, "value_text": "-", "text": text, "text_en": text_en})


def rate_texts(feature: str) -> tuple[str, str]:
    """The withheld sentences of a rate feature (Indonesian, English)."""
    from ews.features.describe import feature_label

    label_id, label_en = feature_label(feature)
    return RATE_TEXT[0].format(label=label_id), RATE_TEXT[1].format(label=label_en)


def is_timing(feature: str) -> bool:
    """Whether ``feature`` dates the RW's last case (withheld from officials)."""
    return TIMING_FEATURE.match(feature) is not None


def withheld_timing(factor: FactorOut) -> FactorOut:
    """``factor`` without its value: officials learn that timing mattered, not when a case was."""
    text, text_en = TIMING_TEXT
    return factor.model_copy(update={"value": None, "value_text": "-", "text": text, "text_en": text_en})


def is_small_count(feature: str, value: float | None, threshold: int) -> bool:
    """Whether ``feature`` is a case count and ``value`` lies below ``threshold``."""
    return value is not None and value < threshold and COUNT_FEATURE.match(feature) is not None


def withheld(factor: FactorOut, threshold: int) -> FactorOut:
    """``factor`` with its small count replaced by ``"<threshold>"`` in the value and both sentences."""
    from ews.features.describe import describe

    value = factor.value if factor.value is not None else 0.0
    text, text_en = describe(factor.feature, value, small_count_threshold=threshold)
    return factor.model_copy(
        update={"value": None, "value_text": f"<{threshold}", "text": text, "text_en": text_en}
    )


def shown_factors(factors: list[FactorOut], caller: Caller, threshold: int) -> list[FactorOut]:
    """Reason codes as ``caller`` may see them: officials never receive a small case count."""
    if not caller.is_official:
        return factors
    return [_shown(f, threshold) for f in factors]


def _shown(factor: FactorOut, threshold: int) -> FactorOut:
    if is_timing(factor.feature):
        return withheld_timing(factor)
    if is_rate(factor.feature):
        return withheld_rate(factor)
    return withheld(factor, threshold) if is_small_count(factor.feature, factor.value, threshold) else factor


def shown_text(feature: str, value: float | None, text: str, caller: Caller, threshold: int) -> str:
    """One reason's Indonesian sentence as ``caller`` may see it (the flag list's main reason)."""
    if caller.is_official and is_timing(feature):
        return TIMING_TEXT[0]
    if caller.is_official and is_rate(feature):
        return rate_texts(feature)[0]
    if not caller.is_official or not is_small_count(feature, value, threshold):
        return text
    from ews.features.describe import describe

    return describe(feature, value if value is not None else 0.0, small_count_threshold=threshold)[0]
