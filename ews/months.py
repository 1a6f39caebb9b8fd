"""Calendar months as integers, so time arithmetic stays vectorised.

A month is ``year * 12 + (month - 1)``: ``2024-01`` is 24288. The as-of date
of the contract is the first day of a month, so an as-of month and a data
month share this representation.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.exceptions import TimeRuleError

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> int:
    """Parse ``YYYY-MM`` into a month index; raise ``TimeRuleError`` naming the value."""
    match = _MONTH_RE.match(str(text).strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise TimeRuleError(f"month {text!r} is not a calendar month written YYYY-MM (e.g. 2024-03)")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def format_month(index: int) -> str:
    """Format a month index as ``YYYY-MM``."""
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_start(index: int) -> pd.Timestamp:
    """The first day of the month (the as-of date)."""
    year, month0 = divmod(int(index), 12)
    return pd.Timestamp(year=year, month=month0 + 1, day=1)


def months_of_dates(dates: pd.Series) -> npt.NDArray[np.int64]:
    """Month index of each datetime in ``dates`` (NaT gives -1)."""
    values = pd.to_datetime(dates)
    out = (values.dt.year * 12 + values.dt.month - 1).to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(out), -1, out).astype(np.int64)


def parse_month_series(values: pd.Series) -> pd.Series:
    """Vectorised ``YYYY-MM`` parsing; unparseable entries become ``<NA>``."""
    parts = values.astype("string").str.strip().str.extract(r"^(\d{4})-(\d{2})$")
    year = pd.to_numeric(parts[0], errors="coerce")
    month = pd.to_numeric(parts[1], errors="coerce")
    month = month.where((month >= 1) & (month <= 12))
    return (year * 12 + month - 1).astype("Int64")
