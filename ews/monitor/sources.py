"""Sources: per signal and area, each source that started, stopped, paused or shifted (issue 14).

Pure: a signals frame and the regions in, :class:`SourceChange` rows out.
The tests themselves are in :mod:`ews.monitor.detect`; this module runs them
on every area of :mod:`ews.monitor.areas`, keeps the changes whose first
month falls within ``lookback`` months of the as-of month (a ``stopped``
source is reported however long ago it stopped: it is still silent), and
drops a kota's or kecamatan's start, stop, pause or seasonal lift that its
parent area shows in the same month, so a province-wide start is one line
(shifts stay in every area they show in: where a post opened matters).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ews.monitor.areas import AreaBlock, AreaTotals, area_totals
from ews.monitor.detect import RawChange, coverage_changes, level_changes, level_tests
from ews.monitor.result import SourceChange
from ews.monitor.settings import MonitorSettings
from ews.months import format_month

KIND_ORDER = {"stopped": 0, "paused": 1, "started": 2, "shift": 3, "seasonal": 4}
# A shift is kept in every area it shows in: where a post opened is the point.
KEEP_IN_CHILDREN = frozenset({"shift"})
LEVEL_ORDER = {"province": 0, "kota": 1, "kecamatan": 2}


def source_changes(
    signals: pd.DataFrame,
    regions: pd.DataFrame,
    names: Sequence[str],
    as_of: int,
    settings: MonitorSettings,
) -> list[SourceChange]:
    """Every change of ``names`` known as of ``as_of`` (signals of months before it), most severe first."""
    known = signals[signals["month"] < as_of]
    if not len(known) or not names:
        return []
    totals = area_totals(known, regions, names, int(known["month"].min()), as_of - 1)
    found = [change for block in totals.blocks for change in _block_changes(block, totals, settings)]
    recent = [
        c for c in found if c.kind == "stopped" or c.from_month >= format_month(as_of - settings.lookback)
    ]
    return sorted(_collapse(recent), key=_order)


def _block_changes(block: AreaBlock, totals: AreaTotals, settings: MonitorSettings) -> list[SourceChange]:
    out: list[SourceChange] = []
    for a, code in enumerate(block.codes):
        for s, signal in enumerate(totals.signals):
            counts, sums = block.counts[a, :, s], block.sums[a, :, s]
            raw = coverage_changes(counts, int(block.n_rws[a]), totals.months)
            raw += level_changes(level_tests(counts, sums, settings), totals.months, settings)
            out += [_row(change, signal, code, block, totals) for change in raw]
    return out


def _row(change: RawChange, signal: str, code: str, block: AreaBlock, totals: AreaTotals) -> SourceChange:
    return SourceChange(
        signal=signal,
        area_code=code,
        kind=change.kind,
        from_month=format_month(int(totals.months[change.start])),
        to_month=format_month(int(totals.months[change.end])),
        size=change.size,
        area_level=block.level,
        z=change.z,
    )


def _collapse(changes: list[SourceChange]) -> list[SourceChange]:
    """Drop a start, stop, pause or seasonal lift whose parent area has it in the same month."""
    seen: set[tuple[str, str, str, str]] = {(c.signal, c.kind, c.from_month, c.area_code) for c in changes}
    return [c for c in changes if c.kind in KEEP_IN_CHILDREN or not _parent_has(c, seen)]


def _parent_has(change: SourceChange, seen: set[tuple[str, str, str, str]]) -> bool:
    parts = change.area_code.split(".")
    parents = [".".join(parts[:n]) for n in range(1, len(parts))]
    return any((change.signal, change.kind, change.from_month, p) in seen for p in parents)


def _order(change: SourceChange) -> tuple[int, str, int, str, str]:
    return (
        KIND_ORDER[change.kind],
        change.signal,
        LEVEL_ORDER[change.area_level],
        change.area_code,
        change.from_month,
    )
