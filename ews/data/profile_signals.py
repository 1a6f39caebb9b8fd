"""One signal column's profile: when it has data, its gaps, and how much of the RW x month grid it fills.

Split from :mod:`ews.data.profile` (which profiles the whole folder and words
the warnings); :func:`signal_profiles` is one groupby over the signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.folder import DataFolder
from ews.months import format_month

# A pause shorter than a quarter is ordinary reporting lag; three months is a source that stopped.
GAP_MONTHS: Final = 3
# Above this share of empty RW-months (while the source runs) a signal covers fewer RWs than it skips.
SPARSE_SHARE: Final = 0.5

IntArray = npt.NDArray[np.int64]
Gap = tuple[int, int]


@dataclass(frozen=True)
class SignalProfile:
    """When one signal column has data, and how much of the RW x month grid it fills.

    Months are month indexes (:mod:`ews.months`). ``missing_share`` is over every
    RW of regions and every month of the folder's signal span;
    ``active_missing_share`` only over the months from ``first_month`` to
    ``last_month``. ``gaps`` are runs of at least ``GAP_MONTHS`` months inside
    that range in which no RW has a value, as inclusive ``(from, to)`` months.
    """

    column: str
    first_month: int | None
    last_month: int | None
    gaps: tuple[Gap, ...]
    missing_share: float
    active_missing_share: float
    distinct_values: int
    constant_value: float | None
    empty: bool
    constant: bool
    starts_late: bool
    lapses: bool

    @property
    def sparse(self) -> bool:
        """Most RW-months are empty even while the source runs (it covers a minority of RWs)."""
        return not self.empty and self.active_missing_share > SPARSE_SHARE

    def notes(self) -> list[str]:
        """Short labels for the Markdown table (``starts late``, ``2 gaps``, ...)."""
        flags = [
            (self.empty, "empty"),
            (self.constant, f"constant ({number_text(self.constant_value)})"),
            (self.starts_late, "starts late"),
            (self.lapses, "lapses"),
            (self.sparse, "sparse"),
        ]
        return [text for flag, text in flags if flag]

    def warnings(self, folder_first: int | None, folder_last: int | None) -> list[str]:
        """One sentence per property worth knowing, naming the column and the months."""
        name = f"signal {self.column!r}"
        if self.empty or self.first_month is None or self.last_month is None:
            return [f"{name} is empty: no RW reports it in any month"]
        out = []
        if self.constant:
            out.append(f"{name} is constant: every reported value is {number_text(self.constant_value)}")
        if self.starts_late and folder_first is not None:
            out.append(
                f"{name} starts late: first data {format_month(self.first_month)} "
                f"(the folder's signals start {format_month(folder_first)})"
            )
        if self.lapses and folder_last is not None:
            out.append(
                f"{name} lapses: last data {format_month(self.last_month)} "
                f"(the folder's signals run to {format_month(folder_last)})"
            )
        out.extend(f"{name} has no data from {span_text(start, end)}" for start, end in self.gaps)
        if self.sparse:
            out.append(
                f"{name} is missing for {self.active_missing_share:.0%} of RW-months "
                f"from {format_month(self.first_month)} to {format_month(self.last_month)}"
            )
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable, months as ``YYYY-MM``."""
        return {
            "column": self.column,
            "first_month": month_or_none(self.first_month),
            "last_month": month_or_none(self.last_month),
            "gaps": [[format_month(start), format_month(end)] for start, end in self.gaps],
            "missing_share": round(self.missing_share, 6),
            "active_missing_share": round(self.active_missing_share, 6),
            "distinct_values": self.distinct_values,
            "constant_value": self.constant_value,
            "empty": self.empty,
            "constant": self.constant,
            "starts_late": self.starts_late,
            "lapses": self.lapses,
            "sparse": self.sparse,
        }


def signal_profiles(folder: DataFolder, first: int | None, last: int | None) -> tuple[SignalProfile, ...]:
    """Profile every signal column from one month x column table of non-missing counts."""
    columns = list(folder.signal_columns)
    if not columns:
        return ()
    months = np.arange(first, last + 1, dtype=np.int64) if first is not None and last is not None else None
    if months is None:
        counts = pd.DataFrame(0, index=pd.Index([], dtype="int64"), columns=columns)
    else:
        counts = folder.signals.groupby("month")[columns].count().reindex(months, fill_value=0)
    values = folder.signals[columns]
    distinct = values.nunique()
    grid = len(folder.regions) * len(counts)
    return tuple(
        _signal_profile(
            column,
            counts[column].to_numpy(dtype=np.int64),
            counts.index.to_numpy(dtype=np.int64),
            len(folder.regions),
            grid,
            int(distinct[column]),
            values[column],
        )
        for column in columns
    )


def _signal_profile(
    column: str,
    counts: IntArray,
    months: IntArray,
    rw_count: int,
    grid: int,
    distinct: int,
    values: pd.Series,
) -> SignalProfile:
    """One column's profile from its per-month count of RWs with a value."""
    present = np.flatnonzero(counts > 0)
    constant_value = float(values.dropna().iloc[0]) if distinct == 1 else None
    if not present.size:
        return SignalProfile(column, None, None, (), 1.0, 1.0, 0, None, True, False, False, False)
    lo, hi = int(present[0]), int(present[-1])
    active = counts[lo : hi + 1]
    return SignalProfile(
        column=column,
        first_month=int(months[lo]),
        last_month=int(months[hi]),
        gaps=_gaps(active == 0, int(months[lo])),
        missing_share=_missing(int(counts.sum()), grid),
        active_missing_share=_missing(int(active.sum()), rw_count * len(active)),
        distinct_values=distinct,
        constant_value=constant_value,
        empty=False,
        constant=distinct == 1,
        starts_late=lo > 0,
        lapses=hi < len(counts) - 1,
    )


def _gaps(empty: npt.NDArray[np.bool_], start: int) -> tuple[Gap, ...]:
    """Runs of at least ``GAP_MONTHS`` empty months, as inclusive month ranges (``start`` is month 0)."""
    edges = np.diff(np.concatenate([[0], empty.astype(np.int8), [0]]))
    begins = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    keep = ends - begins + 1 >= GAP_MONTHS
    return tuple((start + int(b), start + int(e)) for b, e in zip(begins[keep], ends[keep], strict=True))


def _missing(filled: int, cells: int) -> float:
    """The empty share of ``cells``; clipped, since an unvalidated folder may hold RWs outside regions."""
    if cells <= 0:
        return 1.0
    return float(min(max(1.0 - filled / cells, 0.0), 1.0))


def table_row(signal: SignalProfile) -> str:
    gaps = ", ".join(f"{format_month(a)} to {format_month(b)}" for a, b in signal.gaps)
    cells = [
        signal.column.replace("|", "\\|"),
        month_or_none(signal.first_month) or "-",
        month_or_none(signal.last_month) or "-",
        f"{signal.missing_share:.1%}",
        gaps or "-",
        ", ".join(signal.notes()) or "-",
    ]
    return "| " + " | ".join(cells) + " |"


def span_text(start: int, end: int) -> str:
    return f"{format_month(start)} to {format_month(end)} ({plural(end - start + 1, 'month')})"


def plural(count: int, noun: str, plural: str | None = None) -> str:
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"


def number_text(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def month_or_none(month: int | None) -> str | None:
    return None if month is None else format_month(month)
