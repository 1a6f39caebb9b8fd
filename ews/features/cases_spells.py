"""Closing spells and day windows: the numpy core of the reopen population and label.

Everything here works on plain integer day numbers (days since 1970-01-01), so
the same functions serve a whole folder (many cases, many as-of months) and
one case sent to the API, with no pandas in between.

A *closing spell* is one ``closed`` event of a case together with the day of
the case's next event (or ``NEVER``). A case is *recently closed as of* day
``A`` (contract section 2) when one of its spells has
``closed_day < A <= next_day`` (its last event before ``A`` is that closing)
and ``A - closed_day <= RECENT_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

RECENT_DAYS: Final = 180
LABEL_DAYS: Final = 90
NEVER: Final = 2**40
# Composite sort keys group * SPAN + day + OFFSET keep day order inside each group.
_OFFSET: Final = 2**24
_SPAN: Final = 2**26


@dataclass(frozen=True)
class Spells:
    """One entry per ``closed`` event, ordered by case position then date."""

    case_pos: IntArray
    closed_day: IntArray
    next_day: IntArray
    reopened_before: IntArray
    open_days: IntArray


def _group_cumsum(values: IntArray, start: BoolArray) -> IntArray:
    """Inclusive running sum that restarts where ``start`` is True."""
    total = np.cumsum(values)
    base = (total - values)[start]
    return np.asarray(total - base[np.cumsum(start) - 1], dtype=np.int64)


def closing_spells(case_pos: IntArray, is_closed: BoolArray, day: IntArray, reported_day: IntArray) -> Spells:
    """Spells from events (any order; ties keep their given order) and each case's report day.

    ``open_days`` is the time the case spent open up to that closing: from the
    report to the first closing, plus every reopened-to-closed stretch, which
    telescopes to sum(closed days) - sum(reopened days) - report day when
    events alternate as the contract requires.
    """
    order = np.argsort(case_pos * _SPAN + day + _OFFSET, kind="stable")
    pos, closed, when = case_pos[order], is_closed[order], day[order]
    start = np.r_[True, pos[1:] != pos[:-1]] if len(pos) else np.zeros(0, dtype=bool)
    next_day = np.r_[np.where(start[1:], NEVER, when[1:]), NEVER][: len(pos)].astype(np.int64)
    reopened = (~closed).astype(np.int64)
    reopen_count = _group_cumsum(reopened, start)
    open_days = _group_cumsum(np.where(closed, when, 0), start) - _group_cumsum(when * reopened, start)
    open_days = open_days - reported_day[pos]
    return Spells(
        case_pos=pos[closed],
        closed_day=when[closed],
        next_day=next_day[closed],
        reopened_before=reopen_count[closed],
        open_days=np.maximum(open_days[closed], 0),
    )


def recent_pairs(spells: Spells, as_of_days: IntArray) -> tuple[IntArray, IntArray]:
    """(spell index, as-of index) of every spell that is the case's recent closing at that as-of.

    ``as_of_days`` must be sorted ascending.
    """
    end = np.minimum(spells.next_day, spells.closed_day + RECENT_DAYS)
    lo = np.searchsorted(as_of_days, spells.closed_day, side="right")
    hi = np.searchsorted(as_of_days, end, side="right")
    counts = np.maximum(hi - lo, 0).astype(np.int64)
    spell_index = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return spell_index, np.repeat(lo, counts).astype(np.int64) + offsets


def count_in_window(
    row_group: IntArray, row_lo: IntArray, row_hi: IntArray, item_group: IntArray, item_day: IntArray
) -> IntArray:
    """For each row, how many items of its group have ``row_lo <= day < row_hi``.

    Rows with group -1 (no victim key, unknown RW) count nothing.
    """
    keys = np.sort(item_group * _SPAN + item_day + _OFFSET)
    lo_day = np.clip(row_lo, -_OFFSET, _SPAN - _OFFSET - 1)
    hi_day = np.clip(row_hi, -_OFFSET, _SPAN - _OFFSET - 1)
    lo = np.searchsorted(keys, row_group * _SPAN + lo_day + _OFFSET, side="left")
    hi = np.searchsorted(keys, row_group * _SPAN + hi_day + _OFFSET, side="left")
    return np.where(row_group >= 0, hi - lo, 0).astype(np.int64)


@dataclass(frozen=True, slots=True)
class RecentSpell:
    """One case's recent closing as of a day: what :func:`closing_spells` holds for that spell."""

    closed_day: int
    reopened_before: int
    open_days: int


def recent_spell(
    is_closed: list[bool], day: list[int], reported_day: int, as_of_day: int
) -> RecentSpell | None:
    """The recent closing of one case as of ``as_of_day``, or None unless exactly one spell is recent.

    :func:`closing_spells` then :func:`recent_pairs` for a single case and a single as-of
    day, in plain integers (the live scorer's path: numpy costs more than the work on a
    few events); tests compare the two on random event lists.
    """
    order = sorted(range(len(day)), key=day.__getitem__)  # stable: ties keep their given order
    found: list[RecentSpell] = []
    reopened = closed_sum = reopened_sum = 0
    for step, i in enumerate(order):
        when = day[i]
        if not is_closed[i]:
            reopened += 1
            reopened_sum += when
            continue
        closed_sum += when
        next_day = day[order[step + 1]] if step + 1 < len(order) else NEVER
        if when < as_of_day <= min(next_day, when + RECENT_DAYS):
            open_days = max(closed_sum - reopened_sum - reported_day, 0)
            found.append(RecentSpell(closed_day=when, reopened_before=reopened, open_days=open_days))
    return found[0] if len(found) == 1 else None
