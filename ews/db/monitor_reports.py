"""The monitor's stored reports (table ``monitor_reports``): written by ``ews monitor``, read by
``GET /v1/monitor`` and the analyst view.

A month holds at most one report; storing a month again replaces it in one transaction, so a
reader sees the old report or the new one, never neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ews.db.models import MonitorReportRow
from ews.exceptions import StorageError

_M = MonitorReportRow.__table__.c


@dataclass(frozen=True)
class StoredReport:
    """One stored report: its month, when it was stored, the JSON text and the HTML page."""

    as_of: str
    created_at: dt.datetime
    report_json: str
    report_html: str


def save_report(engine: Engine, as_of: str, report_json: str, report_html: str) -> None:
    """Store (or replace) the report of month ``as_of`` in one transaction."""
    row = {
        "as_of": as_of,
        "created_at": dt.datetime.now(dt.UTC),
        "report_json": report_json,
        "report_html": report_html,
    }
    try:
        with engine.begin() as connection:
            connection.execute(delete(MonitorReportRow).where(_M.as_of == as_of))
            connection.execute(insert(MonitorReportRow), [row])
    except SQLAlchemyError as exc:
        raise StorageError(f"could not store the monitor report: {exc.__class__.__name__}") from exc


def load_report(session: Session, as_of: str | None = None) -> StoredReport | None:
    """The report of month ``as_of`` (the latest stored when None), or None when there is none."""
    statement = select(_M.as_of, _M.created_at, _M.report_json, _M.report_html)
    if as_of is None:
        statement = statement.order_by(_M.as_of.desc()).limit(1)
    else:
        statement = statement.where(_M.as_of == as_of)
    row = session.execute(statement).first()
    if row is None:
        return None
    return StoredReport(row.as_of, row.created_at, row.report_json, row.report_html)
