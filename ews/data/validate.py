"""Check a data folder against contract section 1 and report every problem.

``validate_folder`` never stops at the first problem: it reads each file
once (signals in chunks, so a 1 GB file is never held in memory), runs
vectorised checks and returns a :class:`ValidationReport`. ``ensure_valid``
is what every other command calls: it raises :class:`ValidationFailed` on
errors and lets warnings through.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ews.data import schema
from ews.data.checks_cases import check_cases, check_events
from ews.data.checks_checks import check_checks
from ews.data.checks_regions import check_neighbors, check_regions
from ews.data.checks_signals import check_signals
from ews.data.issues import Issue, ValidationReport
from ews.data.rawio import DEFAULT_CHUNK_ROWS, BadLines, check_header, columns_of, iter_chunks, read_table
from ews.exceptions import DataError, ValidationFailed

__all__ = ["Issue", "ValidationReport", "ensure_valid", "validate_folder"]


def validate_folder(path: str | Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> ValidationReport:
    """Every error and warning in the data folder at ``path``.

    ``chunk_rows`` bounds how many signal rows are in memory at once; the
    issues found do not depend on it.
    """
    folder = Path(path)
    report = ValidationReport(folder=str(folder))
    if not folder.is_dir():
        report.file_issue("error", str(folder), "is not a folder")
        return report
    files = {name: _locate(folder, name, report) for name in (*schema.REQUIRED_FILES, *schema.OPTIONAL_FILES)}
    regions = _whole(files[schema.REGIONS], report)
    known_rw = None if regions is None else check_regions(regions, _name(files[schema.REGIONS]), report)
    neighbors = _whole(files[schema.NEIGHBORS], report)
    if neighbors is not None:
        check_neighbors(neighbors, _name(files[schema.NEIGHBORS]), known_rw, report)
    _signals(files[schema.SIGNALS], known_rw, chunk_rows, report)
    cases = _whole(files[schema.CASES], report)
    reported = None if cases is None else check_cases(cases, _name(files[schema.CASES]), known_rw, report)
    events = _whole(files[schema.CASE_EVENTS], report)
    if events is not None:
        check_events(events, _name(files[schema.CASE_EVENTS]), reported, report)
    checks = _whole(files[schema.CHECKS], report)
    if checks is not None:
        check_checks(checks, _name(files[schema.CHECKS]), known_rw, report)
    return report


def ensure_valid(path: str | Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> ValidationReport:
    """Validate; raise ``ValidationFailed`` (carrying the report) if there is any error."""
    report = validate_folder(path, chunk_rows=chunk_rows)
    if not report.ok:
        count = report.error_count
        first = report.errors[0]
        raise ValidationFailed(
            f"the data folder {path} has {count} error{'s' * (count != 1)}, the first: {first.where}: "
            f"{first.message} (run `ews validate {path}` to see them all)",
            report,
        )
    return report


def _locate(folder: Path, name: str, report: ValidationReport) -> Path | None:
    found = [folder / f"{name}{ext}" for ext in schema.EXTENSIONS if (folder / f"{name}{ext}").is_file()]
    if (folder / name).is_dir() and any((folder / name).glob("*.parquet")):  # "Large folders"
        found.append(folder / name)
    if len(found) > 1:
        both = " and ".join(p.name for p in found)
        report.file_issue("error", found[0].name, f"both {both} exist; keep only one of them")
        return None
    if not found and name in schema.REQUIRED_FILES:
        report.file_issue(
            "error",
            f"{name}.csv",
            f"required file is missing (give {name}.csv, {name}.parquet or a folder {name}/ of "
            ".parquet files)",
        )
    return found[0] if found else None


def _name(path: Path | None) -> str:
    return "" if path is None else path.name


def _whole(path: Path | None, report: ValidationReport) -> pd.DataFrame | None:
    """Read a small file whole; unreadable rows and files become issues."""
    if path is None:
        return None
    bad = BadLines()
    try:
        frame = read_table(path, bad)
    except DataError as exc:
        report.file_issue("error", path.name, str(exc).removeprefix(f"{path.name} "))
        return None
    finally:
        _report_bad_lines(path.name, bad, report)
    return frame


def _signals(path: Path | None, known: pd.Index | None, chunk_rows: int, report: ValidationReport) -> None:
    if path is None:
        return
    bad = BadLines()
    try:
        columns = columns_of(path)
        check_header(path, columns)
        check_signals(iter_chunks(path, chunk_rows, bad), columns, path.name, known, report)
    except DataError as exc:
        report.file_issue("error", path.name, str(exc).removeprefix(f"{path.name} "))
    finally:
        _report_bad_lines(path.name, bad, report)


def _report_bad_lines(file: str, bad: BadLines, report: ValidationReport) -> None:
    for row, text in zip(bad.rows, bad.texts, strict=True):
        report.add(Issue("error", file, row, None, None, f"line {text}; the row is skipped", check="fields"))
