"""Sentences for the coverage statistics of a signal: how often and since when an RW reports it.

The reference point is the other RWs of the kelurahan (``reference``: the
mean of the same feature over them in the same month), e.g. "dilaporkan pada
6 dari 12 bulan terakhir; RW lain di kelurahan ini rata-rata 11 bulan".
Windows at the 36-month cap read in years ("3 tahun terakhir").
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ews.features import names
from ews.features.describe_compare import PEERS, usable
from ews.features.vocab import Name, capital, period, span

Texts = tuple[str, str]
Reference = float | None
StatText = Callable[[Name, float, Reference], Texts]

_CAP = names.LOOKBACK


def _months(value: float) -> int:
    """A finite month count as a whole number (huge values capped, so rounding never overflows)."""
    return round(min(max(value, -1e6), 1e6))


def _then(texts: Texts, peers: Texts | None) -> Texts:
    if peers is None:
        return texts
    return f"{texts[0]}; {peers[0]}", f"{texts[1]}; {peers[1]}"


def _reported_share(name: Name, value: float, reference: Reference) -> Texts:
    months = 0 if math.isnan(value) else min(max(_months(value * 12), 0), 12)
    texts = (
        f"{capital(name.id)} dilaporkan pada {months} dari 12 bulan terakhir",
        f"{capital(name.en)}: reported in {months} of the last 12 months",
    )
    if reference is None or not usable(reference):
        return texts
    theirs = min(max(_months(reference * 12), 0), 12)
    return _then(texts, (f"{PEERS[0]} rata-rata {theirs} bulan", f"{PEERS[1]}: {theirs} on average"))


def _missing_last(name: Name, value: float, reference: Reference) -> Texts:
    missing = not math.isnan(value) and value >= 0.5
    if missing:
        texts = f"{capital(name.id)} bulan lalu tidak dilaporkan", f"{capital(name.en)}: no report last month"
    else:
        texts = f"{capital(name.id)} bulan lalu dilaporkan", f"{capital(name.en)}: reported last month"
    if reference is None or not usable(reference):
        return texts
    return _then(texts, _peers_missing(missing, min(max(reference, 0.0), 1.0)))


def _peers_missing(missing: bool, share: float) -> Texts:
    """How many of the other RWs did not report last month either (``share`` in 0..1)."""
    pct = round(share * 10) * 10
    if pct == 0:
        if missing:
            return f"semua {PEERS[0]} melapor", f"all {PEERS[1]} reported"
        return f"begitu pula semua {PEERS[0]}", f"as did all {PEERS[1]}"
    if pct == 100:
        if missing:
            return f"begitu pula semua {PEERS[0]}", f"nor did any of {PEERS[1]}"
        return f"semua {PEERS[0]} tidak melapor", f"none of {PEERS[1]} reported"
    return f"sekitar {pct}% {PEERS[0]} tidak melapor", f"about {pct}% of {PEERS[1]} did not report"


def _not_reported(name: Name) -> Texts:
    when_id, when_en = period(_CAP)
    return (
        f"{capital(name.id)} tidak dilaporkan dalam {when_id}",
        f"{capital(name.en)}: not reported in {when_en}",
    )


def _since_start(name: Name, value: float, reference: Reference) -> Texts:
    if math.isnan(value):
        return _not_reported(name)
    cap_id, cap_en = span(_CAP)
    if value >= _CAP:
        texts = (
            f"{capital(name.id)} sudah dilaporkan sejak {cap_id} lalu atau lebih",
            f"{capital(name.en)}: reported for {cap_en} or more",
        )
    else:
        ago_id, ago_en = _ago(value)
        texts = (
            f"{capital(name.id)} mulai dilaporkan {ago_id}",
            f"{capital(name.en)}: first reported {ago_en}",
        )
    if reference is None or not usable(reference):
        return texts
    if reference >= _CAP - 0.5:
        return _then(
            texts, (f"{PEERS[0]} rata-rata sudah {cap_id} atau lebih", f"{PEERS[1]}: {cap_en} or more")
        )
    ago_id, ago_en = _ago(reference)
    return _then(texts, (f"{PEERS[0]} rata-rata sejak {ago_id}", f"{PEERS[1]}: {ago_en} on average"))


def _ago(months: float) -> Texts:
    """``1`` -> "bulan lalu"; ``5`` -> "5 bulan lalu"; ``30`` -> "sekitar 3 tahun lalu"."""
    if _months(months) <= 1:
        return "bulan lalu", "last month"
    span_id, span_en = span(months)
    return f"{span_id} lalu", f"{span_en} ago"


def _since_last(name: Name, value: float, reference: Reference) -> Texts:
    if math.isnan(value):
        return _not_reported(name)
    if _months(value) <= 1:
        texts = f"{capital(name.id)} dilaporkan bulan lalu", f"{capital(name.en)}: reported last month"
    else:
        ago_id, ago_en = _ago(value)
        texts = (
            f"{capital(name.id)} terakhir dilaporkan {ago_id}",
            f"{capital(name.en)}: last reported {ago_en}",
        )
    if reference is None or not usable(reference):
        return texts
    ago_id, ago_en = _ago(reference)
    return _then(
        texts, (f"{PEERS[0]} rata-rata terakhir melapor {ago_id}", f"{PEERS[1]}: {ago_en} on average")
    )


COVERAGE_TEXT: dict[str, StatText] = {
    "reported_share12": _reported_share,
    "missing_last": _missing_last,
    "months_since_start": _since_start,
    "months_since_last": _since_last,
}
