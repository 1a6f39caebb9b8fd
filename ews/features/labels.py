"""RW labels: did the RW get a case in the months after the as-of?

The label for as-of ``M`` and horizon ``H`` is 1 when the RW has at least one
case whose ``incident_date`` (``reported_at`` where it is empty) falls in
``[M, M + H)`` (contract section 2).

Late reporting: many cases reach UPTD PPA weeks or months after the
incident. With ``known_at=K`` a label counts only cases reported before
``K``'s first day, so labels of as-of months just before ``K`` miss the
incidents that will be reported later and read lower than they eventually
will. ``known_at`` keeps training honest (nothing reported after ``K`` is
used) but does not remove this bias: callers that need near-final labels
should leave a reporting lag between the last labelled window and ``K``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ews.data.folder import DataFolder
from ews.exceptions import TimeRuleError
from ews.features.panel import as_of_array, date_months, make_grid, prefix_counts, window_sum
from ews.features.rw import region_codes, rw_index
from ews.months import month_start


def rw_labels(
    folder: DataFolder,
    as_of_months: Sequence[int],
    horizon: int = 1,
    known_at: int | None = None,
) -> pd.Series:
    """Labels (int8, 0/1) indexed ``(as_of, rw_code)`` like the feature matrix.

    With ``known_at``: only cases reported before its first day count, and
    only as-of months whose window has ended by then (``as_of + horizon <=
    known_at``) are returned. See the module docstring for the late-reporting
    caveat.
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise TimeRuleError(f"label horizon {horizon!r} is not a whole number of months >= 1")
    as_of = as_of_array(as_of_months)
    cases = folder.cases
    if known_at is not None:
        known_at = int(as_of_array([known_at])[0])
        cases = cases[cases["reported_at"] < month_start(known_at)]
        as_of = as_of[as_of + horizon <= known_at]
    grid = make_grid(region_codes(folder), as_of, back=0, ahead=horizon)
    index = rw_index(as_of, grid.rw_codes)
    if len(as_of) == 0:
        return pd.Series(np.zeros(0, dtype=np.int8), index=index, name="label")
    incident = cases["incident_date"].fillna(cases["reported_at"])
    prefix = prefix_counts(grid, grid.rw_positions(cases["rw_code"]), date_months(incident))
    hits = window_sum(prefix, grid, int(horizon), start=0) > 0
    return pd.Series(hits.T.reshape(-1).astype(np.int8), index=index, name="label")


def label_window_signals(
    folder: DataFolder,
    as_of_months: Sequence[int],
    horizon: int = 1,
    known_at: int | None = None,
) -> pd.DataFrame:
    """Each signal's mean over the label window ``[M, M + H)``, indexed ``(as_of, rw_code)``.

    Privileged information for training only (``ews.models.distill``): what
    the RW's signals showed during the very months a label covers. It is
    never a feature, because as of ``M`` none of it is known. With
    ``known_at`` only signal months before it count (a window not yet seen
    is NaN), so a model trained as of ``K`` sees nothing from ``K`` onward.
    Columns are ``label_window_<signal>``; NaN where nothing was reported.
    """
    as_of = as_of_array(as_of_months)
    signals = folder.signals
    if known_at is not None:
        signals = signals[signals["month"] < int(as_of_array([known_at])[0])]
    columns = list(folder.signal_columns)
    keep = ["as_of", "rw_code", *columns]
    parts = [signals.assign(as_of=signals["month"] - offset)[keep] for offset in range(horizon)]
    frame = pd.concat(parts).astype({"rw_code": "str"}).groupby(["as_of", "rw_code"])[columns].mean()
    window = frame.reindex(rw_index(as_of, region_codes(folder)))
    return window.rename(columns=lambda name: f"label_window_{name}").astype(np.float64)
