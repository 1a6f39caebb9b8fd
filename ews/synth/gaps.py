"""Source gaps of the stress profiles, cut into a finished signals frame.

Blanking happens after every value is drawn, so a world with a lapsed or
paused source has exactly the other cells of the same world without the
gap, and the truth (which never reads signals) stays as it is.
"""

from __future__ import annotations

import pandas as pd

from ews.months import format_month
from ews.synth.profiles import (
    EMPTY_COLUMN,
    LAPSED_MONTHS,
    LAPSED_SOURCE,
    LATE_MONTHS,
    OUTAGE_MONTHS,
    OUTAGE_SOURCE,
    Span,
    SynthProfile,
)


def late_start(span: Span) -> int:
    """First month of the late source: it has the last ``LATE_MONTHS`` signal months only."""
    return span.signal_end - LATE_MONTHS + 1


def outage_window(span: Span) -> tuple[int, int]:
    """The ``OUTAGE_MONTHS`` months (first, last) in the middle of the signal months."""
    first = span.start + (span.signal_months - OUTAGE_MONTHS) // 2
    return first, first + OUTAGE_MONTHS - 1


def _blank(frame: pd.DataFrame, column: str, first: int, last: int) -> None:
    """Empty ``column`` for every RW in months ``first..last`` (text months sort like numbers)."""
    months = frame["month"]
    inside = (months >= format_month(first)) & (months <= format_month(last))
    frame.loc[inside, column] = pd.NA


def apply_gaps(frame: pd.DataFrame, profile: SynthProfile, span: Span) -> pd.DataFrame:
    """The signals frame cut at ``span.signal_end``, with the profile's lapse, outage and empty column.

    Signals are drawn to the last case month even for ``case_tail``, so its
    signal cells are those of the world without the tail cut off.

    ``late_source`` is not cut here: the cadre roll-out itself starts late
    (see ``signals.cadre_reporting``), so the source has values from its
    first month for every reporting RW, however early the world ends.
    """
    out = frame[frame["month"] <= format_month(span.signal_end)].reset_index(drop=True)
    if "lapsed_source" in profile:
        _blank(out, LAPSED_SOURCE, span.signal_end - LAPSED_MONTHS + 1, span.signal_end)
    if "outage" in profile:
        _blank(out, OUTAGE_SOURCE, *outage_window(span))
    if "empty_column" in profile:
        out[EMPTY_COLUMN] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out
