"""Checks of the optional ``checks`` file: the outcomes of officials' visits to RWs."""

from __future__ import annotations

import pandas as pd

from ews.data import checks_common as common
from ews.data import schema
from ews.data.coerce import as_text, is_in
from ews.data.issues import ValidationReport


def check_checks(frame: pd.DataFrame, file: str, known_rw: pd.Index | None, report: ValidationReport) -> None:
    """Check each visit: a known RW, a date ``YYYY-MM-DD``, an outcome and a role of the contract.

    An empty file is fine (nobody has checked yet); every cell is required.
    """
    if not common.missing_columns(frame, file, schema.CHECK_COLUMNS, report):
        return
    common.ignored_columns(frame, file, schema.CHECK_COLUMNS, report)
    text = {column: as_text(frame[column]) for column in schema.CHECK_COLUMNS}
    for column, values in text.items():
        common.required_cells(values, file, column, report)
    common.unknown_codes(text["rw_code"], known_rw, "an rw_code listed in regions", file, "rw_code", report)
    common.dates(frame["visit_date"], file, "visit_date", report)
    for column, allowed in (("outcome", schema.CHECK_OUTCOMES), ("role", schema.CHECK_ROLES)):
        _one_of(text[column], allowed, file, column, report)


def _one_of(
    text: pd.Series, allowed: tuple[str, ...], file: str, column: str, report: ValidationReport
) -> None:
    bad = text.notna() & ~is_in(text, allowed)
    message = f"{{!r}} is not one of {', '.join(allowed)}"
    report.add_rows("error", file, column, "category", bad, text, message.format)
