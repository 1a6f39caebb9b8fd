"""Validation issues and the report that collects them.

Checks are vectorised: they hand the collector a boolean mask over a frame,
and only the flagged rows become :class:`Issue` objects. A kind of problem
(level, file, column, check) keeps at most ``keep_per_kind`` issues in memory
so a 1 GB file full of one mistake cannot exhaust memory; every issue is
still counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Level = Literal["error", "warning"]
KindKey = tuple[str, str, str, str]

KEEP_PER_KIND = 1000


@dataclass(frozen=True)
class Issue:
    """One problem in the data folder.

    ``row`` is 1-based with the header excluded (None for a file-level
    problem); ``message`` is the full text after ``file row N column C:``.
    """

    level: Level
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    check: str = ""

    @property
    def where(self) -> str:
        """``cases.csv row 17 column incident_date`` (parts that apply)."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.level:<6} {self.where}: {self.message}"


@dataclass
class ValidationReport:
    """Every issue found in one folder (stored up to a cap per kind, all counted)."""

    folder: str
    issues: list[Issue] = field(default_factory=list)
    counts: Counter[KindKey] = field(default_factory=Counter)
    keep_per_kind: int = KEEP_PER_KIND

    @property
    def errors(self) -> list[Issue]:
        """The stored errors, in the order found."""
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """The stored warnings, in the order found."""
        return [i for i in self.issues if i.level == "warning"]

    @property
    def error_count(self) -> int:
        """All errors found, stored or not."""
        return sum(n for key, n in self.counts.items() if key[0] == "error")

    @property
    def warning_count(self) -> int:
        """All warnings found, stored or not."""
        return sum(n for key, n in self.counts.items() if key[0] == "warning")

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings alone are fine)."""
        return self.error_count == 0

    def add(self, issue: Issue) -> None:
        """Record one issue."""
        key = _kind(issue)
        self.counts[key] += 1
        if self.counts[key] <= self.keep_per_kind:
            self.issues.append(issue)

    def file_issue(self, level: Level, file: str, message: str, column: str | None = None) -> None:
        """Record a problem with a whole file (or a whole column)."""
        self.add(Issue(level, file, None, column, None, message, check=message))

    def add_rows(
        self,
        level: Level,
        file: str,
        column: str,
        check: str,
        mask: npt.NDArray[np.bool_] | pd.Series,
        values: pd.Series,
        message: Callable[[str], str] | pd.Series,
    ) -> None:
        """Record one issue per flagged row; ``message(value)`` words each one.

        ``values`` is indexed by 1-based row number (see :mod:`ews.data.rawio`);
        ``message`` may instead be a Series of ready texts aligned with ``values``.
        """
        flags = np.asarray(mask, dtype=bool)
        total = int(flags.sum())
        if total == 0:
            return
        key: KindKey = (level, file, column, check)
        room = max(self.keep_per_kind - self.counts[key], 0)
        self.counts[key] += total
        positions = np.flatnonzero(flags)[:room]
        picked = values.iloc[positions]
        texts = message.iloc[positions] if isinstance(message, pd.Series) else None
        for i, (row, value) in enumerate(zip(picked.index, picked, strict=True)):
            text = _text(value)
            words = str(texts.iloc[i]) if texts is not None else message(text)  # type: ignore[operator]
            self.issues.append(Issue(level, file, int(row), column, text, words, check=check))

    def summary(self, extra_warnings: int = 0) -> str:
        """``N errors, M warnings in DIR``; ``extra_warnings`` (the folder profile's) add to M."""
        errors, warnings = self.error_count, self.warning_count + extra_warnings
        return (
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {self.folder}"
        )


def _kind(issue: Issue) -> KindKey:
    return (issue.level, issue.file, issue.column or "", issue.check)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value)
