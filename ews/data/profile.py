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
import pandas as pd

from ews.data.folder import DataFolder
from ews.data.profile_signals import (
    IntArray,
    SignalProfile,
    month_or_none,
    plural,
    signal_profiles,
    table_row,
)
from ews.months import format_month, months_of_dates

# Two years give a warm-up year and a year of backtest folds; shorter histories get fewer of both.
SHORT_HISTORY_MONTHS: Final = 24


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
            f"({plural(self.signal_month_count, 'month')}, {plural(len(self.signals), 'column')})"
            if self.first_signal_month is not None and self.last_signal_month is not None
            else "no signal rows"
        )
        cases = (
            f"{plural(self.case_count, 'case')} reported "
            f"{format_month(self.first_case_month)} to {format_month(self.last_case_month)}"
            if self.first_case_month is not None and self.last_case_month is not None
            else "no cases"
        )
        return (
            f"{plural(self.rw_count, 'RW')} in {plural(self.kota_count, 'kota', 'kota')}; {signals}; "
            f"{cases}; {plural(self.case_event_count, 'case event')}; neighbours from {self.neighbor_source}"
        )

    def markdown(self) -> str:
        """A ``## Data profile`` section for the model card: overview, signal table, warnings."""
        lines = ["## Data profile", "", self.overview() + ".", ""]
        lines += [
            "| signal | first month | last month | missing | gaps | notes |",
            "|---|---|---|---|---|---|",
        ]
        lines += [table_row(signal) for signal in self.signals]
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
            "first_signal_month": month_or_none(self.first_signal_month),
            "last_signal_month": month_or_none(self.last_signal_month),
            "signal_month_count": self.signal_month_count,
            "first_case_month": month_or_none(self.first_case_month),
            "last_case_month": month_or_none(self.last_case_month),
            "case_count": self.case_count,
            "cases_after_signals": self.cases_after_signals,
            "months_cases_past_signals": self.months_cases_past_signals,
            "first_month": month_or_none(self.first_month),
            "last_month": month_or_none(self.last_month),
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
            f"the folder holds {plural(self.history_months, 'month')} of history "
            f"({format_month(self.first_month)} to {format_month(self.last_month)}): "
            f"fewer than {SHORT_HISTORY_MONTHS}, so the backtest may use fewer folds or a shorter warm-up"
        )

    def _late_cases_warning(self) -> str:
        if not self.cases_after_signals or self.last_signal_month is None or self.last_case_month is None:
            return ""
        verb = "was" if self.cases_after_signals == 1 else "were"
        return (
            f"{plural(self.cases_after_signals, 'case')} {verb} reported after the last signal month "
            f"{format_month(self.last_signal_month)} (up to {format_month(self.last_case_month)}, "
            f"{plural(self.months_cases_past_signals, 'month')} later)"
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
            f"kelurahan for the {plural(self.rws_without_location, 'RW')} without lat/lon"
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
        signals=signal_profiles(folder, first_signal, last_signal),
    )


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
