"""The loaded data folder: typed frames every other part of ews reads.

Conventions (fixed here so features, models and the API agree):

* ``regions``: one row per RW, sorted by ``rw_code``; text columns as
  ``string``, ``population``/``households`` int64, ``area_km2``, ``lat``,
  ``lon`` float64 (``lat``/``lon`` all-NaN when absent) and every further
  numeric column float64, listed in ``static_columns``.
* ``neighbors``: ``rw_code, neighbor_code`` (``string``) or ``None``.
* ``signals``: ``rw_code`` (``string``), ``month`` (int64 month index, see
  :mod:`ews.months`) and one float64 column per signal (NaN = not reported),
  listed in ``signal_columns``.
* ``cases``: ``case_id``, ``rw_code``, ``victim_key``, category columns
  (``string``, ``<NA>`` when empty), ``incident_date`` and ``reported_at``
  (datetime64[ns], NaT when empty), ``victim_age`` float64.
* ``case_events``: ``case_id``, ``event`` (``string``), ``at`` (datetime64[ns]),
  sorted by ``case_id, at`` with the file order kept among ties.
* ``checks``: ``rw_code``, ``outcome``, ``role`` (``string``), ``visit_date``
  (datetime64[ns]), sorted by ``visit_date, rw_code`` (file order among ties),
  or ``None`` when the folder has no checks file. A file with no rows is an
  empty frame, not ``None``: the feature columns follow the file, not its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ews.months import month_start


@dataclass(frozen=True)
class DataFolder:
    """An immutable view of one validated data folder."""

    regions: pd.DataFrame
    signals: pd.DataFrame
    cases: pd.DataFrame
    case_events: pd.DataFrame
    neighbors: pd.DataFrame | None = None
    static_columns: tuple[str, ...] = ()
    signal_columns: tuple[str, ...] = ()
    source: str = field(default="", compare=False)
    checks: pd.DataFrame | None = None

    @property
    def last_month(self) -> int:
        """The latest month any signal, case or event describes (month index)."""
        candidates = [int(self.signals["month"].max())] if len(self.signals) else []
        for frame, column in ((self.cases, "reported_at"), (self.case_events, "at")):
            if len(frame):
                stamp = frame[column].max()
                candidates.append(stamp.year * 12 + stamp.month - 1)
        return max(candidates)

    @property
    def first_month(self) -> int:
        """The earliest month any signal or case describes (month index)."""
        candidates = [int(self.signals["month"].min())] if len(self.signals) else []
        if len(self.cases):
            stamp = self.cases["reported_at"].min()
            candidates.append(stamp.year * 12 + stamp.month - 1)
        return min(candidates)


def known_as_of(folder: DataFolder, as_of: int) -> DataFolder:
    """The part of ``folder`` known as of month ``as_of`` (contract section 2).

    Signals for months before ``as_of``, cases reported before its first day,
    case events and officials' checks dated before its first day; regions and
    neighbours are static. A folder without checks stays without (``None``).
    """
    cutoff = month_start(as_of)
    cases = folder.cases[folder.cases["reported_at"] < cutoff]
    events = folder.case_events[folder.case_events["at"] < cutoff]
    checks = None if folder.checks is None else folder.checks[folder.checks["visit_date"] < cutoff]
    return replace(
        folder,
        signals=folder.signals[folder.signals["month"] < as_of].reset_index(drop=True),
        cases=cases.reset_index(drop=True),
        case_events=events.reset_index(drop=True),
        checks=None if checks is None else checks.reset_index(drop=True),
    )
