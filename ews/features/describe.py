"""Feature name + value -> plain sentences for lurah, camat and analysts.

``describe`` gives one Indonesian and one English sentence (the score
output's ``top_factors[].text`` is the Indonesian one); ``feature_label``
gives short chart labels. Case counts below the small-count threshold read
``<3`` (UU 12/2022, UU 27/2022: no small counts for officials).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

from ews.features import names
from ews.features.describe_checks import HANDLERS as CHECK_HANDLERS
from ews.features.describe_checks import LABELS as CHECK_LABELS
from ews.features.describe_context import CONTEXT_HANDLERS, CONTEXT_LABELS, ContextHandler
from ews.features.describe_longrun import HANDLERS as LONG_RUN_HANDLERS
from ews.features.describe_longrun import LABELS as LONG_RUN_LABELS
from ews.features.vocab import (
    LEVEL_NAMES,
    VICTIM_GROUP_NAMES,
    VIOLENCE_TYPE_NAMES,
    Name,
    capital,
    count,
    humanise,
    number,
    period,
    with_unit,
)

Texts = tuple[str, str]
Handler = Callable[[re.Match[str], float, int], Texts]


def _period(months: int) -> Texts:
    if months == 1:
        return "bulan lalu", "last month"
    when_id, when_en = period(months)
    return f"dalam {when_id}", f"in {when_en}"


def _counted(id_text: str, en_text: str, months: int, value: float, threshold: int) -> Texts:
    period_id, period_en = _period(months)
    n_id, n_en = count(value, threshold, "id"), count(value, threshold, "en")
    return f"{id_text} {period_id}: {n_id}", f"{en_text} {period_en}: {n_en}"


def _cases(match: re.Match[str], value: float, threshold: int) -> Texts:
    months, kind = int(match["w"]), match["kind"]
    if kind is None:
        return _counted(
            "Kasus yang dilaporkan dari RW ini", "Cases reported from this RW", months, value, threshold
        )
    if kind in VICTIM_GROUP_NAMES:
        group = VICTIM_GROUP_NAMES[kind]
        return _counted(
            f"Kasus dengan korban {group.id} dari RW ini", f"Cases with {group.en} as victims from this RW",
            months, value, threshold,
        )  # fmt: skip
    kind_name = VIOLENCE_TYPE_NAMES.get(kind) or humanise(kind)
    return _counted(
        f"Kasus {kind_name.id} dari RW ini", f"Cases of {kind_name.en} from this RW", months, value, threshold
    )


def _repeat(match: re.Match[str], value: float, threshold: int) -> Texts:
    return _counted(
        "Kasus dengan korban yang pernah tercatat sebelumnya (korban berulang)",
        "Cases whose victim was in an earlier case (repeat victims)",
        int(match["w"]), value, threshold,
    )  # fmt: skip


def _months_since_case(match: re.Match[str], value: float, threshold: int) -> Texts:
    if math.isnan(value) or value >= names.LOOKBACK:
        when_id, when_en = period(names.LOOKBACK)
        return f"Tidak ada kasus dari RW ini dalam {when_id}", f"No case from this RW in {when_en}"
    months = round(value)
    unit_en = "month" if months == 1 else "months"
    return (
        f"Kasus terakhir dari RW ini dilaporkan {months} bulan lalu",
        f"The last case from this RW was reported {months} {unit_en} ago",
    )


def _open(match: re.Match[str], value: float, threshold: int) -> Texts:
    n_id, n_en = count(value, threshold, "id"), count(value, threshold, "en")
    return f"Kasus dari RW ini yang masih ditangani: {n_id}", f"Cases from this RW still open: {n_en}"


def _reopened(match: re.Match[str], value: float, threshold: int) -> Texts:
    return _counted(
        "Kasus dari RW ini yang dibuka kembali",
        "Cases from this RW reopened",
        int(match["w"]),
        value,
        threshold,
    )


def _neighbours(match: re.Match[str], value: float, threshold: int) -> Texts:
    return _counted("Kasus di RW tetangga", "Cases in neighbouring RWs", int(match["w"]), value, threshold)


def _neighbour_count(match: re.Match[str], value: float, threshold: int) -> Texts:
    return f"Jumlah RW tetangga: {number(value, 'id', 0)}", f"Neighbouring RWs: {number(value, 'en', 0)}"


def _area(match: re.Match[str], value: float, threshold: int) -> Texts:
    level = LEVEL_NAMES[match["level"]]
    months = int(match["w"])
    if match["rate"] is None:
        return _counted(f"Kasus di {level.id} ini", f"Cases in this {level.en}", months, value, threshold)
    period_id, period_en = _period(months)
    shown_id, shown_en = number(value, "id", 2), number(value, "en", 2)
    return (
        f"Kasus per 1.000 penduduk di {level.id} ini {period_id}: {shown_id}",
        f"Cases per 1,000 residents in this {level.en} {period_en}: {shown_en}",
    )


def _measured(name: Name, value: float) -> Texts:
    return (
        f"{capital(name.id)}: {with_unit(value, name, 'id')}",
        f"{capital(name.en)}: {with_unit(value, name, 'en')}",
    )


_CATEGORY = "|".join([*VIOLENCE_TYPE_NAMES, *VICTIM_GROUP_NAMES])
_HANDLERS: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (re.compile(rf"^cases_(?P<w>\d+)m(?:_(?P<kind>{_CATEGORY}))?$"), _cases),
    (re.compile(r"^repeat_cases_(?P<w>\d+)m$"), _repeat),
    (re.compile(r"^months_since_case$"), _months_since_case),
    (re.compile(r"^open_cases$"), _open),
    (re.compile(r"^reopened_(?P<w>\d+)m$"), _reopened),
    (re.compile(r"^nbr_cases_(?P<w>\d+)m$"), _neighbours),
    (re.compile(r"^nbr_count$"), _neighbour_count),
    (re.compile(r"^(?P<level>kel|kec)_cases_(?P<w>\d+)m(?P<rate>_per_1000)?$"), _area),
    *LONG_RUN_HANDLERS,
    *CHECK_HANDLERS,
)


def describe(
    feature: str, value: float, reference: float | None = None, *, small_count_threshold: int = 3
) -> tuple[str, str]:
    """(Indonesian, English) sentence saying what ``feature`` at ``value`` means for this RW.

    ``reference`` (optional) is the mean of the same feature over the other RWs of the RW's
    kelurahan in the same month (:func:`ews.features.describe_reference.kelurahan_reference`);
    signal and area sentences then compare with it ("2 kali rata-rata RW lain di kelurahan ini").
    Without it, or when it is not finite, the sentence has no such comparison. Case sentences
    never use it.
    """
    value = float(value)
    context, handler, match = _dispatch(feature)
    if context is not None and match is not None:
        return context(match, value, None if reference is None else float(reference))
    if handler is not None and match is not None:
        return handler(match, value, small_count_threshold)
    return _measured(humanise(feature), value)


@functools.lru_cache(maxsize=4096)
def _dispatch(feature: str) -> tuple[ContextHandler | None, Handler | None, re.Match[str] | None]:
    """The handler of ``feature`` and its name parts, matched once per name (scoring asks thousands of
    times)."""
    for context_pattern, context in CONTEXT_HANDLERS:
        context_match = context_pattern.match(feature)
        if context_match is not None:
            return context, None, context_match
    for pattern, handler in _HANDLERS:
        match = pattern.match(feature)
        if match is not None:
            return None, handler, match
    return None, None, None


def _window_label(match: re.Match[str]) -> Texts:
    months = match["w"]
    return f"{months} bln", f"{months} mo"


def _case_label(match: re.Match[str]) -> Texts:
    w_id, w_en = _window_label(match)
    kind = match["kind"]
    if kind is None:
        return f"Kasus {w_id}", f"Cases {w_en}"
    kind_name = VICTIM_GROUP_NAMES.get(kind) or VIOLENCE_TYPE_NAMES.get(kind) or humanise(kind)
    return f"Kasus {kind_name.id} {w_id}", f"Cases: {kind_name.en} {w_en}"


def _area_label(match: re.Match[str]) -> Texts:
    level = LEVEL_NAMES[match["level"]]
    w_id, w_en = _window_label(match)
    rate_id, rate_en = (" per 1.000", " per 1,000") if match["rate"] else ("", "")
    return f"Kasus {level.id}{rate_id} {w_id}", f"Cases {level.en}{rate_en} {w_en}"


_LABELS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Texts]], ...] = (
    (_HANDLERS[0][0], _case_label),
    (_HANDLERS[1][0], lambda m: (f"Korban berulang {m['w']} bln", f"Repeat victims {m['w']} mo")),
    (_HANDLERS[2][0], lambda m: ("Bulan sejak kasus terakhir", "Months since last case")),
    (_HANDLERS[3][0], lambda m: ("Kasus masih ditangani", "Open cases")),
    (_HANDLERS[4][0], lambda m: (f"Kasus dibuka kembali {m['w']} bln", f"Reopened cases {m['w']} mo")),
    (_HANDLERS[5][0], lambda m: (f"Kasus RW tetangga {m['w']} bln", f"Neighbouring RW cases {m['w']} mo")),
    (_HANDLERS[6][0], lambda m: ("Jumlah RW tetangga", "Neighbouring RWs")),
    (_HANDLERS[7][0], _area_label),
    *CONTEXT_LABELS,
    *CHECK_LABELS,
)


def _name_label(name: Name) -> Texts:
    return name.label()


def feature_label(feature: str) -> tuple[str, str]:
    """Short (Indonesian, English) label of a feature for charts and tables."""
    if feature in LONG_RUN_LABELS:
        return LONG_RUN_LABELS[feature]
    for pattern, label in _LABELS:
        match = pattern.match(feature)
        if match is not None:
            return label(match)
    return _name_label(humanise(feature))


def describe_feature(
    feature: str,
    value: float,
    reference: float | None = None,
    *,
    lang: str = "id",
    small_count_threshold: int = 3,
) -> str:
    """One language of :func:`describe` (``lang`` "id" or "en"), for callers that want a single string."""
    indonesian, english = describe(feature, value, reference, small_count_threshold=small_count_threshold)
    return english if lang == "en" else indonesian
