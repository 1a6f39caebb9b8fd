"""The audit log: who, in which role, did what to which target, when, and how it ended."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ews.db.accounts import now_utc
from ews.db.models import AuditEntry

_INSERT = insert(AuditEntry)


def record(session: Session, actor: str, role: str, action: str, target: str, outcome: str = "ok") -> None:
    """Add one audit row to the session's transaction (committed with the work it describes).

    A Core insert on the session's connection: it costs a fraction of an ORM flush,
    and every API request writes one.
    """
    row = {
        "at": now_utc(),
        "actor": actor,
        "role": role,
        "action": action,
        "target": target[:200],
        "outcome": outcome,
    }
    session.connection().execute(_INSERT, row)


def entries(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[int, list[AuditEntry]]:
    """The total matching and one page of audit rows, newest first."""
    query = select(AuditEntry)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
    return total, list(session.scalars(page))
