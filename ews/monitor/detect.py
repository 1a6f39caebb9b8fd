"""Change detection on one area's monthly series of one signal (pure numpy).

Coverage (RWs reporting) gives ``started``, ``stopped`` and ``paused``; the
level (sum / RWs reporting) gives ``shift``, tested month by month against
the trailing ``baseline_months``:

    z = (level - median) / max(1.4826 * MAD, sqrt(max(median * n, 4)) / n, history)

with ``n`` the RWs reporting that month. The MAD is the window's own spread;
the floor is the Poisson noise of the area total (at least that of 4 counts,
so a sparse area needs a real jump); ``history`` is 1.4826 x the median
|level - trailing median| over the ``history_months`` before: the series'
own record of how far it wanders (economic covariates drift for months, a
narrow 12-month window would call each drift a change). A month is beyond
the threshold when ``|z| >= z_threshold`` *and* the level moved by at least
``min_relative``; a change is ``min_run`` such months in a row in one
direction, dated at the first. A run made only of campaign months whose
lift matches (within ``seasonal_ratio``) the same months of an earlier year
is ``seasonal``. A gap whose every month is also silent in another year (a
school holiday) is not a pause.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ews.monitor.areas import FloatArray, IntArray
from ews.monitor.result import SourceKind
from ews.monitor.settings import MonitorSettings

MAD_TO_SD = 1.4826
POISSON_MIN_TOTAL = 4.0


@dataclass(frozen=True)
class RawChange:
    """A change on month positions ``start..end`` of the series (``end`` inclusive)."""

    kind: SourceKind
    start: int
    end: int
    size: float
    z: float | None = None


@dataclass(frozen=True)
class Tested:
    """Per month: robust z and relative change against the trailing baseline (NaN where untested)."""

    z: FloatArray
    relative: FloatArray


def coverage_changes(counts: FloatArray, n_rws: int, months: IntArray) -> list[RawChange]:
    """``started`` (after the first month), ``stopped`` (to the last month) and ``paused`` (gaps between)."""
    active = np.flatnonzero(counts > 0)
    if not len(active):
        return []
    first, last = int(active[0]), int(active[-1])
    out: list[RawChange] = []
    if first > 0:
        out.append(RawChange("started", first, first, round(float(counts[first]) / max(n_rws, 1), 3)))
    for start, end in _gaps(counts, first, last):
        if not _recurring(counts, start, end, first, last):
            out.append(RawChange("paused", start, end, float(end - start + 1)))
    if last < len(counts) - 1:
        out.append(RawChange("stopped", last + 1, len(counts) - 1, float(len(counts) - 1 - last)))
    return out


def _gaps(counts: FloatArray, first: int, last: int) -> list[tuple[int, int]]:
    """Runs of months without any report strictly between ``first`` and ``last``."""
    quiet = counts[first : last + 1] <= 0
    out: list[tuple[int, int]] = []
    start: int | None = None
    for offset, silent in enumerate(quiet):
        if silent and start is None:
            start = first + offset
        elif not silent and start is not None:
            out.append((start, first + offset - 1))
            start = None
    return out


def _recurring(counts: FloatArray, start: int, end: int, first: int, last: int) -> bool:
    """A gap whose every month is also silent a whole number of years away (a school holiday, say)."""
    for t in range(start, end + 1):
        others = [t + k for k in range(-120, 121, 12) if k and first <= t + k <= last]
        if not any(counts[o] <= 0 for o in others):
            return False
    return True


def level_tests(counts: FloatArray, sums: FloatArray, settings: MonitorSettings) -> Tested:
    """Robust z and relative change of each month's level against its trailing baseline."""
    level = np.divide(sums, counts, out=np.full(len(counts), np.nan), where=counts > 0)
    width = settings.baseline_months
    padded = np.concatenate([np.full(width, np.nan), level])
    windows = sliding_window_view(padded, width)[: len(level)]
    enough = np.sum(~np.isnan(windows), axis=1) >= settings.min_baseline
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(windows, axis=1)
        mad = np.nanmedian(np.abs(windows - median[:, None]), axis=1)
        reporting = np.maximum(counts, 1.0)
        # Poisson noise of the area total, at least that of POISSON_MIN_TOTAL counts (sparse areas).
        floor = np.sqrt(np.maximum(median * reporting, POISSON_MIN_TOTAL)) / reporting
        scale = np.fmax(np.maximum(MAD_TO_SD * mad, floor), _history_scale(level - median, settings))
        z = (level - median) / scale
        # Against a median of zero, the change is measured from one report in the area.
        relative = level / np.maximum(median, 1.0 / reporting) - 1.0
    tested = enough & ~np.isnan(level)
    return Tested(np.where(tested, z, np.nan), np.where(tested, relative, np.nan))


