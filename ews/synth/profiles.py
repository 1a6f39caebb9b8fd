"""Stress worlds: named profiles that bend a synthetic world into the folders real offices hand over.

ews is judged on folders it did not write: a source that starts late or
lapses, a short history, cases extracted long after the signals, a missing
file, a rare outcome, signals built another way. Each profile names one such
property; profiles combine (``late_source,short_18``). A profile either
changes the generating process (and so the truth, which always describes the
world written) or only hides data from the folder (and leaves the truth as it
is); ``campaign`` and ``post_opening`` add reporting that is not risk (the
effects ``ews monitor`` must find, ``ews.synth.monitor_effects``) and leave
the truth as it is. The default world, with no profile, is untouched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from ews.exceptions import ConfigError
from ews.months import format_month
from ews.synth.params import RiskParams, SynthParams

SignalMode = Literal["default", "noise", "alt"]

PROFILES: Final[dict[str, str]] = {
    "late_source": "laporan_kader_rw is empty before the 6th-last signal month",
    "lapsed_source": "kontak_pos_pengaduan is empty for the last 8 signal months",
    "outage": "panggilan_112_kdrt is empty for every RW for 5 months mid-history",
    "empty_column": "an extra signal column, laporan_puspaga, stays empty throughout",
    "short_14": "only the last 14 months up to --end are written",
    "short_18": "only the last 18 months up to --end are written",
    "case_tail": "signals stop 12 months before --end; cases and events go on",
    "no_neighbors": "no neighbors file",
    "no_events": "case_events has a header and no rows",
    "single_kota": "one kota only: the kota of the first --area, else Jakarta Pusat (31.71)",
    "rare": "incident intensity scaled down to about 1% of RWs with a case a month",
    "weak_repeat": "near-repeat excitation a quarter of the default (case volume kept)",
    "strong_repeat": "near-repeat excitation three times the default (case volume kept)",
    "noise_signals": "signals drawn independently of incidents and risk",
    "alt_signals": "signals lag incidents 1-2 months, drift by kecamatan, overdispersed",
    "campaign": "panggilan_112_kdrt lifted 60% in November and 80% in December (16-day campaign)",
    "post_opening": "kontak_pos_pengaduan x2.5 in the largest kecamatan from the 9th-last signal month",
}
EXCLUSIVE: Final = (
    ("short_14", "short_18"),
    ("weak_repeat", "strong_repeat"),
    ("noise_signals", "alt_signals"),
)

LATE_SOURCE, LATE_MONTHS = "laporan_kader_rw", 6
LAPSED_SOURCE, LAPSED_MONTHS = "kontak_pos_pengaduan", 8
OUTAGE_SOURCE, OUTAGE_MONTHS = "panggilan_112_kdrt", 5
EMPTY_COLUMN = "laporan_puspaga"  # PUSPAGA family-learning-centre referrals: announced, never delivered
CASE_TAIL_MONTHS = 12
DEFAULT_KOTA = "31.71"
RARE_LOG_SHIFT = -1.7  # exp(-1.7) ~ 0.18: the default's ~5.4% of RWs a month becomes ~1%
REPEAT_SCALE: Final = {"weak_repeat": 0.25, "strong_repeat": 3.0}
MIN_GAPPED_MONTHS = 12  # late, lapsed and outage need signal months on both sides of the gap
POST_OPENING_MONTHS = 21  # 12 trailing months before the opening, 9 from it to the last signal month


@dataclass(frozen=True)
class Span:
    """The months a world writes: signals ``start..signal_end``, cases and events ``start..end``."""

    start: int
    signal_end: int
    end: int

    @property
    def signal_months(self) -> int:
        """How many months of signals are written."""
        return self.signal_end - self.start + 1


def _split(profiles: Sequence[str] | str) -> tuple[str, ...]:
    """Names from repeated and comma-separated values, stripped, first occurrence kept."""
    items = [profiles] if isinstance(profiles, str) else list(profiles)
    names = [part.strip() for item in items for part in str(item).split(",")]
    return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class SynthProfile:
    """A validated set of stress profiles (empty: the default world)."""

    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse unknown names and contradictory pairs at construction, so no half-built world exists."""
        for name in self.names:
            if name not in PROFILES:
                allowed = ", ".join(PROFILES)
                raise ConfigError(f"synth profile {name!r} is unknown; choose from {allowed}")
        for first, second in EXCLUSIVE:
            if first in self.names and second in self.names:
                raise ConfigError(f"synth profiles {first} and {second} contradict each other; choose one")

    @classmethod
    def parse(cls, profiles: Sequence[str] | str = ()) -> SynthProfile:
        """From CLI-style values: ``["late_source,short_18", "rare"]`` or a single string."""
        return cls(_split(profiles))

    def __contains__(self, name: object) -> bool:
        """``"rare" in profile``."""
        return name in self.names

    @property
    def history_months(self) -> int | None:
        """Signal months kept by ``short_14`` / ``short_18``; None keeps the whole range."""
        for name in ("short_14", "short_18"):
            if name in self:
                return int(name.removeprefix("short_"))
        return None

    @property
    def signal_mode(self) -> SignalMode:
        """Which construction makes the signals."""
        if "noise_signals" in self:
            return "noise"
        return "alt" if "alt_signals" in self else "default"

    def span(self, start: int, end: int) -> Span:
        """The months written for the requested ``start..end``; refuses a range too short for the profile."""
        tail = CASE_TAIL_MONTHS if "case_tail" in self else 0
        history = self.history_months
        gapped = any(name in self for name in ("late_source", "lapsed_source", "outage"))
        opening = POST_OPENING_MONTHS if "post_opening" in self else 1
        need = max(history or 1, MIN_GAPPED_MONTHS if gapped else 1, opening) + tail
        if end - start + 1 < need:
            raise ConfigError(
                f"synth profiles {', '.join(self.names)} need at least {need} months, but "
                f"{format_month(start)}..{format_month(end)} has {end - start + 1}; choose an earlier start"
            )
        signal_end = end - tail
        first = signal_end - history + 1 if history is not None else start
        return Span(start=first, signal_end=signal_end, end=end)

    def kota(self, areas: Sequence[str] | None) -> list[str] | None:
        """The one kota ``single_kota`` keeps (as an area prefix); None without that profile."""
        if "single_kota" not in self:
            return None
        return [str(areas[0]).strip()[:5] if areas else DEFAULT_KOTA]

    def params(self, params: SynthParams) -> SynthParams:
        """The calibration of this world: ``rare`` and the repeat profiles change the process."""
        risk = params.risk
        if "rare" in self:
            risk = replace(risk, log_base=risk.log_base + RARE_LOG_SHIFT)
        for name, scale in REPEAT_SCALE.items():
            if name in self:
                risk = _rescale_repeat(risk, scale)
        return params if risk == params.risk else replace(params, risk=risk)


def _branching(risk: RiskParams) -> float:
    """Expected further incidents per incident: (self + neighbour) / (1 - decay)."""
    return (risk.self_excite + risk.neighbor_excite) / (1.0 - risk.excite_decay)


def _rescale_repeat(risk: RiskParams, scale: float) -> RiskParams:
    """Scale both excitations; shift the base so the stationary volume base / (1 - branching) is kept.

    Without the shift a stronger near-repeat would also mean many more cases,
    and the profile would test two things at once.
    """
    new = replace(risk, self_excite=risk.self_excite * scale, neighbor_excite=risk.neighbor_excite * scale)
    shift = math.log((1.0 - _branching(new)) / (1.0 - _branching(risk)))
    return replace(new, log_base=risk.log_base + shift)
