"""RW features from officials' checks (the optional ``checks`` file), known as of each month.

A check counts by the month of its ``visit_date``: known as of ``M`` only once
visited before ``M``'s first day, and a visit month ``< M`` is exactly that.
Only RWs someone chose to check have outcomes (selective labels): a zero
here means "not checked", not "checked and found nothing", which is why
checks carried out and outcomes are separate columns.
"""

from __future__ import annotations

import numpy as np

from ews.data.folder import DataFolder
from ews.data.schema import CHECK_CONCERNS
from ews.features import names
from ews.features.panel import FloatArray, Grid, date_months, months_since, prefix_counts, window_sum

Block = dict[str, FloatArray]
NOT_CHECKABLE = "tidak_dapat_dicek"
SAFE = "sudah_dicek_aman"


def check_features(folder: DataFolder, grid: Grid) -> Block:
    """Checks carried out, concerns found and safe outcomes in the window, and months since a concern.

    Nothing for a folder without a checks file (the columns follow the file, not its rows).
    """
    if folder.checks is None:
        return {}
    rows = grid.rw_positions(folder.checks["rw_code"])
    months = date_months(folder.checks["visit_date"])
    outcome = folder.checks["outcome"].astype(str).to_numpy()
    kinds = {
        "checked": outcome != NOT_CHECKABLE,
        "concern": np.isin(outcome, list(CHECK_CONCERNS)),
        "safe": outcome == SAFE,
    }
    prefixes = {
        kind: prefix_counts(grid, rows, months, mask.astype(np.float64)) for kind, mask in kinds.items()
    }
    window = names.CHECK_WINDOW
    out = {
        names.check_column(f"{kind}_{window}m"): window_sum(p, grid, window) for kind, p in prefixes.items()
    }
    out[names.check_column("months_since_concern")] = months_since(prefixes["concern"], grid, names.LOOKBACK)
    return out
