"""Names and fixed order of the RW feature columns.

The column list depends only on the folder's signal and static column names
and on whether it has a checks file, never on the rows, so a folder cut with
``known_as_of`` gives the same columns as the full folder, and training and
scoring agree. A folder without checks has exactly the columns it had before
checks were read.
"""

from __future__ import annotations

from typing import Final

from ews.data.schema import VICTIM_GROUPS, VIOLENCE_TYPES

# Caps (months since a case, months on record) are set to this many months.
LOOKBACK: Final = 36
# Every feature looks back at most this many months: hot spots persist for
# years, so the long windows estimate an RW's own base rate.
LONG_LOOKBACK: Final = 60
CASE_WINDOWS: Final = (1, 3, 6, 12, 24, 36, 60)
CATEGORY_WINDOW: Final = 12
REPEAT_WINDOWS: Final = (12, 24)
NEIGHBOR_WINDOWS: Final = (1, 3, 12)
KELURAHAN_WINDOWS: Final = (3, 12)
KECAMATAN_WINDOWS: Final = (12,)
# Near-repeat weighting: a month further back counts DECAY times as much, up to DECAY_LAGS months.
DECAY: Final = 0.5
DECAY_LAGS: Final = 6
# Empirical-Bayes prior weight, in months of the RW's own history: an RW with
# this many months of data counts half its own rate, half its kelurahan's.
PRIOR_MONTHS: Final = 12.0
LONG_RUN_COLUMNS: Final = ("log_case_rate_longrun", "log_kel_rate_longrun", "history_months")
REOPEN_WINDOW: Final = 12
# A ratio with an empty 12-month baseline is shown as this (no inf in the matrix).
RATIO_CAP: Final = 10.0

SIGNAL_PREFIX: Final = "signal__"
REGION_PREFIX: Final = "region__"
CHECK_PREFIX: Final = "checks__"
# Officials' checks count over the 12 months before the as-of month.
CHECK_WINDOW: Final = 12
# ratio_3_12: mean of the last 3 months over the mean of the 12 months before them.
SIGNAL_STATS: Final = (
    "last",
    "mean3",
    "mean12",
    "mean36",
    "ratio_3_12",
    "trend",
    "decay",
    "per_1000",
    "reported_share12",
    "missing_last",
    "months_since_start",
    "months_since_last",
)


def case_columns() -> list[str]:
    """Counts of the RW's own past cases (by report date)."""
    columns = [f"cases_{w}m" for w in CASE_WINDOWS]
    columns += [f"cases_{CATEGORY_WINDOW}m_{t}" for t in VIOLENCE_TYPES]
    columns += [f"cases_{CATEGORY_WINDOW}m_{g}" for g in VICTIM_GROUPS]
    columns += [f"repeat_cases_{w}m" for w in REPEAT_WINDOWS]
    return [*columns, "months_since_case", "cases_decay", "open_cases", f"reopened_{REOPEN_WINDOW}m"]


def pooled_columns() -> list[str]:
    """Counts borrowed from neighbouring RWs, the kelurahan and the kecamatan."""
    columns = [f"nbr_cases_{w}m" for w in NEIGHBOR_WINDOWS] + ["nbr_cases_decay", "nbr_count"]
    columns += [f"kel_cases_{w}m" for w in KELURAHAN_WINDOWS]
    columns += [f"kel_cases_{KELURAHAN_WINDOWS[-1]}m_per_1000"]
    columns += [f"kec_cases_{w}m" for w in KECAMATAN_WINDOWS]
    return [*columns, f"kec_cases_{KECAMATAN_WINDOWS[-1]}m_per_1000", *LONG_RUN_COLUMNS]


def signal_column(signal: str, stat: str) -> str:
    """The feature name of one statistic of one signal."""
    return f"{SIGNAL_PREFIX}{signal}__{stat}"


def signal_columns(signals: tuple[str, ...]) -> list[str]:
    """Every statistic of every signal, signal by signal in folder order."""
    return [signal_column(s, stat) for s in signals for stat in SIGNAL_STATS]


def static_columns(static: tuple[str, ...]) -> list[str]:
    """Region attributes and calendar features."""
    extra = [f"{REGION_PREFIX}{c}" for c in static]
    return [*extra, "log_population", "log_density", "month_sin", "month_cos"]


def check_column(stat: str) -> str:
    """The feature name of one statistic of officials' checks."""
    return f"{CHECK_PREFIX}{stat}"


def check_columns() -> list[str]:
    """Officials' checks of the RW: carried out, concerns found, found safe; months since a concern."""
    windowed = [check_column(f"{kind}_{CHECK_WINDOW}m") for kind in ("checked", "concern", "safe")]
    return [*windowed, check_column("months_since_concern")]


def feature_columns(signals: tuple[str, ...], static: tuple[str, ...], checks: bool = False) -> list[str]:
    """The full, ordered column list of :func:`ews.features.rw.build_rw_features`.

    ``checks``: whether the folder has a checks file (its columns then come last).
    """
    columns = [*case_columns(), *pooled_columns(), *signal_columns(signals), *static_columns(static)]
    return [*columns, *check_columns()] if checks else columns
