"""The monitor's stored report (analysts only): read, audited, refused with 403 or 404."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.orm import Session

from ews.db.monitor_reports import StoredReport, load_report
from ews.exceptions import NotFoundError, StorageError
from ews.service.common import audited, refuse, require_role
from ews.service.monitor_schemas import MonitorOut
from ews.service.security import Caller, Role

MONITOR_READERS = frozenset({Role.ANALYST})
ACTION = "monitor.read"


def find_report(session: Session, caller: Caller, as_of: str | None) -> StoredReport | None:
    """The stored report of ``as_of`` (latest when None), audited when found; None when there is none.

    403 (audited) for every role but analyst.
    """
    require_role(session, caller, MONITOR_READERS, ACTION, as_of or "latest")
    found = load_report(session, as_of)
    if found is not None:
        audited(session, caller, ACTION, found.as_of)
    return found


def stored_report(session: Session, caller: Caller, as_of: str | None) -> StoredReport:
    """Like :func:`find_report`, but 404 (audited) when no report is stored for the month."""
    found = find_report(session, caller, as_of)
    if found is None:
        where = f"for {as_of}" if as_of else "yet"
        error = NotFoundError(f"no monitor report is stored {where}; run `ews monitor --database-url`")
        refuse(session, caller, ACTION, as_of or "latest", error)
    return found


def monitor_report(session: Session, caller: Caller, as_of: str | None) -> MonitorOut:
    """The stored report as the API's response model."""
    found = stored_report(session, caller, as_of)
    try:
        return MonitorOut.model_validate_json(found.report_json)
    except ValidationError as exc:
        raise StorageError(
            f"the stored monitor report of {found.as_of} is not readable; run `ews monitor` again"
        ) from exc
