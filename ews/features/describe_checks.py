"""Sentences and chart labels for the features from officials' checks (``checks__*``).

Checks are officials' own visits, not case records; still, a check that found
signs of violence reads ``<3`` below the small-count threshold like a case
count. These features are not context: officials' reasons leave them out.
"""

from __future__ import annotations

import math
import re

from ews.features import names
from ews.features.vocab import count, number, period

Texts = tuple[str, str]

_WORDS = {
    "checked": ("Pemeriksaan lapangan di RW ini", "Field checks of this RW"),
    "concern": (
        "Pemeriksaan di RW ini yang menemukan indikasi kekerasan atau dirujuk ke UPTD PPA",
        "Checks of this RW that found signs of violence or referred to UPTD PPA",
    ),
    "safe": ("Pemeriksaan di RW ini dengan hasil aman", "Checks that found this RW safe"),
}
_LABELS = {
    "checked": ("Pemeriksaan", "Checks"),
    "concern": ("Pemeriksaan dengan indikasi", "Checks with concern"),
    "safe": ("Pemeriksaan aman", "Checks found safe"),
}


def _windowed(match: re.Match[str], value: float, threshold: int) -> Texts:
    kind = match["kind"]
    words_id, words_en = _WORDS[kind]
    when_id, when_en = period(int(match["w"]))
    if kind == "concern":
        shown_id, shown_en = count(value, threshold, "id"), count(value, threshold, "en")
    else:
        shown_id, shown_en = number(value, "id", 0), number(value, "en", 0)
    return f"{words_id} dalam {when_id}: {shown_id}", f"{words_en} in {when_en}: {shown_en}"


def _since_concern(match: re.Match[str], value: float, threshold: int) -> Texts:
    if math.isnan(value) or value >= names.LOOKBACK:
        when_id, when_en = period(names.LOOKBACK)
        return (
            f"Tidak ada pemeriksaan yang menemukan indikasi di RW ini dalam {when_id}",
            f"No check of this RW found signs of violence in {when_en}",
        )
    months = round(value)
    return (
        f"Pemeriksaan terakhir yang menemukan indikasi di RW ini: {months} bulan lalu",
        f"The last check that found signs of violence in this RW: {months} month{'s' * (months != 1)} ago",
    )


_PREFIX = re.escape(names.CHECK_PREFIX)
HANDLERS = (
    (re.compile(rf"^{_PREFIX}(?P<kind>checked|concern|safe)_(?P<w>\d+)m$"), _windowed),
    (re.compile(rf"^{_PREFIX}months_since_concern$"), _since_concern),
)


def _windowed_label(match: re.Match[str]) -> Texts:
    label_id, label_en = _LABELS[match["kind"]]
    return f"{label_id} {match['w']} bln", f"{label_en} {match['w']} mo"


LABELS = (
    (HANDLERS[0][0], _windowed_label),
    (HANDLERS[1][0], lambda _m: ("Bulan sejak indikasi terakhir", "Months since last concern")),
)
