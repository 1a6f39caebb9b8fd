"""What a valid data folder holds over time, for the analyst and the model card.

Real folders are valid but uneven (contract section 1, "Real folders"): a
signal source starts late, lapses, pauses for months or stays empty; the
history is short; cases keep arriving after the last signal month; there is
no ``neighbors`` file, no ``case_events`` row, a single kota. ews works on all
of them, but the analyst should know what the model had to work with, so
``profile_folder`` measures these properties once (vectorised: one groupby
over the signals, no loop over rows) and :class:`FolderProfile` words them as
warnings (``ews validate``), a Markdown section (model card) and a dict
(MLflow artifact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ews.data.folder import DataFolder
from ews.months import format_month, months_of_dates

# A pause shorter than a quarter is ordinary reporting lag; three months is a source that stopped.
GAP_MONTHS: Final = 3
# Two years give a warm-up year and a year of backtest folds; shorter histories get fewer of both.
SHORT_HISTORY_MONTHS: Final = 24
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
            (self.constant, f"constant ({_number(self.constant_value)})"),
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
            out.append(f"{name} is constant: every reported value is {_number(self.constant_value)}")
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
        out.extend(f"{name} has no data from {_span(start, end)}" for start, end in self.gaps)
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
            "first_month": _month_or_none(self.first_month),
            "last_month": _month_or_none(self.last_month),
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


@dataclass(frozen=True)
class FolderProfile:
    """The folder-level facts and one :class:`SignalProfile` per signal column.

    ``history_months`` spans signals and case reports together, first to last
    month inclusive. ``neighbor_source`` says where neighbours come from, as
    ``ews.features.neighbors`` decides: ``neighbors file``, ``lat/lon``,
    ``kelurahan`` or ``lat/lon and kelurahan`` (some RWs lack lat/lon).
    """

    rw_count: int
    kota_codes: tuple[str, ...]
    kota_names: tuple[str, ...]
    first_signal_month: int | None
    last_signal_month: int | None
    signal_month_count: int
    first_case_month: int | None
    last_case_month: int | None
    case_count: int
    cases_after_signals: int
    months_cases_past_signals: int
    first_month: int | None
    last_month: int | None
    history_months: int
    neighbors_absent: bool
    neighbor_source: str
    rws_without_location: int
    case_event_count: int
    signals: tuple[SignalProfile, ...]

    @property
    def kota_count(self) -> int:
        """How many distinct kota the regions hold."""
        return len(self.kota_codes)

    @property
    def case_events_empty(self) -> bool:
        """No status change at all: no case is ever closed, so none can be reopened."""
        return self.case_event_count == 0

    def warnings(self) -> list[str]:
        """One plain sentence per property worth knowing: folder-wide first, then per signal."""
        folder = [
            self._history_warning(),
            self._late_cases_warning(),
            self._events_warning(),
            self._neighbors_warning(),
            self._kota_warning(),
        ]
        per_signal = [
            text
            for signal in self.signals
            for text in signal.warnings(self.first_signal_month, self.last_signal_month)
        ]
        return [text for text in folder if text] + per_signal

    def overview(self) -> str:
        """One line: RWs, kota, the signal span and columns, the cases."""
        signals = (
            f"signals {format_month(self.first_signal_month)} to {format_month(self.last_signal_month)} "
            f"({_plural(self.signal_month_count, 'month')}, {_plural(len(self.signals), 'column')})"
            if self.first_signal_month is not None and self.last_signal_month is not None
            else "no signal rows"
        )
        cases = (
            f"{_plural(self.case_count, 'case')} reported "
            f"{format_month(self.first_case_month)} to {format_month(self.last_case_month)}"
            if self.first_case_month is not None and self.last_case_month is not None
            else "no cases"
        )
        return (
            f"{_plural(self.rw_count, 'RW')} in {_plural(self.kota_count, 'kota', 'kota')}; {signals}; "
            f"{cases}; {_plural(self.case_event_count, 'case event')}; neighbours from {self.neighbor_source}"
        )

    def markdown(self) -> str:
        """A ``## Data profile`` section for the model card: overview, signal table, warnings."""
        lines = ["## Data profile", "", self.overview() + ".", ""]
        lines += [
            "| signal | first month | last month | missing | gaps | notes |",
            "|---|---|---|---|---|---|",
        ]
        lines += [_table_row(signal) for signal in self.signals]
        warnings = self.warnings()
        if warnings:
            lines += ["", "Worth knowing:", ""] + [f"- {text}" for text in warnings]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable (months as ``YYYY-MM``), warnings included, for an MLflow artifact."""
        return {
            "rw_count": self.rw_count,
            "kota_count": self.kota_count,
            "kota_codes": list(self.kota_codes),
            "first_signal_month": _month_or_none(self.first_signal_month),
            "last_signal_month": _month_or_none(self.last_signal_month),
            "signal_month_count": self.signal_month_count,
            "first_case_month": _month_or_none(self.first_case_month),
            "last_case_month": _month_or_none(self.last_case_month),
            "case_count": self.case_count,
            "cases_after_signals": self.cases_after_signals,
            "months_cases_past_signals": self.months_cases_past_signals,
            "first_month": _month_or_none(self.first_month),
            "last_month": _month_or_none(self.last_month),
            "history_months": self.history_months,
            "neighbors_absent": self.neighbors_absent,
            "neighbor_source": self.neighbor_source,
            "rws_without_location": self.rws_without_location,
            "case_event_count": self.case_event_count,
            "case_events_empty": self.case_events_empty,
            "signals": [signal.as_dict() for signal in self.signals],
            "warnings": self.warnings(),
        }

    def _history_warning(self) -> str:
        if self.first_month is None or self.last_month is None:
            return ""
        if self.history_months >= SHORT_HISTORY_MONTHS:
            return ""
        return (
            f"the folder holds {_plural(self.history_months, 'month')} of history "
            f"({format_month(self.first_month)} to {format_month(self.last_month)}): "
            f"fewer than {SHORT_HISTORY_MONTHS}, so the backtest may use fewer folds or a shorter warm-up"
        )

    def _late_cases_warning(self) -> str:
        if not self.cases_after_signals or self.last_signal_month is None or self.last_case_month is None:
            return ""
        verb = "was" if self.cases_after_signals == 1 else "were"
        return (
            f"{_plural(self.cases_after_signals, 'case')} {verb} reported after the last signal month "
            f"{format_month(self.last_signal_month)} (up to {format_month(self.last_case_month)}, "
            f"{_plural(self.months_cases_past_signals, 'month')} later)"
        )

    def _events_warning(self) -> str:
        if not self.case_events_empty:
            return ""
        return "case_events has no rows: no case is ever closed, so the case-reopen model cannot be trained"

    def _neighbors_warning(self) -> str:
        if not self.neighbors_absent:
            return ""
        if self.neighbor_source == "lat/lon":
            return "no neighbors file: neighbours are the nearest RWs by lat/lon"
        if self.neighbor_source == "kelurahan":
            return "no neighbors file and no lat/lon: neighbours are the RWs of the same kelurahan"
        return (
            "no neighbors file: neighbours are the nearest RWs by lat/lon, and the RWs of the same "
            f"kelurahan for the {_plural(self.rws_without_location, 'RW')} without lat/lon"
        )

    def _kota_warning(self) -> str:
        if self.kota_count != 1:
            return ""
        name = f" {self.kota_names[0]}" if self.kota_names and self.kota_names[0] else ""
        return f"one kota only ({self.kota_codes[0]}{name}): comparisons between kota have a single group"


def profile_folder(folder: DataFolder) -> FolderProfile:
    """Measure ``folder`` (a loaded, valid folder) for :class:`FolderProfile`."""
    signal_months = folder.signals["month"].to_numpy(dtype=np.int64)
    first_signal, last_signal = _bounds(signal_months)
    case_months = months_of_dates(folder.cases["reported_at"])
    case_months = case_months[case_months >= 0]
    first_case, last_case = _bounds(case_months)
    late = case_months[case_months > last_signal] if last_signal is not None else case_months[:0]
    first, last = _bounds(np.concatenate([signal_months, case_months]))
    located = folder.regions["lat"].notna() & folder.regions["lon"].notna()
    kota_codes, kota_names = _kota(folder.regions)
    return FolderProfile(
        rw_count=len(folder.regions),
        kota_codes=kota_codes,
        kota_names=kota_names,
        first_signal_month=first_signal,
        last_signal_month=last_signal,
        signal_month_count=_span_length(first_signal, last_signal),
        first_case_month=first_case,
        last_case_month=last_case,
        case_count=len(folder.cases),
        cases_after_signals=len(late),
        months_cases_past_signals=_months_past(late, last_signal),
        first_month=first,
        last_month=last,
        history_months=_span_length(first, last),
        neighbors_absent=folder.neighbors is None,
        neighbor_source=_neighbor_source(folder.neighbors is not None, int(located.sum()), len(located)),
        rws_without_location=int((~located).sum()),
        case_event_count=len(folder.case_events),
        signals=_signal_profiles(folder, first_signal, last_signal),
    )


def _signal_profiles(folder: DataFolder, first: int | None, last: int | None) -> tuple[SignalProfile, ...]:
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


def _bounds(months: IntArray) -> tuple[int | None, int | None]:
    if not len(months):
        return None, None
    return int(months.min()), int(months.max())


def _months_past(late: IntArray, last_signal: int | None) -> int:
    """How far past the last signal month the latest case report lies (0 when none does)."""
    return int(late.max()) - last_signal if len(late) and last_signal is not None else 0


def _span_length(first: int | None, last: int | None) -> int:
    return 0 if first is None or last is None else last - first + 1


def _kota(regions: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Distinct kota codes (sorted) and the first name given for each ("" when none)."""
    named = regions[["kota_code", "kota_name"]].dropna(subset=["kota_code"])
    names = named.groupby("kota_code", sort=True)["kota_name"].first()
    return tuple(str(code) for code in names.index), tuple("" if pd.isna(n) else str(n) for n in names)


def _neighbor_source(has_file: bool, located: int, rws: int) -> str:
    """Where ``ews.features.neighbors`` takes neighbours from for this folder."""
    if has_file:
        return "neighbors file"
    if located == rws:
        return "lat/lon"
    return "kelurahan" if located == 0 else "lat/lon and kelurahan"


def _table_row(signal: SignalProfile) -> str:
    gaps = ", ".join(f"{format_month(a)} to {format_month(b)}" for a, b in signal.gaps)
    cells = [
        signal.column.replace("|", "\\|"),
        _month_or_none(signal.first_month) or "-",
        _month_or_none(signal.last_month) or "-",
        f"{signal.missing_share:.1%}",
        gaps or "-",
        ", ".join(signal.notes()) or "-",
    ]
    return "| " + " | ".join(cells) + " |"


def _span(start: int, end: int) -> str:
    return f"{format_month(start)} to {format_month(end)} ({_plural(end - start + 1, 'month')})"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _month_or_none(month: int | None) -> str | None:
    return None if month is None else format_month(month)