def _history_scale(deviation: FloatArray, settings: MonitorSettings) -> FloatArray:
    """Per month: 1.4826 x the median |deviation from the trailing median| of the months before.

    A smooth but wandering series (an economic covariate) has a narrow
    12-month window yet moves that far again and again; its own record of
    such moves is the yardstick. NaN until ``min_baseline`` earlier deviations exist.
    """
    width = settings.history_months
    padded = np.concatenate([np.full(width, np.nan), deviation])
    windows = sliding_window_view(padded, width)[: len(deviation)]
    enough = np.sum(~np.isnan(windows), axis=1) >= settings.min_baseline
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = MAD_TO_SD * np.nanmedian(np.abs(windows), axis=1)
    return np.where(enough, spread, np.nan)


def level_changes(tested: Tested, months: IntArray, settings: MonitorSettings) -> list[RawChange]:
    """Runs of at least ``min_run`` months beyond the thresholds in one direction."""
    z, rel = tested.z, tested.relative
    with np.errstate(invalid="ignore"):
        up = (z >= settings.z_threshold) & (rel >= settings.min_relative)
        down = (z <= -settings.z_threshold) & (rel <= -settings.min_relative)
    sign = np.where(up, 1, np.where(down, -1, 0))
    out: list[RawChange] = []
    for start, end in _runs(sign):
        if end - start + 1 < settings.min_run:
            continue
        size = round(float(np.mean(rel[start : end + 1])), 3)
        peak = float(z[start : end + 1][np.argmax(np.abs(z[start : end + 1]))])
        kind: SourceKind = "seasonal" if _seasonal(tested, months, start, end, settings) else "shift"
        out.append(RawChange(kind, start, end, size, round(peak, 2)))
    return out


def _runs(sign: IntArray) -> list[tuple[int, int]]:
    """Maximal runs of equal non-zero values: (first, last) positions."""
    out: list[tuple[int, int]] = []
    start = 0
    for t in range(1, len(sign) + 1):
        if t == len(sign) or sign[t] != sign[start]:
            if sign[start] != 0:
                out.append((start, t - 1))
            start = t
    return out


def _seasonal(tested: Tested, months: IntArray, start: int, end: int, settings: MonitorSettings) -> bool:
    """Every month of the run is a campaign month and an earlier year lifted the same months alike."""
    if any(int(m) % 12 + 1 not in settings.campaign_months for m in months[start : end + 1]):
        return False
    lift = 1.0 + float(np.mean(tested.relative[start : end + 1]))
    for years in range(1, 11):
        before = [t - 12 * years for t in range(start, end + 1) if t - 12 * years >= 0]
        earlier = tested.relative[before] if before else np.array([np.nan])
        if np.isnan(earlier).all():
            continue
        past = 1.0 + float(np.nanmean(earlier))
        same_side = (past - 1.0) * (lift - 1.0) > 0 and abs(past - 1.0) >= settings.min_relative / 2
        if same_side and 1.0 / settings.seasonal_ratio <= past / lift <= settings.seasonal_ratio:
            return True
    return False
