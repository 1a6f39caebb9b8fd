"""Sentences for the features officials see: signals, region attributes, population, density, season.

These are not derived from case records, so officials see them (the case
factors stay with analysts). Each handler takes the RW's value and the
``reference`` — the mean of the same feature over the other RWs of the
kelurahan in the same month, or ``None`` — and says the value against it
when there is one ("2 kali rata-rata RW lain di kelurahan ini").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from ews.features import names
from ews.features.describe_compare import PEERS, usable, with_peers
from ews.features.describe_signals import describe_signal, label_signal
from ews.features.vocab import REGION_NAMES, Name, capital, humanise, plain

Texts = tuple[str, str]
Reference = float | None
ContextHandler = Callable[[re.Match[str], float, Reference], Texts]

POPULATION: Name = Name("jumlah penduduk RW", "RW population", plural=False)
DENSITY: Name = Name("kepadatan penduduk", "population density", False, "jiwa/km²", "residents/km²")


def measured(name: Name, value: float, reference: Reference = None) -> Texts:
    """ "<Name>: <value>", or "<Name>: <comparison with the other RWs>" when there is a reference."""
    return with_peers(
        (capital(name.id), capital(name.en)), lambda: plain(value, name), value, reference, name
    )


def _people(value: float) -> float:
    """A ``log1p`` feature back in people (``log_population``, ``log_density``)."""
    if not math.isfinite(value):
        return math.nan
    return float(round(math.expm1(min(value, 700.0))))


def _logged(name: Name) -> ContextHandler:
    def text(match: re.Match[str], value: float, reference: Reference) -> Texts:
        theirs = _people(reference) if reference is not None and usable(reference) else None
        return measured(name, _people(value), theirs)

    return text


def _season(match: re.Match[str], value: float, reference: Reference) -> Texts:
    return "Pola musiman (bulan dalam setahun)", "Seasonal pattern (month of the year)"


def _region(match: re.Match[str], value: float, reference: Reference) -> Texts:
    column = match["col"]
    if column == "kumuh" and not math.isnan(value):
        return _slum(value >= 0.5, reference)
    return measured(REGION_NAMES.get(column) or humanise(column), value, reference)


def _slum(slum: bool, reference: Reference) -> Texts:
    texts = (
        ("RW ini termasuk kawasan kumuh", "This RW is a slum area")
        if slum
        else ("RW ini bukan kawasan kumuh", "This RW is not a slum area")
    )
    if reference is None or not usable(reference):
        return texts
    pct = round(min(max(reference, 0.0), 1.0) * 10) * 10
    if pct in {0, 100}:
        same = slum == (pct == 100)
        peers = (f"begitu pula semua {PEERS[0]}", f"as are all {PEERS[1]}")
        if not same:
            peers = (f"berbeda dengan semua {PEERS[0]}", f"unlike all {PEERS[1]}")
    else:
        peers = (f"sekitar {pct}% {PEERS[0]} kumuh", f"about {pct}% of {PEERS[1]} are slum areas")
    return f"{texts[0]}; {peers[0]}", f"{texts[1]}; {peers[1]}"


def _signal(match: re.Match[str], value: float, reference: Reference) -> Texts:
    return describe_signal(match["signal"], match["stat"], value, reference)


CONTEXT_HANDLERS: tuple[tuple[re.Pattern[str], ContextHandler], ...] = (
    (re.compile(rf"^{names.SIGNAL_PREFIX}(?P<signal>.+)__(?P<stat>[a-z0-9_]+)$"), _signal),
    (re.compile(rf"^{names.REGION_PREFIX}(?P<col>.+)$"), _region),
    (re.compile(r"^log_population$"), _logged(POPULATION)),
    (re.compile(r"^log_density$"), _logged(DENSITY)),
    (re.compile(r"^month_(?:sin|cos)$"), _season),
)
CONTEXT_LABELS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Texts]], ...] = (
    (CONTEXT_HANDLERS[0][0], lambda m: label_signal(m["signal"], m["stat"])),
    (CONTEXT_HANDLERS[1][0], lambda m: (REGION_NAMES.get(m["col"]) or humanise(m["col"])).label()),
    (CONTEXT_HANDLERS[2][0], lambda m: ("Jumlah penduduk", "Population")),
    (CONTEXT_HANDLERS[3][0], lambda m: ("Kepadatan penduduk per km²", "Population density per km²")),
    (CONTEXT_HANDLERS[4][0], lambda m: (f"Musim ({m[0][-3:]})", f"Season ({m[0][-3:]})")),
)
