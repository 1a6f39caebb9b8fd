"""Reference points in words: an RW against the other RWs of its kelurahan, a period against an earlier one.

A number alone ("1,1") says nothing about what is normal; these phrases add
what a lurah knows: "3 kali rata-rata RW lain di kelurahan ini (0,4)",
"hampir sama dengan rata-rata RW lain ...", "naik sekitar 30% dibanding 12
bulan sebelumnya". Every function takes finite numbers or returns ``None``
(or a phrase without the comparison), so no sentence ever reads "nan".
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ews.features import names
from ews.features.vocab import Name, multiple, number, plain, shown

Texts = tuple[str, str]

PEERS: Texts = ("RW lain di kelurahan ini", "the other RWs in this kelurahan")
_AVERAGE: Texts = (f"rata-rata {PEERS[0]}", f"the average of {PEERS[1]}")
# (lowest ratio, Indonesian, English) for an RW compared with its peers, highest band first.
_BANDS: tuple[tuple[float, str, str], ...] = (
    (1.35, "sekitar 1,5 kali", "about 1.5 times"),
    (1.1, "sedikit di atas", "slightly above"),
    (0.9, "hampir sama dengan", "about the same as"),
    (0.65, "sedikit di bawah", "slightly below"),
    (0.4, "sekitar separuh", "about half"),
    (0.25, "sekitar sepertiga", "about a third of"),
)


def usable(reference: float | None) -> bool:
    """Whether ``reference`` is a number a sentence can compare with."""
    return reference is not None and math.isfinite(reference)


def times(ratio: float) -> Texts | None:
    """``3.1`` -> ("3 kali", "3 times"); halves in digits; ``None`` below 1.75."""
    if ratio >= names.RATIO_CAP:
        return "lebih dari 10 kali", "more than 10 times"
    if ratio < 1.75:
        return None
    halves = round(ratio * 2) / 2
    if halves == 2:
        return "2 kali", "twice"
    return f"{number(halves, 'id')} kali", f"{number(halves, 'en')} times"


def _band(ratio: float) -> Texts:
    for lowest, text_id, text_en in _BANDS:
        if ratio >= lowest:
            return text_id, text_en
    return "jauh di bawah", "far below"


def versus_peers(value: float, reference: float | None, name: Name, per: Texts = ("", "")) -> Texts | None:
    """``value`` against the mean of the other RWs of the kelurahan, or ``None`` without a usable one.

    "3 kali rata-rata RW lain di kelurahan ini (1,2 berbanding 0,4 sebulan)": the words first, the
    two numbers after (``per`` follows them, e.g. " sebulan"). The ratio is taken of the numbers as
    printed, so "0,01" against "0" never reads "2 kali".
    """
    if reference is None or not usable(reference) or not math.isfinite(value):
        return None
    mine, theirs = shown(value), shown(reference)
    (mine_id, mine_en), (theirs_id, theirs_en) = plain(value, name), plain(reference, name)
    pair_id = f"({mine_id} berbanding {theirs_id}{per[0]})"
    pair_en = f"({mine_en} vs {theirs_en}{per[1]})"
    if mine < 0 or theirs < 0:
        word_id, word_en = "dibanding", "compared with"
    elif theirs == 0 or mine == 0:
        word_id, word_en = _zero(mine, theirs)
    else:
        word_id, word_en = times(mine / theirs) or _band(mine / theirs)
    return f"{word_id} {_AVERAGE[0]} {pair_id}", f"{word_en} {_AVERAGE[1]} {pair_en}"


def _zero(mine: float, theirs: float) -> Texts:
    if mine == theirs:
        return "sama dengan", "the same as"
    return ("di atas", "above") if mine > theirs else ("di bawah", "below")


def with_peers(
    subject: Texts,
    level: Callable[[], Texts],
    value: float,
    reference: float | None,
    name: Name,
    per: Texts = ("", ""),
) -> Texts:
    """ "<subject>: <comparison with the other RWs>" when there is a reference, else "<subject>: <level>".

    ``level`` is called only without a reference (scoring writes thousands of these).
    """
    peers = versus_peers(value, reference, name, per)
    shown_id, shown_en = peers or level()
    return f"{subject[0]}: {shown_id}", f"{subject[1]}: {shown_en}"


def change(ratio: float) -> Texts:
    """A later level over an earlier one, in words: "2 kali lipat", "naik sekitar 30%", "hampir sama"."""
    if not math.isfinite(ratio):
        return "tidak dapat dibandingkan", "not comparable"
    if ratio >= names.RATIO_CAP:
        return "10 kali lipat atau lebih", "ten times or more"
    doubled = multiple(ratio)
    if doubled is not None:
        return doubled
    if ratio >= 1.1:
        return f"naik sekitar {_tens(ratio - 1)}%", f"up about {_tens(ratio - 1)}%"
    if ratio > 0.9:
        return "hampir sama", "about the same"
    if ratio <= 0:
        return "nol", "zero"
    return f"turun sekitar {_tens(1 - ratio)}%", f"down about {_tens(1 - ratio)}%"


def _tens(share: float) -> int:
    """A share as a percentage rounded to tens, at least 10."""
    return max(10, round(share * 10) * 10)
