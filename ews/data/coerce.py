"""Vectorised parsing of raw columns, shared by validation and loading.

Each parser returns the parsed values and a mask of cells that are present
but do not parse, so validation reports exactly what loading would
otherwise turn into NaN. Loading trusts validation: whatever these accept,
:mod:`ews.data.load` converts to the same value.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api import types as ptypes

from ews.months import parse_month_series

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
StaticKind = Literal["static", "text", "empty", "mostly_numeric"]


def as_text(values: pd.Series) -> pd.Series:
    """Values as stripped ``string`` (numbers stored in Parquet become their text)."""
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def as_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float64 values, mask of present cells that are not finite numbers)."""
    if ptypes.is_bool_dtype(values) or ptypes.is_numeric_dtype(values):
        numbers = values.astype("float64")
        present = values.notna()
    elif ptypes.is_string_dtype(values) or ptypes.is_object_dtype(values):
        numbers, present = _parse_numbers(values)
    else:  # dates or other typed Parquet columns are not numbers
        numbers, present = pd.Series(np.nan, index=values.index), values.notna()
    bad = present & ~np.isfinite(numbers.fillna(0.0))
    bad |= present & numbers.isna()
    return (numbers.where(~bad) if bad.any() else numbers), bad


def _parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    # Arrow's C++ cast is ~30x faster than to_numeric but all-or-nothing: use it
    # when every cell parses, and let to_numeric find the bad (or padded) cells otherwise.
    import pyarrow as pa

    try:
        cast = pa.array(values, type=pa.large_string(), from_pandas=True).cast(pa.float64())
        numbers = pd.Series(cast.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")
        return numbers, values.notna()
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        text = as_text(values)
        return pd.to_numeric(text, errors="coerce").astype("float64"), text.notna()


def positions(values: pd.Series, index: pd.Index) -> npt.NDArray[np.int64]:
    """Position of each value in ``index`` (-1 when absent or missing), over distinct values only."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    found = pd.Index(index.to_numpy(dtype=object), dtype=object).get_indexer(
        np.asarray(uniques, dtype=object)
    )
    return np.append(found, -1).astype(np.int64)[codes]


def is_in(values: pd.Series, allowed: object) -> npt.NDArray[np.bool_]:
    """``values.isin(allowed)`` computed over the distinct values only (codes repeat a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # Object arrays take pandas' hash-table path; Arrow-backed isin loops in Python.
    pool = np.asarray(allowed, dtype=object)
    hit = np.asarray(pd.Index(np.asarray(uniques, dtype=object), dtype=object).isin(pool), dtype=bool)
    return np.append(hit, False)[codes]


def as_integer(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(float64 values, mask of non-numbers, mask of numbers with a fraction)."""
    numbers, bad = as_number(values)
    fraction = numbers.notna() & (numbers != np.floor(numbers.fillna(0.0)))
    return numbers, bad, fraction


def as_date(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(datetime64[ns] values, mask of present cells that are not dates YYYY-MM-DD)."""
    if ptypes.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]"), pd.Series(False, index=values.index)
    text = as_text(values)
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    shaped = text.str.fullmatch(DATE_PATTERN).fillna(False).astype(bool)
    bad = text.notna() & (~shaped | dates.isna())
    return dates.where(~bad), bad


def as_month(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Int64 month index, mask of present cells that are not months YYYY-MM)."""
    text = as_text(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = parse_month_series(pd.Series(uniques, dtype="string")).to_numpy(dtype="float64", na_value=np.nan)
    months = pd.Series(np.append(parsed, np.nan)[codes], index=values.index).astype("Int64")
    return months, text.notna() & months.isna()


def static_kind(values: pd.Series) -> StaticKind:
    """How a regions column outside the contract is read.

    All present values numeric: a static attribute. Nothing present, or
    mostly text: ignored (a name or note column). Mostly numeric with a few
    text cells: a broken static attribute, so those cells are errors rather
    than the whole column silently disappearing.
    """
    present = int(values.notna().sum())
    if present == 0:
        return "empty"
    bad = int(as_number(values)[1].sum())
    if bad == 0:
        return "static"
    return "mostly_numeric" if bad < present / 2 else "text"
