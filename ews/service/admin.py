"""Audit log reads and model information."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ews.db import audit, queries
from ews.service.common import AUDIT_SINK, audited, require_role
from ews.service.live import LiveModels
from ews.service.schemas import AuditOut, AuditPage, ModelsOut, PublicationOut
from ews.service.security import Caller, Role

EVALUATION_READERS = frozenset({Role.ANALYST, Role.ADMIN})


def audit_page(
    session: Session,
    caller: Caller,
    *,
    actor: str | None = None,
    action: str | None = None,
    page: int = 1,
    page_size: int = 100,
) -> AuditPage:
    """One page of the audit log, newest first (admin only; the read itself is audited)."""
    require_role(session, caller, {Role.ADMIN}, "audit.read", actor or "all")
    sink = session.info.get(AUDIT_SINK)
    if sink is not None:
        sink.flush()  # the log shows every request answered so far
    total, rows = audit.entries(
        session, actor=actor, action=action, offset=(page - 1) * page_size, limit=page_size
    )
    items = [AuditOut.model_validate(row, from_attributes=True) for row in rows]
    audited(session, caller, "audit.read", actor or "all")
    return AuditPage(page=page, page_size=page_size, total=total, items=items)


def models_info(session: Session, live: LiveModels, caller: Caller) -> ModelsOut:
    """The champion models and every published month with the models that produced it.

    Analysts and admins get each model's id, kind, backtest and bias audit; every other role
    gets name, version, alias and trained-as-of only (they act on scores, not on model choice).
    """
    published = [
        PublicationOut.model_validate(p, from_attributes=True) for p in queries.publications(session)
    ]
    models = list(live.info) if caller.role in EVALUATION_READERS else [m.brief() for m in live.info]
    return ModelsOut(live=models, published=published)
