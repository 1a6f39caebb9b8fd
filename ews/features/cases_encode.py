"""Numeric encoding of one row per (as-of, case): the single feature function.

Batch scoring, training and the one-case API payload all hand a mapping of
raw arrays (:data:`RAW_NUMERIC` plus the category columns) to
:func:`encode_case_features`, so a case gets the same numbers whichever way
it arrives. Categories become one-hot columns in the fixed order of
:mod:`ews.data.schema`, plus an ``other`` column for a category the case
system added later; an empty value sets no column. One-hot rather than native
categoricals, because SHAP on native categoricals is silently wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ews.data.schema import CHANNELS, PERPETRATOR_RELATIONS, PLACES, VICTIM_GROUPS, VIOLENCE_TYPES

FloatArray = npt.NDArray[np.float64]
OTHER: Final = "other"
SEPARATOR: Final = "__"

CATEGORY_GROUPS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("violence_type", VIOLENCE_TYPES),
    ("victim_group", VICTIM_GROUPS),
    ("perpetrator_relation", PERPETRATOR_RELATIONS),
    ("place", PLACES),
    ("channel", CHANNELS),
)

# Raw day numbers and counts the encoder reads; NaN means unknown.
RAW_NUMERIC: Final = (
    "as_of_day",
    "closed_day",
    "reported_day",
    "incident_day",
    "open_days",
    "reopened_before",
    "victim_age",
    "victim_earlier_cases",
    "victim_cases_since",
    "rw_cases_90d",
    "rw_cases_365d",
    "rw_reopened_365d",
)

NUMERIC_FEATURES: Final = (
    "days_since_closed",
    "days_open",
    "times_reopened",
    "report_delay_days",
    "victim_age",
    "victim_earlier_cases",
    "victim_cases_since",
    "rw_cases_90d",
    "rw_cases_365d",
    "rw_reopened_365d",
)


def category_column(group: str, value: str) -> str:
    """The one-hot column name of one category value, e.g. ``perpetrator_relation__pasangan``."""
    return f"{group}{SEPARATOR}{value}"


def _category_features() -> tuple[str, ...]:
    return tuple(category_column(g, v) for g, values in CATEGORY_GROUPS for v in (*values, OTHER))


CASE_FEATURES: Final = (*NUMERIC_FEATURES, *_category_features())


def one_hot(values: npt.NDArray[Any], categories: tuple[str, ...]) -> FloatArray:
    """Columns for ``categories`` then ``other``; None/empty sets no column."""
    # pd.NA would poison the comparison below, so anything that is not text becomes "".
    clean = np.array([v if isinstance(v, str) else "" for v in values], dtype=object)
    present = np.asarray(clean != "", dtype=bool)
    known = np.asarray(clean[:, None] == np.asarray(categories, dtype=object)[None, :], dtype=bool)
    other = present & ~known.any(axis=1)
    return np.column_stack([known, other]).astype(np.float64)


def _numeric_block(raw: Mapping[str, npt.NDArray[Any]]) -> FloatArray:
    def col(name: str) -> FloatArray:
        return np.asarray(raw[name], dtype=np.float64)

    return np.column_stack(
        [
            col("as_of_day") - col("closed_day"),
            col("open_days"),
            col("reopened_before"),
            col("reported_day") - col("incident_day"),
            *(col(name) for name in NUMERIC_FEATURES[4:]),
        ]
    )


def encode_case_features(raw: Mapping[str, npt.NDArray[Any]]) -> FloatArray:
    """The model matrix, columns in :data:`CASE_FEATURES` order, from raw per-row arrays."""
    blocks = [_numeric_block(raw)]
    blocks += [one_hot(np.asarray(raw[group], dtype=object), values) for group, values in CATEGORY_GROUPS]
    return np.hstack(blocks)


def _category_index() -> dict[str, tuple[dict[str, int], int]]:
    """Per group: the column of each known value and the group's ``other`` column."""
    out: dict[str, tuple[dict[str, int], int]] = {}
    column = len(NUMERIC_FEATURES)
    for group, values in CATEGORY_GROUPS:
        out[group] = ({value: column + i for i, value in enumerate(values)}, column + len(values))
        column += len(values) + 1
    return out


_CATEGORY_INDEX: Final = _category_index()


def encode_case_row(raw: Mapping[str, float], categories: Mapping[str, object]) -> FloatArray:
    """:func:`encode_case_features` of one row given as plain numbers and category values.

    The same numbers (tests compare the two on random rows), without a numpy array per
    column: the live scorer's path. ``raw`` holds the :data:`RAW_NUMERIC` values (NaN for
    unknown), ``categories`` each group's value (None, empty or not text: no column).
    """
    row = np.zeros((1, len(CASE_FEATURES)), dtype=np.float64)
    numeric: Sequence[float] = (
        float(raw["as_of_day"]) - float(raw["closed_day"]),
        float(raw["open_days"]),
        float(raw["reopened_before"]),
        float(raw["reported_day"]) - float(raw["incident_day"]),
        *(float(raw[name]) for name in NUMERIC_FEATURES[4:]),
    )
    row[0, : len(numeric)] = numeric
    for group, (known, other) in _CATEGORY_INDEX.items():
        value = categories[group]
        if isinstance(value, str) and value != "":
            row[0, known.get(value, other)] = 1.0
    return row
